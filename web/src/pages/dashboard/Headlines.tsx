import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Severity } from '../../api/types';
import { pluralize } from '../../components/report/labels';
import { count, decimal, percent } from './format';
import type { ReportLinks } from './links';
import { totalOf, type Dashboard } from './types';

type Tone = Severity | 'danger' | 'ok' | 'neutral';

interface Tile {
  label: string;
  value: string;
  /** Written smaller after the value, so long values still fit one line. */
  unit?: string;
  detail?: ReactNode;
  tone: Tone;
  to?: string;
}

/** The numbers leadership asks for first, each a way into the report behind it. */
export function Headlines({ dashboard, links }: { dashboard: Dashboard; links: ReportLinks }) {
  const { open_by_severity: open, sla, mttr, trend, days } = dashboard;
  const start = trend[0];
  const change = (now: number, then: number | undefined) => (then === undefined ? undefined : <Change by={now - then} days={days} />);
  const mttrOf = (severity: Severity) => mttr.find((m) => m.severity === severity);
  const mttrTile = (severity: 'critical' | 'high'): Tile => {
    const m = mttrOf(severity);
    return {
      label: `MTTR ${severity}`,
      value: m?.mean_days == null ? '—' : decimal(m.mean_days),
      unit: m?.mean_days == null ? undefined : m.mean_days === 1 ? 'day' : 'days',
      detail: m && m.resolved > 0 ? `mean of ${pluralize(m.resolved, 'resolution')}` : `none resolved in ${days} days`,
      tone: severity,
      to: links.resolved(severity),
    };
  };
  const tiles: Tile[] = [
    { label: 'Open critical', value: count(open.critical), detail: change(open.critical, start?.critical), tone: 'critical', to: links.severity('critical') },
    { label: 'Open high', value: count(open.high), detail: change(open.high, start?.high), tone: 'high', to: links.severity('high') },
    {
      label: 'Open, all severities',
      value: count(totalOf(open)),
      detail: change(totalOf(open), start && totalOf(start)),
      tone: 'neutral',
      to: links.open(),
    },
    {
      label: 'SLA compliance',
      value: percent(sla.compliance),
      detail: sla.compliance === null ? `no deadline in ${days} days` : `${count(sla.resolved_in_time)} in time, ${count(sla.resolved_late)} late`,
      // 90% of deadlines met is the usual bar for a remediation programme; below it the tile turns red.
      tone: sla.compliance === null || sla.compliance >= 0.9 ? 'ok' : 'danger',
    },
    { label: 'Overdue', value: count(sla.overdue), detail: `${count(sla.due_soon)} due soon`, tone: sla.overdue > 0 ? 'danger' : 'ok', to: links.sla('breached') },
    mttrTile('critical'),
    mttrTile('high'),
  ];
  return (
    <section aria-labelledby="dash-headlines">
      <h2 id="dash-headlines" className="visually-hidden">
        Headline figures
      </h2>
      <ul className="dash-tiles">
        {tiles.map((t) => {
          const body = (
            <>
              <span className="dash-tile-label">{t.label}</span>
              <span className="dash-tile-value">
                {t.value}
                {t.unit && <small> {t.unit}</small>}
              </span>
              {t.detail && <span className="dash-tile-detail">{t.detail}</span>}
            </>
          );
          return (
            <li key={t.label}>
              {t.to ? (
                <Link to={t.to} className={`dash-tile tone-${t.tone}`}>
                  {body}
                </Link>
              ) : (
                <div className={`dash-tile tone-${t.tone}`}>{body}</div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** "▲ 3 in 90 days": more open is worse, so up is red and down is green; the arrow's shape (and "up" for screen readers) carries it without colour. */
function Change({ by, days }: { by: number; days: number }) {
  if (by === 0) return <>no change in {days} days</>;
  return (
    <span className={by > 0 ? 'dash-worse' : 'dash-better'}>
      <span aria-hidden="true">{by > 0 ? '▲' : '▼'}</span>
      <span className="visually-hidden">{by > 0 ? 'up' : 'down'}</span> {count(Math.abs(by))} in {days} days
    </span>
  );
}
