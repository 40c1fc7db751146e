/**
 * The types of event the sandbox records, in a module of their own without zod: the operations
 * (which the browser's shell reads) validate `enabled_events` against them, and objects.ts
 * declares the event object with them.
 */
export const EVENT_TYPES = ['customer.created', 'customer.updated', 'customer.deleted'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What a webhook endpoint's `enabled_events` may list: an event type, or `*` alone for all. */
export const WEBHOOK_EVENT_CHOICES = [...EVENT_TYPES, '*'] as const;
