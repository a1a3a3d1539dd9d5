import { useMemo, useSyncExternalStore } from 'react';
import { SEVERITIES, type Severity } from '../../api/types';

/**
 * Chart colours come from the stylesheet's custom properties, so a chart and the badges next to it always agree
 * and the palette has one home (styles.css), chosen there for contrast in light and dark mode.
 */
export interface ChartTheme {
  dark: boolean;
  severity: Record<Severity, string>;
  text: string;
  muted: string;
  border: string;
  surface: string;
  surface2: string;
  accent: string;
  ok: string;
  warn: string;
  danger: string;
  fontFamily: string;
}

const DARK = '(prefers-color-scheme: dark)';

function readChartTheme(dark: boolean): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const css = (name: string) => style.getPropertyValue(name).trim();
  return {
    dark,
    severity: Object.fromEntries(SEVERITIES.map((s) => [s, css(`--sev-${s}`)])) as Record<Severity, string>,
    text: css('--text'),
    muted: css('--muted'),
    border: css('--border'),
    surface: css('--surface'),
    surface2: css('--surface-2'),
    accent: css('--accent'),
    ok: css('--ok'),
    warn: css('--warn'),
    danger: css('--danger'),
    fontFamily: getComputedStyle(document.body).fontFamily,
  };
}

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(DARK);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** The current palette; a new one when the system switches between light and dark, so charts re-render in it. */
export function useChartTheme(): ChartTheme {
  const dark = useSyncExternalStore(subscribe, () => window.matchMedia(DARK).matches);
  // The custom properties follow the same media query, so reading them again after the switch gives the new palette.
  return useMemo(() => readChartTheme(dark), [dark]);
}
