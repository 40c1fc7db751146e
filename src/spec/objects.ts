/**
 * The objects the API returns, declared once with zod: the sandbox's TypeScript types come
 * from them (`z.infer`), the OpenAPI document's schemas are generated from them
 * (`z.toJSONSchema`), the reference pages render their fields, and the tests validate every
 * response body against them. Objects are strict: a field the sandbox sends but does not
 * declare fails validation, so the declaration cannot fall behind what the sandbox sends.
 */
import { z } from 'zod';
import { EVENT_TYPES, WEBHOOK_EVENT_CHOICES } from './event-types.ts';
import { CUSTOMER_EXPANDABLE } from './resources.ts';

export { EVENT_TYPES, WEBHOOK_EVENT_CHOICES, type EventType } from './event-types.ts';

const unixTime = (description: string) => z.int().meta({ description });
/** A string field that is null until set; a new object starts with null. */
const nullableString = (description: string) => z.string().nullable().default(null).meta({ description });

export const address = z
  .strictObject({
    city: nullableString('City, district, suburb, town, or village.'),
    country: nullableString('Two-letter country code (ISO 3166-1 alpha-2).'),
    line1: nullableString('Address line 1, such as the street, PO box, or company name.'),
    line2: nullableString('Address line 2, such as the apartment, suite, unit, or building.'),
    postal_code: nullableString('ZIP or postal code.'),
    state: nullableString('State, county, province, or region.'),
  })
  .meta({ id: 'address', description: 'A postal address. Every field is present, null when not given.' });

export const shipping = z
  .strictObject({
    address: address.meta({ description: 'The shipping address.' }),
    name: nullableString('The recipient’s name.'),
    phone: nullableString('The recipient’s phone number, including the extension.'),
  })
  .meta({ description: 'Where and to whom the customer’s orders are shipped.' });

export const customer = z
  .strictObject({
    id: z.string().meta({ description: 'Unique identifier for the object, `cus_` and 14 characters.' }),
    object: z.literal('customer').meta({ description: 'String naming the object’s type: `customer`.' }),
    address: address.nullable().default(null).meta({ description: 'The customer’s address.' }),
    balance: z.int().default(0).meta({
      description:
        'The customer’s balance in the smallest currency unit: negative is credit, positive is owed and added to the next invoice. Starts at 0.',
    }),
    created: unixTime('Time at which the object was created, in seconds since the Unix epoch.'),
    currency: nullableString(
      'Three-letter ISO currency code the customer is billed in. Null in the sandbox.',
    ),
    default_source: nullableString(
      'Id of the customer’s default payment source. Expandable; always null in the sandbox, which has no sources.',
    ),
    delinquent: z
      .boolean()
      .default(false)
      .meta({ description: 'Whether the customer has an unpaid invoice past its due date.' }),
    description: nullableString(
      'An arbitrary string attached to the object, often useful for displaying to users.',
    ),
    discount: z
      .null()
      .default(null)
      .meta({ description: 'The discount that applies to the customer. Always null in the sandbox.' }),
    email: nullableString('The customer’s email address.'),
    invoice_prefix: z.string().meta({
      description:
        'The prefix of the customer’s invoice numbers: 3 to 12 uppercase letters or digits, generated when you set none.',
    }),
    invoice_settings: z
      .strictObject({
        custom_fields: z
          .null()
          .meta({ description: 'Custom fields shown on invoices. Always null in the sandbox.' }),
        default_payment_method: nullableString('Id of the default payment method for invoices.'),
        footer: nullableString('Default footer shown on invoices.'),
        rendering_options: z
          .null()
          .meta({ description: 'Default options for rendering invoices. Always null in the sandbox.' }),
      })
      .default(() => ({
        custom_fields: null,
        default_payment_method: null,
        footer: null,
        rendering_options: null,
      }))
      .meta({ description: 'The customer’s default invoice settings.' }),
    livemode: z.literal(false).default(false).meta({
      description: 'Whether the object exists in live mode. Always false: the sandbox is test mode only.',
    }),
    metadata: z
      .record(z.string(), z.string())
      .default(() => ({}))
      .meta({ description: 'Set of key-value pairs you attached to the object, for your own use.' }),
    name: nullableString('The customer’s full name or business name.'),
    next_invoice_sequence: z
      .int()
      .default(1)
      .meta({ description: 'The sequence number of the customer’s next invoice. Starts at 1.' }),
    phone: nullableString('The customer’s phone number.'),
    preferred_locales: z
      .array(z.string())
      .default(() => [])
      .meta({ description: 'The customer’s preferred languages, most preferred first.' }),
    shipping: shipping
      .nullable()
      .default(null)
      .meta({ description: 'Shipping information for the customer.' }),
    tax_exempt: z
      .enum(['none', 'exempt', 'reverse'])
      .default('none')
      .meta({ description: 'The customer’s tax exemption: `none`, `exempt`, or `reverse`.' }),
    test_clock: nullableString(
      'Id of the test clock the customer belongs to. Expandable; always null in the sandbox.',
    ),
  })
  .meta({
    id: 'customer',
    description: 'A customer of your business: who you charge, invoice and ship to.',
    'x-expandableFields': [...CUSTOMER_EXPANDABLE],
  });

