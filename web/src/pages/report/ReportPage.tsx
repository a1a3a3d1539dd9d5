import type { Scope } from '../../app/scope';

export function ReportPage({ scope }: { scope: Scope }) {
  return <p>Report of {scope.kind}</p>;
}
