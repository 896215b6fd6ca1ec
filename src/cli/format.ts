/** Number formatting for the CLI's human-readable output. */
const grouped = new Intl.NumberFormat('en-US');

export function count(n: number): string {
  return grouped.format(n);
}

export function percent(fraction: number, digits = 2): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function seconds(s: number): string {
  return `${s.toFixed(s < 10 ? 2 : 1)} s`;
}
