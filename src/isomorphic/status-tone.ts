/** How a status is coloured: green for success, amber for client errors, red for server errors. */
export type StatusTone = 'ok' | 'warn' | 'bad';

/** The tone of an HTTP status, for `kw-status--<tone>` badges (server-rendered and client-drawn alike). */
export function statusTone(status: number): StatusTone {
  return status < 300 ? 'ok' : status < 500 ? 'warn' : 'bad';
}
