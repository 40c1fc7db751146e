import type { ApiCall } from '../../isomorphic/api-call.ts';
import { highlightFresh } from './highlight.ts';
import { SAMPLE_LANGUAGES } from './languages/index.ts';
import { compileTemplate, fillTemplate, type SlotValues } from '../page-template/standins.ts';

/** One language's sample, highlighted and filled for a reader. */
export interface RenderedPanel {
  tab: string;
  html: string;
}

/**
 * Every language's sample for a call a reader edited in a try-it widget, highlighted and
 * filled with their keys. Not cached: edited calls are one-offs.
 */
export async function renderCallPanels(call: ApiCall, values: SlotValues): Promise<RenderedPanel[]> {
  return Promise.all(
    SAMPLE_LANGUAGES.map(async (language) => ({
      tab: language.id,
      html: fillTemplate(
        compileTemplate(await highlightFresh(language.generate(call), language.grammar)),
        values,
      ),
    })),
  );
}
