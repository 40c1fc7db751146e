import { describe, expect, it, vi } from 'vitest';
import { onFirstUse } from '../../src/client/on-first-use.ts';

/** An import the test settles by hand, to press Run while it is still on its way. */
function pendingImport() {
  let settle!: { resolve: (module: string) => void; reject: (error: Error) => void };
  const importer = vi.fn(() => new Promise<string>((resolve, reject) => (settle = { resolve, reject })));
  return { importer, settle: () => settle };
}

function submit(form: EventTarget): Event {
  const event = new Event('submit', { cancelable: true });
  form.dispatchEvent(event);
  return event;
}

describe('code loaded on first use of a widget', () => {
  it('imports nothing until the widget is touched, then once however often it is touched', async () => {
    const widget = new EventTarget();
    const { importer, settle } = pendingImport();
    const ready = vi.fn();
    onFirstUse(widget, new EventTarget(), importer, ready, vi.fn());
    expect(importer).not.toHaveBeenCalled();
    widget.dispatchEvent(new Event('pointerdown'));
    widget.dispatchEvent(new Event('focusin'));
    widget.dispatchEvent(new Event('keydown'));
    expect(importer).toHaveBeenCalledTimes(1);
    settle().resolve('code');
    await vi.waitFor(() => expect(ready).toHaveBeenCalledWith('code'));
    expect(ready).toHaveBeenCalledTimes(1);
  });

  it('runs a submit made while the import is on its way once it arrives, with the same import', async () => {
    const widget = new EventTarget();
    const form = new EventTarget();
    const { importer, settle } = pendingImport();
    const ready = vi.fn();
    const run = vi.fn();
    onFirstUse(widget, form, importer, ready, run);
    widget.dispatchEvent(new Event('pointerdown'));
    const event = submit(form);
    expect(event.defaultPrevented).toBe(true);
    expect(run).not.toHaveBeenCalled();
    settle().resolve('code');
    await vi.waitFor(() => expect(run).toHaveBeenCalledWith('code'));
    expect(importer).toHaveBeenCalledTimes(1);
    // Wired before the first run, so the run finds the widget ready.
    expect(ready.mock.invocationCallOrder[0]).toBeLessThan(run.mock.invocationCallOrder[0]!);
  });

  it('starts the import on a submit with no touch before it (a form sent from a script)', async () => {
    const form = new EventTarget();
    const { importer, settle } = pendingImport();
    const run = vi.fn();
    onFirstUse(new EventTarget(), form, importer, vi.fn(), run);
    submit(form);
    expect(importer).toHaveBeenCalledTimes(1);
    settle().resolve('code');
    await vi.waitFor(() => expect(run).toHaveBeenCalledTimes(1));
  });

  it('tries the import again on the next touch when it failed', async () => {
    const widget = new EventTarget();
    const { importer, settle } = pendingImport();
    const ready = vi.fn();
    onFirstUse(widget, new EventTarget(), importer, ready, vi.fn());
    widget.dispatchEvent(new Event('pointerdown'));
    settle().reject(new Error('offline'));
    await vi.waitFor(() => expect(importer).toHaveBeenCalledTimes(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    widget.dispatchEvent(new Event('pointerdown'));
    expect(importer).toHaveBeenCalledTimes(2);
    settle().resolve('code');
    await vi.waitFor(() => expect(ready).toHaveBeenCalledTimes(1));
  });
});
