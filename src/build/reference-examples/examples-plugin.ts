import type { Plugin } from 'vite';
import { produceExampleResponses, type ExampleResponses } from './example-responses.ts';

/** The module the reference components import the example responses from. */
export const EXAMPLES_MODULE = 'virtual:keyway/reference-examples';
const RESOLVED = `\0${EXAMPLES_MODULE}`;

/**
 * Makes the example responses at build time and hands them to the pages as a module, so
 * they are baked into the build: no page render runs the sandbox or opens a database, and
 * the production server serves them as it serves the rest of the page.
 */
export function referenceExamples(): Plugin {
  let responses: Promise<ExampleResponses> | undefined;
  return {
    name: 'keyway:reference-examples',
    resolveId: (id) => (id === EXAMPLES_MODULE ? RESOLVED : undefined),
    async load(id) {
      if (id !== RESOLVED) return undefined;
      responses ??= produceExampleResponses();
      return `export default ${JSON.stringify(await responses)};`;
    },
  };
}