export const deletedCustomer = z
  .strictObject({
    id: z.string().meta({ description: 'Unique identifier of the deleted customer.' }),
    object: z.literal('customer').meta({ description: 'String naming the object’s type: `customer`.' }),
    deleted: z.literal(true).meta({ description: 'Always true for a deleted object.' }),
  })
  .meta({ id: 'deleted_customer', description: 'What deleting a customer returns.' });

export const event = z
  .strictObject({
    id: z.string().meta({ description: 'Unique identifier for the object, `evt_` and 24 characters.' }),
    object: z.literal('event').meta({ description: 'String naming the object’s type: `event`.' }),
    api_version: z.string().meta({ description: 'The API version the event’s object is rendered in.' }),
    created: unixTime('Time at which the event was created, in seconds since the Unix epoch.'),
    data: z
      .strictObject({
        object: customer.meta({ description: 'The object the event is about, as it was after the change.' }),
        previous_attributes: z.optional(
          z.record(z.string(), z.unknown()).meta({
            description:
              'For `*.updated` events: the old values of the fields that changed. A metadata key that was new shows as null.',
          }),
        ),
      })
      .meta({ description: 'The object the event is about, and for updates what it was before.' }),
    livemode: z
      .literal(false)
      .meta({ description: 'Whether the event happened in live mode. Always false.' }),
    pending_webhooks: z.int().meta({
      description:
        'How many webhook endpoints the event was owed to when it was recorded (their deliveries are on the dashboard).',
    }),
    request: z
      .strictObject({
        id: nullableString('The id of the API request that caused the event, `req_…`.'),
        idempotency_key: nullableString('The idempotency key of that request, when it sent one.'),
      })
      .meta({ description: 'The API request that caused the event.' }),
    type: z.enum(EVENT_TYPES).meta({ description: 'What happened, such as `customer.created`.' }),
  })
  .meta({
    id: 'event',
    description: 'Something that happened in the account: an object was created, changed or deleted.',
  });

export const webhookEndpoint = z
  .strictObject({
    id: z.string().meta({ description: 'Unique identifier for the object, `we_` and 24 characters.' }),
    object: z
      .literal('webhook_endpoint')
      .meta({ description: 'String naming the object’s type: `webhook_endpoint`.' }),
    api_version: nullableString(
      'The API version events sent to this endpoint are rendered in; null for the account’s default.',
    ),
    application: z
      .null()
      .default(null)
      .meta({ description: 'The Connect application the endpoint belongs to. Always null in the sandbox.' }),
    created: unixTime('Time at which the object was created, in seconds since the Unix epoch.'),
    description: nullableString('An optional description of what the endpoint is for.'),
    enabled_events: z.array(z.enum(WEBHOOK_EVENT_CHOICES)).meta({
      description: 'The event types sent to the endpoint; `["*"]` sends every type.',
    }),
    livemode: z.boolean().meta({
      description: 'Whether the object exists in live mode. Always false: the sandbox is test mode only.',
    }),
    metadata: z
      .record(z.string(), z.string())
      .default(() => ({}))
      .meta({ description: 'Set of key-value pairs you attached to the object, for your own use.' }),
    secret: z.optional(
      z.string().meta({
        description:
          'The signing secret, `whsec_…`, that every delivery’s `Stripe-Signature` is made with. Returned only when the endpoint is created: keep it then.',
      }),
    ),
    status: z
      .enum(['enabled', 'disabled'])
      .meta({ description: 'Whether events are sent to the endpoint: `enabled` or `disabled`.' }),
    url: z.string().meta({ description: 'The URL events are sent to, with a POST request.' }),
  })
  .meta({
    id: 'webhook_endpoint',
    description: 'A URL of yours that the sandbox sends events to as they happen, signed with its secret.',
  });

