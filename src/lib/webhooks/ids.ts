import { customAlphabet } from 'nanoid';
import { KEY_ALPHABET } from '../ids.ts';

const idBody = customAlphabet(KEY_ALPHABET, 16);

/** A delivery's id (`whd_` + 16): internal, shown only on the dashboard. */
export const newDeliveryId = (): string => `whd_${idBody()}`;

/** An attempt's id (`wha_` + 16). */
export const newAttemptId = (): string => `wha_${idBody()}`;
