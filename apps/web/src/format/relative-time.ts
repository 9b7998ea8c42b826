// Made on first use, not when the module loads: a page's first Intl formatter loads the locale's
// data (tens of ms on a busy machine), which the first paint does not need to wait for.
let relativeFormat: Intl.RelativeTimeFormat | undefined;

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** How long before `now` `date` was, in the largest whole unit ("2 minutes ago", "now"). */
export function formatRelativeTime(date: Date, now: number): string {
  relativeFormat ??= new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const elapsed = date.getTime() - now;
  if (Math.abs(elapsed) < 5_000) return relativeFormat.format(0, 'second');
  for (const [unit, ms] of UNITS) {
    if (Math.abs(elapsed) >= ms || unit === 'second') return relativeFormat.format(Math.trunc(elapsed / ms), unit);
  }
  return relativeFormat.format(0, 'second');
}
