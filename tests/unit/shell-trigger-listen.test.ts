import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/isomorphic/command-line/parse.ts';
import { resolveStepPath, triggerSteps } from '../../src/isomorphic/command-line/trigger-fixtures.ts';
import { parseWebhookLine } from '../../src/isomorphic/command-line/webhook-words.ts';
import { listenTime } from '../../src/client/shell-webhooks.ts';

describe('triggerSteps', () => {
  it("plans the Stripe CLI's customer fixtures, the later steps naming the customer the first makes", () => {
    expect(triggerSteps('customer.created')).toEqual([
      {
        name: 'customer',
        method: 'POST',
        path: '/v1/customers',
        pairs: [['description', '(created by Keyway CLI)']],
      },
    ]);
    expect(triggerSteps('v1.customer.updated').map((step) => [step.name, step.method, step.path])).toEqual([
      ['customer', 'POST', '/v1/customers'],
      ['customer_updated', 'POST', '/v1/customers/${customer:id}'],
    ]);
    expect(triggerSteps('customer.deleted')[1]).toMatchObject({ method: 'DELETE', pairs: [] });
  });

  it('applies overrides by fixture name, nesting dotted paths, replacing what the fixture set', () => {
    const [create, update] = triggerSteps('customer.updated', [
      'customer:email=jenny@example.com',
      'customer:description=Mine',
      'customer_updated:metadata.plan=pro',
    ]);
    expect(create!.pairs).toEqual([
      ['email', 'jenny@example.com'],
      ['description', 'Mine'],
    ]);
    expect(update!.pairs).toEqual([
      ['metadata[foo]', 'bar'],
      ['metadata[plan]', 'pro'],
    ]);
    // The fixture itself is untouched for the next trigger.
    expect(triggerSteps('customer.created')[0]!.pairs).toEqual([['description', '(created by Keyway CLI)']]);
  });

  it("refuses an unknown event or a malformed override with the Stripe CLI's messages", () => {
    expect(() => triggerSteps('payment_intent.created')).toThrow(/`payment_intent.created` is not supported/);
    expect(() => triggerSteps('__proto__')).toThrow(CliError);
    expect(() => triggerSteps('customer.created', ['email=x'])).toThrow(
      /requires the name of the fixture.*\n\nValid fixture names are: \[customer\]/s,
    );
    expect(() => triggerSteps('customer.created', ['customer:email'])).toThrow(/requires a value to set/);
    expect(() => triggerSteps('customer.created', ['nobody:email=x'])).toThrow(/Valid fixture names/);
    expect(() => triggerSteps('customer.created', ['customer:a..b=x'])).toThrow(/requires a value/);
  });
});

describe('resolveStepPath', () => {
  it('puts in the id an earlier step returned, encoded, and refuses a hole', () => {
    expect(resolveStepPath('/v1/customers/${customer:id}', new Map([['customer', 'cus_1']]))).toBe(
      '/v1/customers/cus_1',
    );
    expect(resolveStepPath('/v1/customers/${customer:id}', new Map([['customer', '../x']]))).toBe(
      '/v1/customers/..%2Fx',
    );
    expect(() => resolveStepPath('/v1/customers/${customer:id}', new Map())).toThrow(CliError);
  });
});

describe('parseWebhookLine', () => {
  it('reads trigger and listen, with or without keyway/stripe first; null for anything else', () => {
    expect(parseWebhookLine('stripe trigger customer.created --override customer:email=a@b.co')).toEqual({
      kind: 'trigger',
      event: 'customer.created',
      overrides: ['customer:email=a@b.co'],
    });
    expect(parseWebhookLine('trigger customer.deleted --api-key=sk_test_x')).toMatchObject({
      apiKey: 'sk_test_x',
    });
    expect(parseWebhookLine('keyway listen')).toEqual({ kind: 'listen', events: [] });
    expect(parseWebhookLine('listen -e customer.created,customer.deleted')).toEqual({
      kind: 'listen',
      events: ['customer.created', 'customer.deleted'],
    });
    expect(parseWebhookLine('listen --events "*"')).toEqual({ kind: 'listen', events: [] });
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
    expect(message('trigger')).toMatch(/Name the event to trigger/);
    expect(message('trigger customer.created extra')).toMatch(/left over/);
    expect(message('trigger customer.created --overide customer:x=1')).toMatch(
      /no flag --overide\. Did you mean --override/,
    );
    expect(message('trigger customer.created --override')).toMatch(/--override needs a value/);
    expect(message('listen --forward-to localhost:4242')).toMatch(/runs in a terminal/);
    expect(message('listen --print-secret')).toMatch(/runs in a terminal/);
    expect(message('listen -e customer.craeted')).toMatch(/"customer.craeted", which isn't a valid event/);
    expect(message(`listen -e ${Array(51).fill('customer.created').join(',')}`)).toMatch(/at most 50/);
    expect(message('listen now')).toMatch(/left over/);
    expect(message('trigger "customer.created')).toMatch(/unclosed quote/);
  });
});

describe('listenTime', () => {
  it('prints a time as the Stripe CLI does, local and zero-padded', () => {
    expect(listenTime(new Date(2026, 0, 6, 8, 5, 9))).toBe('2026-01-06 08:05:09');
  });
});
