/** Webhook delivery: what the sandbox, the server and the dashboard use of it. */
export { endpointsOwed, enqueueDeliveries, endpointWants } from './enqueue.ts';
export { resendDelivery, type ResendRequest } from './resend.ts';
export { DEFAULT_RETRY_DELAYS_MS, nextAttemptAfter } from './schedule.ts';
export { DEFAULT_ATTEMPT_TIMEOUT_MS, RESPONSE_BODY_LIMIT, sendWebhook, type AttemptOutcome } from './send.ts';
export { DeliveryWorker, DEFAULT_LEASE_MS, type DeliveryWorkerOptions } from './worker.ts';
