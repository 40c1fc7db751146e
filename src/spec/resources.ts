/**
 * The API's resources: what a restricted key is given access to, what the CLI names, and
 * what each reference page covers. Adding a resource here is what makes it grantable.
 */
export const RESOURCES = ['customers', 'events', 'webhook_endpoints'] as const;
export type Resource = (typeof RESOURCES)[number];

/** Each resource's object name, singular (`customer`), as error messages and permissions spell it. */
export const OBJECT_NAMES: Record<Resource, string> = {
  customers: 'customer',
  events: 'event',
  webhook_endpoints: 'webhook_endpoint',
};

/** The prefix of each resource's object ids (`cus_…`). */
export const ID_PREFIXES: Record<Resource, string> = {
  customers: 'cus',
  events: 'evt',
  webhook_endpoints: 'we',
};

/** Fields of a customer that `expand[]` accepts. They hold ids of other objects. */
export const CUSTOMER_EXPANDABLE = ['default_source', 'test_clock'] as const;
