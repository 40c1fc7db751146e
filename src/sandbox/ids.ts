import { customAlphabet } from 'nanoid';
import { KEY_ALPHABET } from '../lib/ids.ts';

const fourteen = customAlphabet(KEY_ALPHABET, 14);
const twentyFour = customAlphabet(KEY_ALPHABET, 24);
const eight = customAlphabet('0123456789ABCDEF', 8);

/** `req_` + 14 characters, as Stripe's request ids. */
export const newRequestId = () => `req_${fourteen()}`;
/** `cus_` + 14 characters. */
export const newCustomerId = () => `cus_${fourteen()}`;
/** `evt_` + 24 characters, as Stripe's event ids. */
export const newEventId = () => `evt_${twentyFour()}`;
/** `we_` + 24 characters, as Stripe's webhook endpoint ids. */
export const newWebhookEndpointId = () => `we_${twentyFour()}`;
/** A customer's invoice prefix: 8 uppercase hexadecimal characters. */
export const newInvoicePrefix = () => eight();
