const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 24 * 60 * 60 * 1000],
  ['hour', 60 * 60 * 1000],
  ['minute', 60 * 1000],
  ['second', 1000],
];

/**
 * "in 1 hour", "3 days ago", "now": how far `time` is from `now`, for a person. A unit is
 * used from 90% of it on, so a window set a moment ago for one hour reads "in 1 hour".
 */
export function relativeTime(time: number, now = Date.now()): string {
  const delta = time - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(delta) >= size * 0.9 || unit === 'second') {
      const amount = Math.round(delta / size);
      return amount === 0 ? 'now' : relative.format(amount, unit);
    }
  }
  return 'now';
}

/** `2026-11-26 14:03 UTC`: an exact time to show beside a relative one. */
export function exactTime(time: number): string {
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
