import { EVENT_TYPES } from '../../spec/event-types.ts';

/** Every event type, as `--events` and the listen stream's `events` parameter take them. */
export const ALL_EVENTS = '*';

/** The most names one `--events` list may hold: more than every type there is, with room. */
export const MAX_LISTEN_EVENTS = 50;

/** An `--events` list read: the names to listen for, and those that name no event. */
export interface ListenEvents {
  events: string[];
  invalid: string[];
}

/** Whether a name is an event type, or `*` for all of them. */
export function isListenEvent(name: string): boolean {
  return name === ALL_EVENTS || (EVENT_TYPES as readonly string[]).includes(name);
}

/**
 * `customer.created, customer.updated` split on commas and trimmed, repeats dropped; an empty
 * list means every event, as the Stripe CLI's default `*` does.
 */
export function readListenEvents(input: string): ListenEvents {
  const names = [...new Set(input.split(',').map((name) => name.trim()))].filter(Boolean);
  if (names.length === 0) return { events: [ALL_EVENTS], invalid: [] };
  return { events: names.filter(isListenEvent), invalid: names.filter((name) => !isListenEvent(name)) };
}

/** The Stripe CLI's warning for a name that is no event type. */
export function invalidEventWarning(name: string): string {
  return `You're attempting to listen for "${name}", which isn't a valid event`;
}

/** Whether an event of `type` is one a listener asked for. */
export function listensFor(events: readonly string[], type: string): boolean {
  return events.includes(ALL_EVENTS) || events.includes(type);
}
