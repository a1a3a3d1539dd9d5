import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { CweEntry, CweKnowledge } from '../src/remediation/cwe.js';

/**
 * Build step: MITRE's CWE catalogue, as the cwe-sdk package ships it (raw/cwe-dictionary.json, fast-xml-parser's
 * reading of cwec_v4.x.xml), reduced to what remediation guidance shows — name, description, consequences, potential
 * mitigations, parents — as dist/data/cwe.json (about a tenth of the size). Vigil reads it offline at run time.
 */
type Node = string | number | Node[] | { [key: string]: Node } | undefined;

/** The text of an XHTML-ish node: paragraphs and list items become lines, whitespace collapses. */
function text(node: Node): string {
  if (node === undefined) return '';
  if (typeof node === 'string' || typeof node === 'number') return String(node).replace(/\s+/g, ' ').trim();
  if (Array.isArray(node)) return node.map(text).filter(Boolean).join('\n');
  return Object.entries(node)
    .filter(([key]) => key !== 'attr' && !key.startsWith('@_'))
    .map(([key, value]) => (key === 'xhtml:li' ? (Array.isArray(value) ? value : [value]).map((v) => `- ${text(v)}`).join('\n') : text(value)))
    .filter(Boolean)
    .join('\n');
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const words = (value: Node): string[] => list(value as Node[]).map((v) => text(v));

interface Raw {
  Description?: Node;
  Common_Consequences?: { Consequence?: { Scope?: Node; Impact?: Node; Note?: Node } | { Scope?: Node; Impact?: Node; Note?: Node }[] };
  Potential_Mitigations?: { Mitigation?: { Phase?: Node; Strategy?: Node; Description?: Node; Effectiveness?: Node } | { Phase?: Node; Description?: Node }[] };
  Related_Weaknesses?: { Related_Weakness?: { attr: Record<string, string> } | { attr: Record<string, string> }[] };
  attr: Record<string, string>;
}

function reduce(raw: Record<string, Raw>, version: string): CweKnowledge {
  const weaknesses: Record<string, CweEntry> = {};
  for (const [id, w] of Object.entries(raw)) {
    if (w.attr['@_Status'] === 'Deprecated') continue;
    const related = list(w.Related_Weaknesses?.Related_Weakness).map((r) => r.attr);
    weaknesses[id] = {
      name: w.attr['@_Name'] ?? `CWE-${id}`,
      abstraction: w.attr['@_Abstraction'] ?? null,
      description: text(w.Description),
      consequences: list(w.Common_Consequences?.Consequence).map((c) => ({ scope: words(c.Scope), impact: words(c.Impact) })),
      mitigations: list(w.Potential_Mitigations?.Mitigation as { Phase?: Node; Description?: Node; Effectiveness?: Node }[]).map((m) => ({
        phases: words(m.Phase),
        text: text(m.Description),
        effectiveness: m.Effectiveness === undefined ? null : text(m.Effectiveness),
      })),
      // ChildOf in the Research view (1000), the one hierarchy every weakness is in; other views repeat it.
      parents: [...new Set(related.filter((r) => r['@_Nature'] === 'ChildOf' && r['@_View_ID'] === '1000').map((r) => r['@_CWE_ID']!))],
      peers: [...new Set(related.filter((r) => r['@_Nature'] === 'PeerOf' || r['@_Nature'] === 'CanPrecede').map((r) => r['@_CWE_ID']!))],
    };
  }
  return { version, weaknesses };
}

const require = createRequire(import.meta.url);
const dictionary = require.resolve('cwe-sdk/raw/cwe-dictionary.json');
const xml = fs.readFileSync(path.join(path.dirname(dictionary), 'cwe-archive.xml'), 'utf8').slice(0, 2000);
const version = /<Weakness_Catalog[^>]*\sVersion="([^"]+)"/.exec(xml)?.[1] ?? 'unknown';
const knowledge = reduce(JSON.parse(fs.readFileSync(dictionary, 'utf8')) as Record<string, Raw>, version);
const out = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../data/cwe.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(knowledge));
process.stdout.write(`CWE ${version}: ${Object.keys(knowledge.weaknesses).length} weaknesses → ${out}\n`);
