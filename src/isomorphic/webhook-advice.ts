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

const NO_ANSWER =
  'No answer came from your handler: is it running, and listening on port 3000? Start it, then trigger the event again.';

/** Advice for the statuses a handler commonly answers with, beyond "it failed". */
const BY_STATUS: Readonly<Record<number, string>> = {
  400: 'Your handler refused the signature: check that the secret matches the one keyway listen printed, and that you pass the raw body (not parsed JSON) to the signature check.',
  401: 'Your handler asked for credentials. Webhook requests carry none but the Stripe-Signature header: let the webhook path through your authentication.',
  403: 'Your handler refused the request as forbidden. Webhook requests carry no session or CSRF token: exempt the webhook path from those checks.',
  404: 'Nothing answers at that path: check that the path in --forward-to matches the one your handler serves (/webhook).',
  405: 'Your handler does not accept POST at that path: webhooks are always POSTed.',
  413: 'Your handler refused the body as too large: allow at least a few hundred kilobytes on the webhook path.',
  415: 'Your handler refused the content type: events arrive as application/json.',
  429: 'Your handler is rate limiting the deliveries: let the webhook path through.',
};

/**
 * The advice for a delivery that did not succeed, or null when it did (a 2xx). Redirects are
 * failures too: deliveries do not follow them, as Stripe's do not.
 */
export function webhookAdvice(outcome: DeliveryOutcome): string | null {
  const { status } = outcome;
  if (status === null) {
    return /time[ds]? ?out/i.test(outcome.error ?? '')
      ? `${NO_ANSWER} If it is, it took too long: answer 2xx as soon as the signature checks out, before any slow work.`
      : NO_ANSWER;
  }
  if (status >= 200 && status < 300) return null;
  const known = BY_STATUS[status];
  if (known) return known;
  if (status >= 300 && status < 400)
    return `Your handler answered with a redirect (${status}). Deliveries do not follow redirects: point --forward-to at the final URL.`;
  if (status >= 500)
    return `Your handler failed while handling the event (${status}): look at its own output for the error. Answer 2xx as soon as the signature checks out, before any slow work.`;
  return `Your handler answered ${status}, which counts as a failure: only a 2xx tells the sender the event arrived.`;
}
