import { AstroError } from 'astro/errors';
import { TOKENS, type ApiCall, type Params } from '../../isomorphic/api-call.ts';
import { SAMPLE_LANGUAGES } from './languages/index.ts';
import { ApiCallError, resolveApiCall } from '../../isomorphic/resolve-call.ts';
import type { SampleSource } from './sample-tabs.ts';

/**
 * What `<Request>` and `<TryIt>` share: the author's call resolved (a bad one fails the build
 * with a hint naming the component), and its sample in every language.
 */
export function samplesForCall(
  component: string,
  method: string,
  path: string,
  params: Params,
): { call: ApiCall; samples: SampleSource[] } {
  let call: ApiCall;
  try {
    call = resolveApiCall(method, path, params);
  } catch (error) {
    if (error instanceof ApiCallError) throw new AstroError(`<${component}>: ${error.message}`, error.hint);
    throw error;
  }
  // An id in an author's path is an example: samples name the reader's own latest object.
  if (call.objectId) {
    call = {
      ...call,
      objectId: call.operation.resource === 'customers' ? TOKENS.customerId : TOKENS.eventId,
    };
  }
  const samples = SAMPLE_LANGUAGES.map((language) => ({
    tab: language.id,
    label: language.label,
    grammar: language.grammar,
    code: language.generate(call),
  }));
  return { call, samples };
}
