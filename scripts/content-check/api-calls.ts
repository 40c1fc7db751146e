import type { Params } from '../../src/isomorphic/api-call.ts';
import { formPairs } from '../../src/lib/snippets/languages/form-pairs.ts';
import { ApiCallError, resolveApiCall } from '../../src/isomorphic/resolve-call.ts';
import { SandboxError } from '../../src/sandbox/errors.ts';
import { decodeForm } from '../../src/sandbox/params.ts';
import { routeFor, validateRouteParams } from '../../src/sandbox/router.ts';

/** Why a `<Request>` or `<TryIt>` call would fail, and which of its props is at fault. */
export interface CallRefusal {
  message: string;
  /** The prop at fault: `method`, `path`, or one top-level parameter inside `params`. */
  at: 'method' | 'path' | { param: string };
}

/** Error messages name this origin where the sandbox would name the site's own. */
const ORIGIN = 'http://localhost:4321';

/**
 * Asks the two places that judge a call written in the docs, without a database: the
 * samples' operation list (the build refuses what it cannot render) and the sandbox's own
 * routing and parameter validation (what a reader's copied sample would be refused).
 * The parameters travel as the samples send them: form-encoded with brackets, then decoded
 * by the sandbox's decoder.
 */
export function refusalOf(method: string, path: string, params: Params): CallRefusal | undefined {
  try {
    resolveApiCall(method, path, params);
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    const message = `${error.message} ${error.hint}`;
    if (error.param) return { message, at: { param: error.param } };
    return { message, at: servesPathWithAnotherMethod(method, path) ? 'method' : 'path' };
  }
  try {
    const { route } = routeFor(method, path, ORIGIN);
    validateRouteParams(route, decodeForm(new URLSearchParams(formPairs(params)).toString()));
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    const code = error.code ? ` ${error.code}` : '';
    const message = `The sandbox would refuse ${method} ${path} (${error.status}${code}): ${error.message}`;
    if (error.param) return { message, at: { param: topLevel(error.param) } };
    return { message, at: error.status === 405 ? 'method' : 'path' };
  }
  return undefined;
}

/** Whether the sandbox knows the path but not the method: then the method is what to fix. */
function servesPathWithAnotherMethod(method: string, path: string): boolean {
  try {
    routeFor(method, path, ORIGIN);
    return false;
  } catch (error) {
    return error instanceof SandboxError && error.status === 405;
  }
}

/** `shipping[address][city]` → `shipping`: the parameter as the author wrote it. */
function topLevel(param: string): string {
  return param.split('[')[0]!;
}
