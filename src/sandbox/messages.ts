/**
 * Every message the sandbox sends, in one place. The wording follows Stripe's where the
 * fact sheet records it; links point at this site's own docs and dashboard.
 */
export const messages = {
  noKey: (origin: string) =>
    "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). " +
    `See ${origin}/docs/api/authentication for details, or find your keys at ${origin}/dashboard/apikeys.`,
  malformedAuthorization: (origin: string) =>
    "Invalid Authorization header. Use 'Authorization: Bearer YOUR_SECRET_KEY', or HTTP Basic auth with the key as the user name and no password. " +
    `See ${origin}/docs/api/authentication.`,
  invalidKey: (masked: string, origin: string) =>
    `Invalid API Key provided: ${masked}. Find your keys at ${origin}/dashboard/apikeys.`,
  expiredKey: (masked: string, origin: string) =>
    `Expired API Key provided: ${masked}. This key was rolled; use the key that replaced it, shown at ${origin}/dashboard/apikeys.`,
  publishableKey: (origin: string) =>
    'This API call cannot be made with a publishable API key. Please use a secret API key. ' +
    `You can find a list of your API keys at ${origin}/dashboard/apikeys.`,
  liveKey: (origin: string) =>
    'Live mode needs an activated account, and the Keyway sandbox runs in test mode only: requests made with live keys are refused. ' +
    `Use your test secret key (sk_test_…) instead; it is at ${origin}/dashboard/apikeys and in every sample in the docs.`,
  sampleKeyForged: (masked: string, origin: string) =>
    `Invalid API Key provided: ${masked}. It is shaped like a sample key, but this site did not issue it: it was changed or mistyped. ` +
    `Reload the docs page (e.g. ${origin}/docs/first-request) for a fresh sample key and copy it again, or sign up at ${origin}/signup for keys of your own.`,
  sampleKeyExpired: (masked: string, origin: string) =>
    `Expired sample key provided: ${masked}. A sample key starts its guest sandbox only within 24 hours of the page view that showed it, and this one is older and was never used. ` +
    `Reload the docs page (e.g. ${origin}/docs/first-request) for a fresh sample key, or sign up at ${origin}/signup for keys of your own.`,
  guestLimit: (wait: string, origin: string) =>
    `Too many guest sandboxes were started from your network in the last 24 hours, so this sample key cannot start one. ` +
    `Try again in ${wait}, or sign up at ${origin}/signup for keys of your own, which have no such limit.`,
  samplePublishableKey: (origin: string) =>
    'This API call cannot be made with a publishable API key. Please use a secret API key: ' +
    `the sample's sk_test_ key, shown next to this one on the docs page (e.g. ${origin}/docs/first-request).`,
  // The dashboard's words lead (`Customers: Write`); Stripe's machine name follows for those
  // who search for it.
  restrictedKey: (masked: string, accountId: string, needed: string, granted: string, stripeId: string) =>
    `The provided key '${masked}' needs ${needed} for this endpoint on account '${accountId}', and has ${granted}. ` +
    `Give it ${needed} on the API keys page of the dashboard, or use a key that has it (Stripe calls this permission '${stripeId}').`,
  rateLimited: (origin: string) =>
    `Request rate limit exceeded. You can learn more about rate limits here ${origin}/docs/api/errors#rate_limit.`,
  unknownParameter: (name: string) => `Received unknown parameter: ${name}`,
  missingParameter: (name: string) => `Missing required param: ${name}.`,
  invalidInteger: (value: string) => `Invalid integer: ${value}`,
  integerTooLarge: (limit: number) => `This value must be less than or equal to ${limit}.`,
  integerTooSmall: (limit: number) => `This value must be greater than or equal to ${limit}.`,
  expectedString: (name: string) => `Invalid value for ${name}: expected a string, not an object or a list.`,
  expectedObject: (name: string) =>
    `Invalid ${name}: expected a hash of parameters such as ${name}[key]=value.`,
  expectedList: (name: string) => `Invalid ${name}: expected a list such as ${name}[]=value.`,
  tooFewItems: (name: string, min: number) =>
    `Invalid ${name}: must list at least ${min} item${min === 1 ? '' : 's'}, as ${name}[]=value.`,
  emptyNotAllowed: (name: string) =>
    `You passed an empty string for '${name}'. We assume empty values are an attempt to unset a parameter; however '${name}' cannot be unset. You should remove '${name}' from your request or supply a non-empty value.`,
  stringTooLong: (name: string, limit: number) => `Invalid ${name}: must be at most ${limit} characters.`,
  nulCharacter: (name: string) => `Invalid ${name}: must not contain NUL (\\u0000) characters.`,
  oneOf: (name: string, values: readonly string[]) =>
    `Invalid ${name}: must be one of ${values.slice(0, -1).join(', ')}, or ${values.at(-1)}`,
  invalidEmail: (value: string) => `Invalid email address: ${value}`,
  metadataTooManyKeys: (count: number) => `Metadata can have up to 50 keys, but you've set ${count}.`,
  metadataKeyTooLong: (key: string) => `Invalid key: ${key} must be a string under 40 characters`,
  metadataValueTooLong: (value: string) => `Invalid val: ${value} must be a string under 500 characters`,
  metadataKeyBrackets: (key: string) => `Invalid key: ${key} must not contain square brackets`,
  noSuchObject: (kind: string, id: string) => `No such ${kind}: '${id}'`,
  bothCursors: 'You may only specify one of these parameters: ending_before, starting_after.',
  typeAndTypes: 'You may only specify one of these parameters: type, types.',
  tooManyTypes: 'You may pass at most 20 event types in types.',
  notExpandable: (path: string) => `This property cannot be expanded (${path}).`,
  expandTooDeep: (path: string) => `You cannot expand more than 4 levels of a property (${path}).`,
  unsupportedContentType: (contentType: string) =>
    `Invalid request: unsupported Content-Type ${contentType}. Send the parameters as application/x-www-form-urlencoded (as the official SDKs and curl -d do).`,
  bodyTooLarge: 'Request body too large: the sandbox accepts bodies of at most 1 MB.',
  nestedTooDeep: 'Invalid request: parameters are nested more than 5 levels deep.',
  malformedBody: 'Invalid request: the body could not be decoded as form parameters.',
  invalidApiVersion: (version: string) =>
    `Invalid Stripe API version: ${version}. Versions look like 2026-07-29.dahlia; leave Stripe-Version out to use the default.`,
  idempotencyKeyTooLong: 'Idempotency keys may be at most 255 characters long.',
  idempotencyMismatch: (key: string) =>
    `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  idempotencyInUse: (key: string) =>
    `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
  unknownUrl: (method: string, path: string, origin: string) =>
    `Unrecognized request URL (${method}: ${path}). The sandbox serves the endpoints listed at ${origin}/docs/api/customers, ${origin}/docs/api/events and ${origin}/docs/api/webhook_endpoints.`,
  methodNotAllowed: (method: string, path: string) => `${path} does not accept ${method} requests.`,
  searchUnparsable:
    'We were unable to parse your search query. Try using the format `metadata["key"]:"value"` to query for metadata or key:"value" to query for other fields.',
  searchUnsupportedField: (field: string, resource: string, fields: readonly string[]) =>
    `Field \`${field}\` is an unsupported search field for resource \`${resource}\`. Searchable fields: ${fields.join(', ')}.`,
  searchUnsupportedOperator: (operator: string, field: string, type: string, operators: readonly string[]) =>
    `The operator \`${operator}\` is not supported on \`${field}\`, a ${type} field. Use ${operators.map((op) => `\`${op}\``).join(', ')}.`,
  searchSubstringTooShort: (clause: string, min: number) =>
    `Substring searches need at least ${min} characters: \`${clause}\` has fewer.`,
  searchQuoteStrings: (field: string, clause: string) =>
    `You must use quotation marks around string values: \`${clause}\` should be written ${field}:"…".`,
  searchNumericValue: (field: string, clause: string) =>
    `\`${field}\` takes a whole number such as a Unix time: \`${clause}\` is not one.`,
  searchNullValue: (clause: string) =>
    `\`${clause}\`: null (not set) works only with \`:\` on string fields and metadata, such as -metadata["key"]:null.`,
  searchMixedConnectors:
    'AND and OR cannot be combined in one search query (a space between clauses means AND): use one or the other.',
  searchTooManyClauses: (max: number) => `A search query can combine at most ${max} clauses.`,
  searchPageInvalid:
    'Invalid page: pass the next_page value of the previous page of this same search, or leave page out for the first page.',
  webhookUrlMalformed: (url: string) =>
    `Invalid URL: ${url}. Use an absolute URL such as https://example.com/webhooks, without spaces around it.`,
  webhookUrlScheme: (url: string) => `Invalid URL: ${url}. URLs must begin with "https://" or "http://".`,
  webhookUrlCredentials:
    'Invalid URL: a webhook URL must not include a user name or password (user:pass@). Check the signature of each delivery instead.',
  webhookUrlLivemode: (url: string) => `Invalid URL: ${url}. URLs in livemode must begin with "https://"`,
  webhookAllEventsAlone:
    'Invalid enabled_events: * already stands for every event type, so list it alone or list only the types you want.',
  webhookConnect:
    'Invalid connect: the sandbox has no connected accounts, so an endpoint cannot receive their events. Leave connect out or send false.',
  webhookEndpointLimit: (limit: number, mode: string) =>
    `You have reached the maximum of ${limit} webhook endpoints in ${mode} mode. Delete one you no longer use (DELETE /v1/webhook_endpoints/{id}) before creating another.`,
  internal: 'The sandbox failed while handling this request. It has been logged; please try again.',
} as const;
