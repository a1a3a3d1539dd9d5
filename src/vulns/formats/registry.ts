import type { ReportFormat } from './format.js';
import { genericCsvFormat, genericJsonFormat } from './generic.js';
import { gitlabFormat } from './gitlab.js';
import { sarifFormat } from './sarif.js';

/**
 * Every format Vigil reads, in detection order: the first whose detect() recognises an upload's opening reads it.
 * Specific shapes come before general ones.
 */
export const FORMATS: readonly ReportFormat[] = [genericJsonFormat, sarifFormat, gitlabFormat, genericCsvFormat];
