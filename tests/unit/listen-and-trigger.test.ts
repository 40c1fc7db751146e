import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/isomorphic/command-line/parse.ts';
import { helpText } from '../../src/isomorphic/command-line/help.ts';
import { parseWebhookCommand } from '../../src/isomorphic/command-line/webhook-commands.ts';
import { readEventStream } from '../../src/isomorphic/webhooks/event-stream.ts';
import {
  ForwardTargetError,
  normalizeForwardTo,
  parseForwardHeaders,
} from '../../src/isomorphic/webhooks/forward-target.ts';
import {
  invalidEventWarning,
  listensFor,
  readListenEvents,
} from '../../src/isomorphic/webhooks/listen-events.ts';
import {
  eventLine,
  forwardErrorLine,
  listenTime,
  readyLine,
  responseLine,
} from '../../src/isomorphic/webhooks/listen-output.ts';
import {
  formPairs,
  planTrigger,
  resolveStepPath,
  TriggerError,
} from '../../src/isomorphic/webhooks/trigger-fixtures.ts';

describe('--forward-to, read as the Stripe CLI reads it', () => {
  it.each([
    ['3000', 'http://localhost:3000'],
    ['/hook', 'http://localhost/hook'],
    ['localhost:3000/webhook', 'http://localhost:3000/webhook'],
    ['127.0.0.1:4242/api/webhooks/stripe', 'http://127.0.0.1:4242/api/webhooks/stripe'],
    ['https://example.test/hook', 'https://example.test/hook'],
    ['HTTP://Example.test/hook', 'HTTP://Example.test/hook'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeForwardTo(input)).toBe(expected);
  });

  it.each([
    ['', /needs a URL/],
    ['ftp://example.test/hook', /must be an http:\/\/ or https:\/\/ URL/],
    ['javascript://alert(1)', /must be an http/],
    ['http://exa mple.test', /is not a URL/],
    ['http://user:secret@example.test/hook', /user name or password/],
  ])('refuses "%s"', (input, message) => {
    expect(() => normalizeForwardTo(input)).toThrow(ForwardTargetError);
    expect(() => normalizeForwardTo(input)).toThrow(message);
  });
});

describe('-H/--headers', () => {
  it('splits on commas and at the first colon, trimmed', () => {
    expect(parseForwardHeaders('X-Env: dev, Authorization: Bearer a:b ,X-Empty:')).toEqual([
      ['X-Env', 'dev'],
      ['Authorization', 'Bearer a:b'],
      ['X-Empty', ''],
    ]);
  });

  it('refuses entries that are not headers, and the headers it signs or frames with', () => {
    expect(() => parseForwardHeaders('no colon here')).toThrow(/"no colon here" is not one/);
    expect(() => parseForwardHeaders('Bad Name: x')).toThrow(/is not one/);
    expect(() => parseForwardHeaders('Stripe-Signature: t=1,v1=forged')).toThrow(
      /cannot set Stripe-Signature/,
    );
    expect(() => parseForwardHeaders('Host: elsewhere')).toThrow(/cannot set Host/);
  });
});

describe('--events', () => {
  it('keeps event types and *, and sets the others apart to warn about', () => {
    expect(readListenEvents('')).toEqual({ events: ['*'], invalid: [] });
    expect(readListenEvents(' customer.created ,customer.deleted,customer.created')).toEqual({
      events: ['customer.created', 'customer.deleted'],
      invalid: [],
    });
    expect(readListenEvents('customer.created,charge.succeeded')).toEqual({
      events: ['customer.created'],
      invalid: ['charge.succeeded'],
    });
    expect(invalidEventWarning('charge.succeeded')).toBe(
      `You're attempting to listen for "charge.succeeded", which isn't a valid event`,
    );
  });

  it('matches an event by its type, or any with *', () => {
    expect(listensFor(['*'], 'customer.updated')).toBe(true);
    expect(listensFor(['customer.created'], 'customer.created')).toBe(true);
    expect(listensFor(['customer.created'], 'customer.updated')).toBe(false);
  });
});

