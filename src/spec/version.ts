/** The API version the sandbox renders objects in when a request's `Stripe-Version` names none. */
export const DEFAULT_API_VERSION = '2026-07-29.dahlia';

/** What a `Stripe-Version` header must look like: a date, and optionally a release name. */
export const API_VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}(?:\.[a-z]+)?$/;
