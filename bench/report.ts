/** One line per figure: what was measured, the figure, and the target from DESIGN.md or the issue. */
export function report(what: string, figure: string, target: string | null): void {
  process.stdout.write(`${what.padEnd(100)} ${figure.padStart(10)}${target ? `   target ${target}` : ''}\n`);
}

export function seconds(startedAt: number): string {
  return `${((performance.now() - startedAt) / 1000).toFixed(2)} s`;
}