describe("listen's output lines", () => {
  const at = new Date(2026, 0, 6, 18, 3, 9);

  it("lays them out as Stripe's CLI does, in local time", () => {
    expect(listenTime(at)).toBe('2026-01-06 18:03:09');
    expect(readyLine('whsec_abc')).toBe('Ready! Your webhook signing secret is whsec_abc (^C to quit)');
    expect(eventLine(at, 'customer.created', 'evt_1')).toBe(
      '2026-01-06 18:03:09   --> customer.created [evt_1]',
    );
    expect(responseLine(at, 200, 'http://localhost:3000/webhook', 'evt_1')).toBe(
      '2026-01-06 18:03:09  <--  [200] POST http://localhost:3000/webhook [evt_1]',
    );
    expect(forwardErrorLine(at, 'connect ECONNREFUSED 127.0.0.1:3000')).toBe(
      '2026-01-06 18:03:09            [ERROR] Failed to POST: connect ECONNREFUSED 127.0.0.1:3000',
    );
  });
});

describe('trigger fixtures', () => {
  it("makes each event with Stripe's fixture requests", () => {
    expect(planTrigger('customer.created')).toEqual([
      {
        name: 'customer',
        method: 'POST',
        path: '/v1/customers',
        params: { description: '(created by Keyway CLI)' },
      },
    ]);
    expect(planTrigger('customer.updated').map((step) => [step.name, step.method, step.path])).toEqual([
      ['customer', 'POST', '/v1/customers'],
      ['customer_updated', 'POST', '/v1/customers/${customer:id}'],
    ]);
    expect(planTrigger('v1.customer.deleted').map((step) => [step.name, step.method])).toEqual([
      ['customer', 'POST'],
      ['customer_deleted', 'DELETE'],
    ]);
  });

  it('applies --override (dots nest), --add (only what is missing) and --remove', () => {
    const [customer, updated] = planTrigger('customer.updated', {
      override: [
        'customer:email=jenny@example.com',
        'customer:metadata.plan=pro',
        'customer_updated:metadata.foo=baz',
      ],
      add: ['customer:description=kept?', 'customer:name=Jenny'],
      remove: ['customer:metadata.missing.deeper'],
    });
    expect(formPairs(customer!.params)).toEqual([
      ['description', '(created by Keyway CLI)'],
      ['email', 'jenny@example.com'],
      ['metadata[plan]', 'pro'],
      ['name', 'Jenny'],
    ]);
    expect(formPairs(updated!.params)).toEqual([['metadata[foo]', 'baz']]);
    const [removed] = planTrigger('customer.created', { remove: ['customer:description'] });
    expect(removed!.params).toEqual({});
    // The fixture itself is not changed by a run's flags.
    expect(planTrigger('customer.created')[0]!.params).toEqual({ description: '(created by Keyway CLI)' });
  });

  it("refuses a malformed flag with Stripe's messages", () => {
    expect(() => planTrigger('customer.created', { override: ['email=x'] })).toThrow(
      new TriggerError(
        'Invalid value for override flag (email=x). The override flag requires the name of the fixture to apply (--override fixtureName:path.to.param=value).\n\nValid fixture names are: [customer]',
      ),
    );
    expect(() => planTrigger('customer.created', { override: ['customer:email'] })).toThrow(
      new TriggerError(
        'Invalid value for override flag (customer:email). The override flag requires a value to set (--override fixtureName:path.to.param=value).',
      ),
    );
    expect(() => planTrigger('customer.deleted', { add: ['charge:amount=1'] })).toThrow(
      /There is no fixture named charge in this trigger[\s\S]*Valid fixture names are: \[customer customer_deleted\]/,
    );
    expect(() => planTrigger('customer.created', { remove: ['description'] })).toThrow(
      /requires the name of the fixture to apply \(--remove fixtureName:path\.to\.param\)/,
    );
  });

  it('refuses a path that would reach past the parameters', () => {
    for (const path of ['__proto__.polluted', 'metadata..x', 'constructor.prototype.x', 'a[b]']) {
      expect(() => planTrigger('customer.created', { override: [`customer:${path}=1`] }), path).toThrow(
        /is not a parameter path/,
      );
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names the supported events for one it cannot make', () => {
    expect(() => planTrigger('charge.succeeded')).toThrow(
      'The event `charge.succeeded` is not supported by Keyway CLI. To trigger unsupported events, use the Keyway API.\n\nSupported events:\n  customer.created\n  customer.updated\n  customer.deleted',
    );
  });

  it('fills a path from the earlier responses, encoded', () => {
    const results = new Map([['customer', { id: 'cus_123' }]]);
    expect(resolveStepPath('/v1/customers/${customer:id}', results)).toBe('/v1/customers/cus_123');
    expect(resolveStepPath('/v1/customers/${customer:id}', new Map([['customer', { id: '../x' }]]))).toBe(
      '/v1/customers/..%2Fx',
    );
    expect(() => resolveStepPath('/v1/customers/${customer:id}', new Map())).toThrow(/returned no id/);
  });
});

describe('listen and trigger on the command line', () => {
  it('reads listen flags in both spellings, normalising as it goes', () => {
    expect(
      parseWebhookCommand([
        'stripe',
        'listen',
        '-f',
        '3000',
        '--events=customer.created,nope',
        '-H',
        'X-A: 1',
        '--headers',
        'X-B: 2',
        '--print-secret',
        '--api-key',
        'sk_test_x',
      ]),
    ).toEqual({
      kind: 'listen',
      forwardTo: 'http://localhost:3000',
      events: ['customer.created'],
      invalidEvents: ['nope'],
      headers: [
        ['X-A', '1'],
        ['X-B', '2'],
      ],
      printSecret: true,
      skipVerify: false,
      apiKey: 'sk_test_x',
    });
    expect(parseWebhookCommand(['customers', 'list'])).toBeNull();
  });

  it('reads trigger flags, repeated', () => {
    expect(
      parseWebhookCommand([
        'trigger',
        'customer.created',
        '--override',
        'customer:email=a@b.co',
        '--add=customer:name=A',
      ]),
    ).toEqual({
      kind: 'trigger',
      event: 'customer.created',
      flags: { override: ['customer:email=a@b.co'], add: ['customer:name=A'], remove: [] },
    });
  });

  it('explains what it cannot read', () => {
    expect(() => parseWebhookCommand(['listen', '--forward'])).toThrow(CliError);
    expect(() => parseWebhookCommand(['listen', '--forward'])).toThrow(/Unknown option --forward for listen/);
    expect(() => parseWebhookCommand(['listen', '--forward-to'])).toThrow('--forward-to needs a value.');
    expect(() => parseWebhookCommand(['listen', '--forward-to', 'ftp://x'])).toThrow(
      /http:\/\/ or https:\/\//,
    );
    expect(() => parseWebhookCommand(['listen', 'extra'])).toThrow(/listen takes flags only/);
    expect(() => parseWebhookCommand(['listen', '--print-secret=yes'])).toThrow(
      '--print-secret takes no value.',
    );
    expect(() =>
      parseWebhookCommand(['listen', '--events', Array.from({ length: 60 }, (_, i) => `e${i}`).join(',')]),
    ).toThrow(/more than 50 events/);
    expect(() => parseWebhookCommand(['trigger'])).toThrow(/trigger needs an event/);
    expect(() => parseWebhookCommand(['trigger', 'a', 'b'])).toThrow(/one event at a time/);
  });

  it('has help for both, and lists them in the general help', () => {
    expect(helpText([])).toMatch(/listen \[--forward-to/);
    expect(helpText([])).toContain('trigger customer.created|customer.updated|customer.deleted');
    expect(helpText(['listen'])).toContain('--print-secret');
    expect(helpText(['trigger'])).toContain('--override fixture:path.to.param=value');
    expect(helpText(['listn'])).toContain('Did you mean listen?');
  });
});

describe('the event stream reader', () => {
  it('yields messages across chunk boundaries, skipping heartbeats', async () => {
    const chunks = [
      'event: ready\r\ndata: {"secret":"whsec_1"}\r\n\r\n: keep-',
      'alive\n\nevent: webhook\nid: evt_1\nda',
      'ta: {"id":"evt_1"}\n\n',
    ];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
        controller.close();
      },
    });
    const messages = [];
    for await (const message of readEventStream(body)) messages.push(message);
    expect(messages).toEqual([
      { event: 'ready', id: null, data: '{"secret":"whsec_1"}' },
      { event: 'webhook', id: 'evt_1', data: '{"id":"evt_1"}' },
    ]);
  });
});
