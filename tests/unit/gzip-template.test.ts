import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  STANDINS,
  compileTemplate,
  encodeTemplate,
  fillEncodedTemplate,
  slotEncoder,
  type SlotValues,
} from '../../src/lib/page-template/standins.ts';
import { crc32Shift, multiplyCrc32 } from '../../src/server/compression/crc32-shift.ts';
import { canCopy, copyBlock } from '../../src/server/compression/deflate-copy.ts';
import { compileGzipTemplate, fillGzipTemplate } from '../../src/server/compression/gzip-template.ts';
import { GzipVariants } from '../../src/server/compression/gzip-variants.ts';

/** A readable filler of `n` characters that compresses like prose, not like a run. */
function prose(n: number, seed: string): string {
  let text = '';
  for (let i = 0; text.length < n; i++) text += `${seed} paragraph ${i} — naïve café ${(i * 7919) % 1000}. `;
  return text.slice(0, n);
}

/** A page that uses every slot, repeats keys near and far (> 32 KB apart), and has non-ASCII text. */
const PAGE = [
  `<html data-key-source="${STANDINS.keySource}"><header>${STANDINS.accountMenu}</header>`,
  `<p>${STANDINS.keyNote}</p>${STANDINS.keyBanner}<pre>curl ${STANDINS.apiBase}/v1/customers -u ${STANDINS.secretKey}:</pre>`,
  `<pre>${STANDINS.apiProtocol}://${STANDINS.apiHost}:${STANDINS.apiPort} ${STANDINS.publishableKey}</pre>`,
  prose(2000, 'near'),
  `<code>${STANDINS.secretKey}</code><code>${STANDINS.customerId}</code><code>${STANDINS.eventId}</code>`,
  prose(40_000, 'far'),
  `<code>${STANDINS.secretKey}</code><code>${STANDINS.customerId}</code>${STANDINS.secretKey}`,
  `</html>`,
].join('\n');
const template = encodeTemplate(compileTemplate(PAGE));

function readerValues(overrides: Partial<SlotValues> = {}): SlotValues {
  const key = (prefix: string) =>
    prefix + randomBytes(18).toString('base64url').replace(/[-_]/g, 'x').slice(0, 24);
  return {
    secretKey: key('sk_test_'),
    publishableKey: key('pk_test_'),
    webhookSecret: key('whsec_'),
    apiBase: 'http://localhost:4321',
    apiHost: 'localhost',
    apiPort: '4321',
    apiProtocol: 'http',
    keySource: 'sample',
    keyNote: 'These are sample keys.',
    accountMenu: '<a href="/login">Sign in</a>',
    keyBanner: '',
    keyIntro: '<p>Sample keys.</p>',
    customerId: 'cus_CREATE_A_CUSTOMER_FIRST',
    eventId: 'evt_SEND_A_REQUEST_FIRST',
    ...overrides,
  };
}

describe('CRC-32 arithmetic', () => {
  it('combines the CRCs of two pieces into the CRC of both, as zlib computes it', () => {
    for (const [a, b] of [
      [0, 1],
      [5, 0],
      [100, 33],
      [1, 70_000],
    ]) {
      const first = randomBytes(a!);
      const second = randomBytes(b!);
      const combined = multiplyCrc32(crc32Shift(second.length), zlib.crc32(first)) ^ zlib.crc32(second);
      expect(combined >>> 0).toBe(zlib.crc32(Buffer.concat([first, second])));
    }
  });
});

describe('deflate copy blocks', () => {
  it('repeat earlier bytes at any length and distance deflate allows', () => {
    const history = randomBytes(40_000);
    const stored = Buffer.alloc(5);
    stored.writeUInt16LE(history.length, 1);
    stored.writeUInt16LE(~history.length & 0xffff, 3);
    const lengths = Array.from({ length: 300 }, (_, i) => i + 3).concat([600, 1000]);
    const distances = [
      1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 24, 25, 32, 257, 1024, 1025, 24_577, 32_767, 32_768,
    ];
    for (const [length, distance] of lengths.flatMap((length) =>
      distances.map((distance) => [length, distance]),
    )) {
      const stream = Buffer.concat([stored, history, copyBlock(length!, distance!), Buffer.from([3, 0])]);
      const start = history.length - distance!;
      const expected = Buffer.alloc(length!);
      for (let i = 0; i < length!; i++)
        expected[i] = i < distance! ? history[start + i]! : expected[i - distance!]!;
      expect(zlib.inflateRawSync(stream).subarray(history.length), `${length} from ${distance}`).toEqual(
        expected,
      );
    }
  });

  it('refuse what deflate cannot express', () => {
    expect(canCopy(2, 10)).toBe(false);
    expect(canCopy(10, 32_769)).toBe(false);
    expect(() => copyBlock(10, 0)).toThrow(/Cannot copy 10 bytes from 0 back/);
  });
});

