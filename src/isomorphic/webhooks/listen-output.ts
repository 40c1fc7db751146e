/**
 * The lines `keyway listen` prints, laid out as the Stripe CLI lays them out, so a reader who
 * knows one recognises the other (and tools that read one read the other). Times are local,
 * `YYYY-MM-DD HH:MM:SS`, like Go's `2006-01-02 15:04:05`.
 */

const pad = (value: number): string => String(value).padStart(2, '0');

/** `2026-01-06 18:30:00`, in the machine's own time zone. */
export function listenTime(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** Printed once the stream is open (to stderr, as Stripe's logger does). */
export function readyLine(secret: string): string {
  return `Ready! Your webhook signing secret is ${secret} (^C to quit)`;
}

/** `2026-01-06 18:30:00   --> customer.created [evt_…]`: an event arrived. */
export function eventLine(date: Date, type: string, eventId: string): string {
  return `${listenTime(date)}   --> ${type} [${eventId}]`;
}

/** `2026-01-06 18:30:00  <--  [200] POST http://localhost:3000/webhook [evt_…]`: the handler answered. */
export function responseLine(date: Date, status: number, url: string, eventId: string): string {
  return `${listenTime(date)}  <--  [${status}] POST ${url} [${eventId}]`;
}

/** `2026-01-06 18:30:00            [ERROR] Failed to POST: …`: no answer came. */
export function forwardErrorLine(date: Date, reason: string): string {
  return `${listenTime(date)}            [ERROR] Failed to POST: ${reason}`;
}
