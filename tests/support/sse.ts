/** Reads Server-Sent Events from a fetch response, for tests. */
export class EventReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  readonly events: Array<{ event: string; data: string }> = [];
  /** Settles when the server ends the stream (or it is cancelled). */
  readonly ended: Promise<void>;

  constructor(response: Response) {
    this.#reader = response.body!.getReader();
    this.ended = this.#pump();
  }

  async #pump(): Promise<void> {
    for (;;) {
      const { done, value } = await this.#reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      this.#buffer += this.#decoder.decode(value, { stream: true });
      let end: number;
      while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined) this.events.push({ event, data });
      }
    }
  }

  /** Waits until an event matches, or fails after `timeoutMs`. */
  async waitFor(match: (event: { event: string; data: string }) => boolean, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.events.find(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`No matching event within ${timeoutMs} ms; saw ${JSON.stringify(this.events)}`);
  }

  close(): void {
    void this.#reader.cancel().catch(() => {});
  }
}
