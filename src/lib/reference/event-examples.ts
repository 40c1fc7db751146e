/**
 * Where an event type's example sits among the build's example responses, beside the
 * operations' (which are keyed by operation id): `event:customer.updated`. No operation id
 * has a colon, so the two never meet. The build writes them; the events catalog reads them.
 */
export const eventExampleKey = (type: string): string => `event:${type}`;
