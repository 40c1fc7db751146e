/**
 * Code a widget needs only once the reader touches it: the first pointer, key or focus in the
 * widget starts the one import, and a submit made before it has arrived waits for that same
 * import and then runs, so no click is lost. A failed import is tried again on the next touch.
 * Written against EventTarget alone, so it runs (and is tested) without a browser.
 */
export interface FirstUse<Module> {
  /** The import, started now if nothing has started it yet. */
  load(): Promise<Module>;
}

const FIRST_TOUCH = ['pointerdown', 'focusin', 'keydown'] as const;

export function onFirstUse<Module>(
  widget: EventTarget,
  form: EventTarget,
  importer: () => Promise<Module>,
  ready: (module: Module) => void,
  submit: (module: Module) => void | Promise<void>,
): FirstUse<Module> {
  let loading: Promise<Module> | undefined;
  const load = () => {
    loading ??= importer().then(
      (module) => {
        ready(module);
        return module;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  const touch = () => void load().catch(() => undefined);
  for (const type of FIRST_TOUCH) widget.addEventListener(type, touch, { passive: true });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load().then(submit, () => undefined);
  });
  return { load };
}
