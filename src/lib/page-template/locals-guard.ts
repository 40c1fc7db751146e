import { TEMPLATE_HEADER } from './template-header.ts';

/**
 * The locals that name one reader. A page cached as a template is the same for every reader,
 * so it must show stand-ins where these would go (see pageSlots); a component that read one
 * of them while a template renders would bake that reader's key or address into the copy
 * every reader gets.
 */
export const READER_LOCALS = ['reader', 'slots', 'origin', 'secure', 'clientAddress'] as const;

export type ReaderLocal = (typeof READER_LOCALS)[number];

/** Thrown when a template page reads a reader's value; the render fails instead of leaking it. */
export class TemplateReadsReaderError extends Error {
  constructor(name: ReaderLocal) {
    super(
      `Astro.locals.${name} was read while a page that is cached as a template rendered. ` +
        `Template pages are shared by every reader: show a stand-in instead (pageSlots, STANDINS).`,
    );
    this.name = 'TemplateReadsReaderError';
  }
}

/** The locals objects of pages that declared themselves templates, while they render. */
const renderingTemplates = new WeakSet<object>();

/**
 * Puts the reader's values on `locals` behind getters that throw once the page has said it
 * is a template (markTemplatePage), as Starlight guards its route data. Set by the middleware
 * on every request it personalizes.
 */
export function setReaderLocals(locals: App.Locals, values: Pick<App.Locals, ReaderLocal>): void {
  for (const name of READER_LOCALS) {
    Object.defineProperty(locals, name, {
      configurable: true,
      enumerable: true,
      get() {
        if (renderingTemplates.has(locals)) throw new TemplateReadsReaderError(name);
        return values[name];
      },
    });
  }
}

/**
 * Declares the page being rendered a template of `path`: the production server may cache it
 * and fill it per reader (TEMPLATE_HEADER), and from here on reading a reader's local throws.
 * Pages call it first, before their layout renders.
 */
export function markTemplatePage(
  astro: { response: { headers: Headers }; locals: App.Locals },
  path: string,
): void {
  astro.response.headers.set(TEMPLATE_HEADER, path);
  renderingTemplates.add(astro.locals);
}
