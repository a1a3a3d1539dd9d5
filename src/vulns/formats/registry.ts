import { banditFormat } from './bandit.js';
import { cyclonedxJsonFormat, cyclonedxXmlFormat } from './cyclonedx.js';
import { dependencyCheckFormat } from './dependency-check.js';
import type { ReportFormat } from './format.js';
import { genericCsvFormat, genericJsonFormat } from './generic.js';
import { gitlabFormat } from './gitlab.js';
import { gitleaksFormat } from './gitleaks.js';
import { govulncheckFormat } from './govulncheck.js';
import { grypeFormat } from './grype.js';
import { npmAuditFormat } from './npm-audit.js';
import { nucleiFormat, nucleiJsonFormat } from './nuclei.js';
import { osvScannerFormat } from './osv-scanner.js';
import { pipAuditFormat } from './pip-audit.js';
import { sarifFormat } from './sarif.js';
import { semgrepFormat } from './semgrep.js';
import { trivyFormat } from './trivy.js';
import { trufflehogFormat } from './trufflehog.js';
import { yarnAuditFormat } from './yarn-audit.js';
import { zapJsonFormat, zapXmlFormat } from './zap.js';

/**
 * Every format Vigil reads. Each detect() is specific to its own shape (the registry test checks that every
 * fixture is claimed by exactly one), so the order only breaks ties for hand-made edge cases: specific first.
 */
export const FORMATS: readonly ReportFormat[] = [
  genericJsonFormat,
  sarifFormat,
  cyclonedxJsonFormat,
  cyclonedxXmlFormat,
  trivyFormat,
  grypeFormat,
  osvScannerFormat,
  govulncheckFormat,
  npmAuditFormat,
  yarnAuditFormat,
  pipAuditFormat,
  dependencyCheckFormat,
  semgrepFormat,
  banditFormat,
  gitleaksFormat,
  trufflehogFormat,
  zapXmlFormat,
  zapJsonFormat,
  nucleiFormat,
  nucleiJsonFormat,
  gitlabFormat,
  genericCsvFormat,
];