export const deletedWebhookEndpoint = z
  .strictObject({
    id: z.string().meta({ description: 'Unique identifier of the deleted webhook endpoint.' }),
    object: z
      .literal('webhook_endpoint')
      .meta({ description: 'String naming the object’s type: `webhook_endpoint`.' }),
    deleted: z.literal(true).meta({ description: 'Always true for a deleted object.' }),
  })
  .meta({ id: 'deleted_webhook_endpoint', description: 'What deleting a webhook endpoint returns.' });

export const errorObject = z
  .strictObject({
    error: z
      .strictObject({
        type: z
          .enum(['invalid_request_error', 'idempotency_error', 'api_error'])
          .meta({ description: 'The kind of error.' }),
        message: z.string().meta({ description: 'What went wrong, for a person to read.' }),
        code: z.optional(
          z.string().meta({ description: 'A short string naming the error, for code to check.' }),
        ),
        param: z.optional(z.string().meta({ description: 'The parameter at fault, when it is one.' })),
        doc_url: z.optional(
          z.string().meta({ description: 'A link to this error’s section of the reference.' }),
        ),
        request_log_url: z.optional(
          z.string().meta({ description: 'A link to this request in the dashboard’s request log.' }),
        ),
      })
      .meta({ description: 'The error.' }),
  })
  .meta({ id: 'error', description: 'What every failed request returns, with a 4xx or 5xx status.' });

/** A page of a list: Stripe's list envelope around objects of one kind. */
export function listOf<T extends z.ZodType>(id: string, item: T, url: string) {
  return z
    .strictObject({
      object: z.literal('list').meta({ description: 'String naming the object’s type: `list`.' }),
      url: z.literal(url).meta({ description: 'The URL of this list.' }),
      has_more: z.boolean().meta({ description: 'Whether there are more objects after this page.' }),
      data: z.array(item).meta({ description: 'The objects of this page, newest first.' }),
    })
    .meta({ id, description: `A page of a list: ${url}.` });
}

/** Search results: a page of objects and the cursor of the next page. */
export function searchResultOf<T extends z.ZodType>(id: string, item: T, url: string) {
  return z
    .strictObject({
      object: z
        .literal('search_result')
        .meta({ description: 'String naming the object’s type: `search_result`.' }),
      url: z.literal(url).meta({ description: 'The URL of this search.' }),
      has_more: z.boolean().meta({ description: 'Whether there are more results after this page.' }),
      data: z.array(item).meta({ description: 'The matching objects of this page, newest first.' }),
      next_page: z
        .string()
        .nullable()
        .meta({ description: 'Pass as `page` to get the next page of results; null on the last page.' }),
    })
    .meta({ id, description: `A page of search results: ${url}.` });
}

/**
 * What operations return, by the id an operation's `returns` names. Operations name their
 * objects rather than import them, so that code shipped to the browser (the shell's CLI
 * reads the operations) does not carry zod and every schema with it.
 */
export const RETURNED_OBJECTS = {
  customer,
  deleted_customer: deletedCustomer,
  event,
  customer_list: listOf('customer_list', customer, '/v1/customers'),
  event_list: listOf('event_list', event, '/v1/events'),
  webhook_endpoint: webhookEndpoint,
  deleted_webhook_endpoint: deletedWebhookEndpoint,
  webhook_endpoint_list: listOf('webhook_endpoint_list', webhookEndpoint, '/v1/webhook_endpoints'),
  customer_search_result: searchResultOf('customer_search_result', customer, '/v1/customers/search'),
} as const satisfies Record<string, z.ZodType>;

export type ReturnedObjectId = keyof typeof RETURNED_OBJECTS;
export type Customer = z.infer<typeof customer>;
export type SandboxEvent = z.infer<typeof event>;
export type WebhookEndpoint = z.infer<typeof webhookEndpoint>;