describe('gzip templates', () => {
  it('decode to exactly the page the plain fill gives, for readers of the same shape', async () => {
    const first = readerValues();
    const compiled = await compileGzipTemplate(template, slotEncoder(first));
    for (const values of [
      first,
      readerValues(),
      readerValues({ customerId: 'cus_0123456789abcd' + 'xxxxxxxxx' }),
    ]) {
      const body = fillGzipTemplate(compiled, slotEncoder(values));
      expect(zlib.gunzipSync(body)).toEqual(fillEncodedTemplate(template, values));
    }
  });

  it('take an account menu and a key banner of any length, since the stream is reset after each', async () => {
    const compiled = await compileGzipTemplate(template, slotEncoder(readerValues()));
    for (const email of ['a@b.co', `${'very.long.name'.repeat(40)}@example.com`]) {
      const values = readerValues({
        accountMenu: `<a title="${email}" href="/dashboard/apikeys">Dashboard</a>`,
        keyBanner: `<p class="kw-key-banner">Your role in <strong>${email}</strong> cannot see API keys.</p>`,
      });
      expect(zlib.gunzipSync(fillGzipTemplate(compiled, slotEncoder(values)))).toEqual(
        fillEncodedTemplate(template, values),
      );
    }
  });

  it('refuse a value of another length than the stream was compiled for', async () => {
    const compiled = await compileGzipTemplate(template, slotEncoder(readerValues()));
    const values = readerValues({ customerId: 'cus_0123456789abcd' });
    expect(() => fillGzipTemplate(compiled, slotEncoder(values))).toThrow(
      /customerId has 18 bytes; this stream was compiled for 27/,
    );
  });

  it('are much smaller than the page and near what gzip makes of it whole', async () => {
    const values = readerValues();
    const body = fillGzipTemplate(
      await compileGzipTemplate(template, slotEncoder(values)),
      slotEncoder(values),
    );
    const whole = zlib.gzipSync(fillEncodedTemplate(template, values), { level: 9 });
    expect(body.length).toBeLessThan(whole.length * 1.25);
  });

  it('compile a variant per origin and value lengths, each decoding right', async () => {
    const variants = new GzipVariants(template);
    for (const values of [
      readerValues(),
      readerValues({ apiBase: 'https://docs.example.com', apiHost: 'docs.example.com', apiPort: '443' }),
      readerValues({
        keySource: 'account',
        keyNote: 'These are your test keys.',
        eventId: 'evt_' + 'a'.repeat(24),
      }),
      readerValues(),
    ]) {
      const body = await variants.fill(slotEncoder(values));
      expect(zlib.gunzipSync(Buffer.concat(body!.chunks, body!.length))).toEqual(
        fillEncodedTemplate(template, values),
      );
    }
  });
});

/** A small seeded generator (mulberry32), so a failing fill can be replayed from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Characters of one, two, three and four UTF-8 bytes, and markup a value may carry. */
const ALPHABET = ['a', 'Z', '7', '_', '<', '"', '&', 'é', 'ß', '€', '中', '😀', ' '];

describe('gzip templates, filled at random', () => {
  const SEED = 20261201;
  const FILLS = 3000;

  it(`gunzip to the plain fill for ${FILLS} random fills, empty and multi-byte values included (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const text = (maxLength: number) => {
      let out = '';
      for (let n = Math.floor(random() * (maxLength + 1)); n > 0; n--)
        out += ALPHABET[Math.floor(random() * ALPHABET.length)];
      return out;
    };
    // Slots next to each other (empty text between gaps) and repeats near and far.
    const page = encodeTemplate(
      compileTemplate(
        [
          `${STANDINS.accountMenu}${STANDINS.secretKey}${STANDINS.customerId}${STANDINS.keyBanner}`,
          `<p>${STANDINS.keyNote}</p><pre>${STANDINS.apiBase} ${STANDINS.secretKey}${STANDINS.publishableKey}</pre>`,
          prose(600, 'middle'),
          `${STANDINS.eventId}${STANDINS.eventId}<code>${STANDINS.secretKey}</code>${STANDINS.customerId}`,
          prose(33_000, 'far'),
          `${STANDINS.secretKey}${STANDINS.keySource}${STANDINS.publishableKey}`,
        ].join(''),
      ),
    );
    /** One shape of reader per compile: the lengths of the fixed slots and the shared values. */
    const shapes = new Map<string, Awaited<ReturnType<typeof compileGzipTemplate>>>();
    for (let fill = 0; fill < FILLS; fill++) {
      // Few lengths (0 to 2 characters), so shapes repeat and one compile serves many fills.
      const fixed = () => text(2);
      const values: SlotValues = {
        secretKey: fixed(),
        publishableKey: fixed(),
        webhookSecret: fixed(),
        customerId: fixed(),
        eventId: fixed(),
        apiBase: 'http://localhost:4321',
        apiHost: '',
        apiPort: '',
        apiProtocol: '',
        keySource: 'sample',
        keyNote: random() < 0.5 ? '' : 'Sample key',
        accountMenu: text(40),
        keyBanner: text(20),
        keyIntro: random() < 0.5 ? '<p>Sample keys.</p>' : '<p>Your keys.</p>',
      };
      const value = slotEncoder(values);
      const shape = [
        ...(['secretKey', 'publishableKey', 'customerId', 'eventId'] as const).map(
          (slot) => value(slot).length,
        ),
        values.keyNote,
      ].join('\0');
      let compiled = shapes.get(shape);
      if (!compiled) {
        compiled = await compileGzipTemplate(page, value);
        shapes.set(shape, compiled);
      }
      const plain = fillEncodedTemplate(page, values);
      let decoded: Buffer;
      try {
        decoded = zlib.gunzipSync(fillGzipTemplate(compiled, value));
      } catch (error) {
        throw new Error(
          `Fill ${fill} (seed ${SEED}) does not gunzip: ${(error as Error).message}\n${JSON.stringify(values)}`,
        );
      }
      expect(decoded.equals(plain), `fill ${fill} (seed ${SEED}): ${JSON.stringify(values)}`).toBe(true);
    }
  }, 120_000);
});
