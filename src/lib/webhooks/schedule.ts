/**
 * When a failed delivery is tried again, counted from the attempt that failed: 1 minute, then
 * 5 minutes, 30 minutes, 2 hours, 8 hours and 24 hours; a delivery whose seventh attempt fails
 * is given up (about 35 hours after the event). Stripe's test mode "retries three times over a
 * few hours" and live mode keeps going "for up to 3 days": a sandbox is where a reader fixes
 * their handler, so the first retry comes within a minute, while they are still looking, and
 * the tail reaches past a night and a day for a handler that was down.
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [
  60_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  8 * 3_600_000,
  24 * 3_600_000,
];

/**
 * When the next attempt is due after `attemptCount` attempts have failed, or null when the
 * schedule is spent and the delivery has failed. A person's resend is counted like any attempt,
 * so resending a failed delivery gives it one more try, not a new schedule.
 */
export function nextAttemptAfter(
  attemptCount: number,
  now: number,
  retryDelaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS,
): number | null {
  const delay = retryDelaysMs[attemptCount - 1];
  return delay === undefined ? null : now + delay;
}
