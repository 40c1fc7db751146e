import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { produceExampleResponses } from '../../src/build/reference-examples/example-responses.ts';
import { eventExampleKey } from '../../src/lib/reference/event-examples.ts';
import { EVENT_TYPES, event as eventSchema } from '../../src/spec/objects.ts';

/**
 * The events catalog (/docs/api/event-types) shows one real event per type, recorded by the
 * sandbox during the build's example run: every type must get one, each a valid event, and
 * the catalog page must show them all.
 */
describe('the events catalog', () => {
  it('gets a real, valid event of every type from the build, customer.updated with its previous values', async () => {
    const responses = await produceExampleResponses();
    for (const type of EVENT_TYPES) {
      const example = responses[eventExampleKey(type)];
      expect(example, type).toBeDefined();
      const parsed = eventSchema.parse(example!.body);
      expect(parsed.type).toBe(type);
    }
    const updated = eventSchema.parse(responses[eventExampleKey('customer.updated')]!.body);
    // The update example sets a phone and a new metadata key: both were empty before.
    expect(updated.data.previous_attributes).toEqual({ phone: null, metadata: { vip: null } });
    const created = responses[eventExampleKey('customer.created')]!.body as {
      data: { object: { id: string } };
    };
    expect(created.data.object.id).toBe((responses['create-customer']!.body as { id: string }).id);
  });

  it('shows every event type on the catalog page', () => {
    const page = readFileSync(new URL('../../content/docs/api/event-types.mdx', import.meta.url), 'utf8');
    for (const type of EVENT_TYPES) {
      expect(page).toContain(`## ${type}\n`);
      expect(page).toContain(`<EventExample type="${type}" />`);
    }
  });
});
