import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { browse, newReaderWithKeys, sdk, sharedBase, type Reader } from '../support/sandbox.ts';

/**
 * The docs' own "create a customer" samples, copied off the page as a signed-in reader sees
 * them (their key already in place) and run unmodified with the real tools: curl, Node with
 * the official SDK, and Debian's python3-stripe. The page is fetched from the address the
 * server listens on, because a sample's base URL comes from the Host the page was asked with.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const PYTHON = '/usr/bin/python3';

/** The text of each sample panel, grouped by sample (`kw-s1`, …) and then by tab. */
function samplePanels(html: string): Map<string, Map<string, string>> {
  const samples = new Map<string, Map<string, string>>();
  const panel =
    /<div class="kw-sample__panel" id="(kw-s\d+)-panel-[^"]*"[^>]*\bdata-tab="([a-z-]+)"[^>]*>\s*(<pre[\s\S]*?<\/pre>)/g;
  for (const [, sample, tab, pre] of html.matchAll(panel)) {
    if (!samples.has(sample!)) samples.set(sample!, new Map());
    samples.get(sample!)!.set(tab!, codeText(pre!));
  }
  return samples;
}

/** What a reader copies out of shiki's HTML: the text, tags stripped, entities decoded. */
function codeText(pre: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
  return pre.replace(/<[^>]+>/g, '').replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === '#')
      return String.fromCodePoint(
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)),
      );
    const char = named[name.toLowerCase()];
    if (char === undefined) throw new Error(`Unknown entity ${entity} in a sample`);
    return char;
  });
}

let reader: Reader;
/** The create-customer sample, per language, as the reader would copy it. */
const create = new Map<string, string>();

beforeAll(async () => {
  reader = await newReaderWithKeys(sharedBase());
  for (const lang of ['curl', 'node', 'python']) {
    const response = await browse(reader.base, `/docs/api/customers?lang=${lang}`, reader.jar);
    expect(response.status).toBe(200);
    const samples = samplePanels(await response.text());
    const createSample = [...samples.values()].find((tabs) =>
      tabs.get('node')?.includes('customers.create('),
    );
    if (!createSample?.has(lang))
      throw new Error(`No create-customer sample with a ${lang} tab on /docs/api/customers`);
    create.set(lang, createSample.get(lang)!);
  }
});

/** Customers of the reader with the sample's email, by id. */
async function sampleCustomers(): Promise<Set<string>> {
  const list = await sdk(reader.secretKey).customers.list({ email: 'jenny.rosen@example.com', limit: 100 });
  return new Set(list.data.map((customer) => customer.id));
}

/**
 * Runs a sample and checks it made exactly one new customer, the one it printed, with the
 * sample's email, in the reader's account.
 */
async function expectOneNewCustomer(run: () => { status: number | null; stdout: string; stderr: string }) {
  const before = await sampleCustomers();
  const result = run();
  expect(result.status, `exit status; stderr: ${result.stderr}`).toBe(0);
  const printed = [...new Set(result.stdout.match(/cus_[0-9A-Za-z]{14}/g) ?? [])];
  expect(printed, result.stdout).toHaveLength(1);
  const after = await sampleCustomers();
  const added = [...after].filter((id) => !before.has(id));
  expect(added).toEqual(printed);
  const customer = await sdk(reader.secretKey).customers.retrieve(printed[0]!);
  expect(customer).toMatchObject({
    email: 'jenny.rosen@example.com',
    name: 'Jenny Rosen',
    metadata: { order_id: '6735' },
  });
  return result.stdout;
}

describe('the samples carry the reader and this server', () => {
  it.each(['curl', 'node', 'python'])(
    'the %s sample holds the reader’s own test key and this server’s address',
    (lang) => {
      const code = create.get(lang)!;
      expect(code).toContain(reader.secretKey);
      expect(code).toContain(new URL(reader.base).port);
      expect(code).toContain('jenny.rosen@example.com');
      expect(code).not.toMatch(/<|&[a-z]+;/);
    },
  );
});

