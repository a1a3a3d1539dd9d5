import type { Scope } from '../../app/scope';

export default function DashboardPage({ scope }: { scope: Scope }) {
  return <p>Dashboard of {scope.kind}</p>;
}
