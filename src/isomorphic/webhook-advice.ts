/**
 * What to do when a reader's webhook handler did not answer 2xx, said next to the guide's step
 * (and anywhere else a delivery is explained). The page script and the tests read this one
 * function, so the advice for a status is written once.
 */

/** What came back from one delivery or `keyway listen` forward, as a DeliveryNotice carries it. */
export interface DeliveryOutcome {
  /** The handler's HTTP status; null when no answer came. */
  status: number | null;
  /** Why no answer came (connection refused, timeout); null when one came. */
  error: string | null;
}

const NO_ANSWER = 'No answer came: is your handler running, on port 3000?';

/** Advice for the statuses a handler commonly answers with, beyond "it failed". */
const BY_STATUS: Readonly<Record<number, string>> = {
  400: 'Your handler refused the signature: check that the secret matches the one keyway listen printed, and that you pass the raw body, not parsed JSON.',
  401: 'Your handler asked for credentials: let the webhook path through your authentication.',
  403: 'Your handler refused the request: exempt the webhook path from session and CSRF checks.',
  404: 'Nothing answers at that path: make --forward-to name the path your handler serves.',
  405: 'Your handler does not accept POST there, and webhooks are always POSTed.',
};

/**
 * The advice for a delivery that did not succeed, or null when it did (a 2xx). Redirects are
 * failures too: deliveries do not follow them, as Stripe's do not.
 */
export function webhookAdvice(outcome: DeliveryOutcome): string | null {
  const { status } = outcome;
  if (status === null) {
    return /time[ds]? ?out/i.test(outcome.error ?? '')
      ? `${NO_ANSWER} If it is, answer 2xx sooner: before any slow work.`
      : NO_ANSWER;
  }
  if (status >= 200 && status < 300) return null;
  const known = BY_STATUS[status];
  if (known) return known;
  if (status >= 300 && status < 400)
    return `Your handler redirected (${status}), and redirects are not followed: forward to the final URL.`;
  if (status >= 500) return `Your handler failed (${status}): look at its own output for the error.`;
  return `Your handler answered ${status}: only a 2xx says the event arrived.`;
}
