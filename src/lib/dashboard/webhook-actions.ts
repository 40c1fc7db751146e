import type { Kysely } from 'kysely';
import type { Database, KeyMode, Role } from '../db/schema.ts';
import { field } from '../http/forms.ts';
import { can, keysCapability, type Capability } from '../teams/roles.ts';
import { resendDelivery } from '../webhooks/resend.ts';

/** What a webhook form did, for the page to show (ActionNotice), and the HTTP status to answer with. */
export type WebhookActionResult = { ok: boolean; message: string; status: 200 | 400 | 403 | 404 };

/**
 * The capability sending a delivery again takes. In test mode it is writing test data, which
 * Developers may do; a live delivery reaches a production handler, so only those who manage
 * live keys may resend one. View only never may.
 */
export function resendCapability(mode: KeyMode): Capability {
  return mode === 'live' ? 'keys:live' : 'data:write-test';
}

/** Whether a member may see an endpoint's signing secret: it is a credential, as the mode's keys are. */
export function mayRevealSecret(role: Role, mode: KeyMode): boolean {
  return can(role, keysCapability(mode));
}

/**
 * Carries out one form post from a webhook page (an endpoint's page or an event's): today
 * only `resend`. The role is checked here, not only by hiding the button, and the delivery
 * must be one of the account's in `mode` (the mode of the endpoint or event the page shows):
 * another account's id, or a forged one, changes nothing and gets the same answer as a
 * delivery that does not exist.
 */
export async function handleWebhookAction(
  db: Kysely<Database>,
  member: { accountId: string; role: Role },
  mode: KeyMode,
  form: FormData,
  now: number,
): Promise<WebhookActionResult> {
  const intent = field(form, 'intent');
  if (intent !== 'resend')
    return { ok: false, status: 400, message: 'That action is not one this page knows.' };
  if (!can(member.role, resendCapability(mode))) {
    return {
      ok: false,
      status: 403,
      message:
        mode === 'live'
          ? 'Only owners and administrators may resend live events.'
          : 'Your role may view deliveries but not resend them.',
    };
  }
  const deliveryId = field(form, 'delivery_id');
  const resent = await resendDelivery(db, { deliveryId, accountId: member.accountId, mode, now });
  return resent
    ? {
        ok: true,
        status: 200,
        message:
          'Resend queued: the event goes out again in a moment, and the attempt shows below as manual.',
      }
    : {
        ok: false,
        status: 404,
        message: `That delivery does not exist, or is not one of this account's ${mode} deliveries.`,
      };
}
