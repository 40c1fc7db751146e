import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/isomorphic/command-line/parse.ts';
import { parseWebhookLine } from '../../src/isomorphic/command-line/webhook-words.ts';

/**
 * The shell reads `trigger` and `listen` with the terminal CLI's own parser (its fixtures and
 * flags are tested in listen-and-trigger.test.ts), and refuses what only a terminal can do.
 */
describe('parseWebhookLine', () => {
  it('reads trigger and listen, with or without keyway/stripe first; null for anything else', () => {
    expect(parseWebhookLine('stripe trigger customer.created --override customer:email=a@b.co')).toEqual({
      kind: 'trigger',
      event: 'customer.created',
      flags: { override: ['customer:email=a@b.co'], add: [], remove: [] },
    });
    expect(parseWebhookLine('trigger customer.deleted --api-key=sk_test_x')).toMatchObject({
      apiKey: 'sk_test_x',
    });
    expect(parseWebhookLine('keyway listen')).toMatchObject({
      kind: 'listen',
      events: ['*'],
      forwardTo: null,
    });
    expect(parseWebhookLine('listen -e customer.created,customer.deleted')).toMatchObject({
      kind: 'listen',
      events: ['customer.created', 'customer.deleted'],
    });
    expect(parseWebhookLine('listen --events "*"')).toMatchObject({ kind: 'listen', events: ['*'] });
    expect(parseWebhookLine('customers list')).toBeNull();
    expect(parseWebhookLine('')).toBeNull();
  });

  it('explains each mistake, and sends forwarding to the terminal', () => {
    const message = (line: string) => {
      try {
        parseWebhookLine(line);
      } catch (error) {
        expect(error).toBeInstanceOf(CliError);
        return (error as Error).message;
      }
      throw new Error(`${line} was accepted`);
    };
    expect(message('trigger')).toMatch(/trigger needs an event/);
    expect(message('trigger customer.created extra')).toMatch(/one event at a time/);
    expect(message('trigger customer.created --overide customer:x=1')).toMatch(
      /Unknown option --overide for trigger\. Did you mean --override/,
    );
    expect(message('trigger customer.created --override')).toMatch(/--override needs a value/);
    expect(message('listen --forward-to localhost:4242')).toMatch(/runs in a terminal/);
    expect(message('listen --print-secret')).toMatch(/runs in a terminal/);
    expect(message('listen -H "X-A: 1"')).toMatch(/runs in a terminal/);
    expect(message('listen -e customer.craeted')).toMatch(
      /"customer.craeted", which isn't a valid event\. Did you mean customer.created/,
    );
    expect(message(`listen -e ${Array.from({ length: 51 }, (_, i) => `x${i}`).join(',')}`)).toMatch(
      /more than 50/,
    );
    expect(message('listen now')).toMatch(/takes flags only/);
    expect(message('trigger "customer.created')).toMatch(/unclosed quote/i);
  });
});
