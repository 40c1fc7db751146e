/**
 * The API's resources: what a restricted key is given access to, what the CLI names, and
 * what each reference page covers. Adding a resource here is what makes it grantable.
 */
export const RESOURCES = ['customers', 'events'] as const;
export type Resource = (typeof RESOURCES)[number];

/** Each resource's object name, singular (`customer`), as error messages and permissions spell it. */
export const OBJECT_NAMES: Record<Resource, string> = { customers: 'customer', events: 'event' };
