/**
 * What the live walkthrough shows once a request of the reader's arrives, loaded then rather
 * than with the page: a reader who has sent nothing yet needs neither.
 */
export { explainFailure } from '../isomorphic/error-advice.ts';
export { logCard } from './log-card.ts';
