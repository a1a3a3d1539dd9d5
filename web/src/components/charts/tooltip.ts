/**
 * Tooltip content as HTML with classes only. ECharts' own tooltip markup uses style="" attributes, which a strict
 * Content-Security-Policy (style-src without 'unsafe-inline') blocks, so every chart formats its tooltip here.
 */

/** A colour key: a severity or one of the theme's signal colours (styled in charts.css). */
export type Swatch = 'critical' | 'high' | 'medium' | 'low' | 'info' | 'unknown' | 'ok' | 'warn' | 'danger' | 'accent';

export interface TooltipRow {
  label: string;
  value: string;
  swatch?: Swatch;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export function tooltipHtml(title: string, rows: TooltipRow[], hint?: string): string {
  const body = rows
    .map((r) => `<div class="chart-tip-row">${r.swatch ? `<i class="chart-swatch swatch-${r.swatch}"></i>` : ''}<span>${escape(r.label)}</span><b>${escape(r.value)}</b></div>`)
    .join('');
  return `<div class="chart-tip-title">${escape(title)}</div>${body}${hint ? `<div class="chart-tip-hint">${escape(hint)}</div>` : ''}`;
}