describe('the create-customer samples run unmodified', () => {
  it('curl, with the real curl binary', async () => {
    const stdout = await expectOneNewCustomer(() =>
      spawnSync('bash', ['-c', create.get('curl')!], { encoding: 'utf8', timeout: 20_000 }),
    );
    expect(JSON.parse(stdout)).toMatchObject({ object: 'customer', email: 'jenny.rosen@example.com' });
  });

  it('Node, with the official stripe SDK', async () => {
    // Inside the project, so `import Stripe from 'stripe'` finds node_modules.
    const folder = mkdtempSync(join(root, '.snippet-'));
    try {
      const file = join(folder, 'create-customer.mjs');
      writeFileSync(file, create.get('node')!);
      const stdout = await expectOneNewCustomer(() =>
        spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 }),
      );
      expect(stdout).toContain("object: 'customer'");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('Python, with Debian’s python3-stripe 5.0.0', async () => {
    const version = spawnSync(PYTHON, ['-c', 'import stripe.version; print(stripe.version.VERSION)'], {
      encoding: 'utf8',
    });
    expect(
      version.status,
      `python3-stripe is missing (apt-get install -y python3-stripe): ${version.stderr}`,
    ).toBe(0);
    expect(version.stdout.trim()).toBe('5.0.0');

    const folder = mkdtempSync(join(tmpdir(), 'keyway-snippet-'));
    try {
      const file = join(folder, 'create_customer.py');
      writeFileSync(file, create.get('python')!);
      const stdout = await expectOneNewCustomer(() =>
        spawnSync(PYTHON, [file], { encoding: 'utf8', timeout: 20_000 }),
      );
      expect(JSON.parse(stdout)).toMatchObject({ object: 'customer', email: 'jenny.rosen@example.com' });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the search-customers samples run unmodified', () => {
  const QUERY = 'email~"search-sample" AND metadata["tier"]:"gold"';
  /** The reader's gold customers whose email has `search-sample`, newest first. */
  const wanted: string[] = [];
  const search = new Map<string, string>();

  beforeAll(async () => {
    const stripe = sdk(reader.secretKey);
    for (const [email, tier] of [
      ['a.search-sample@example.com', 'gold'],
      ['b.search-sample@example.com', 'silver'],
      ['c.search-sample@example.com', 'GOLD'],
      ['d@example.com', 'gold'],
    ]) {
      const customer = await stripe.customers.create({ email, metadata: { tier: tier! } });
      if (email!.includes('search-sample') && tier!.toLowerCase() === 'gold') wanted.unshift(customer.id);
    }
    // The samples a try-it shows for this call, filled with the reader's key and this server.
    const params = new URLSearchParams({ query: QUERY }).toString();
    const path = `/api/samples?method=GET&path=${encodeURIComponent('/v1/customers/search')}&params=${encodeURIComponent(params)}`;
    const response = await browse(reader.base, path, reader.jar);
    expect(response.status).toBe(200);
    const { panels } = (await response.json()) as { panels: Array<{ tab: string; html: string }> };
    for (const { tab, html } of panels) search.set(tab, codeText(html));
  });

  const printedIds = (stdout: string) => [...new Set(stdout.match(/cus_[0-9A-Za-z]{14}/g) ?? [])];

  it('curl, with the real curl binary', () => {
    const code = search.get('curl')!;
    expect(code).toContain(reader.secretKey);
    const result = spawnSync('bash', ['-c', code], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body).toMatchObject({ object: 'search_result', has_more: false, next_page: null });
    expect(body.data.map((customer: { id: string }) => customer.id)).toEqual(wanted);
  });

  it('Node, with the official stripe SDK', () => {
    const folder = mkdtempSync(join(root, '.snippet-'));
    try {
      const file = join(folder, 'search-customers.mjs');
      writeFileSync(file, search.get('node')!);
      const result = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain("object: 'search_result'");
      expect(printedIds(result.stdout)).toEqual(wanted);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('Python, with Debian’s python3-stripe 5.0.0', () => {
    const folder = mkdtempSync(join(tmpdir(), 'keyway-snippet-'));
    try {
      const file = join(folder, 'search_customers.py');
      writeFileSync(file, search.get('python')!);
      const result = spawnSync(PYTHON, [file], { encoding: 'utf8', timeout: 20_000 });
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ object: 'search_result', has_more: false });
      expect(printedIds(result.stdout)).toEqual(wanted);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
