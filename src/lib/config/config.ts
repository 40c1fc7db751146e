import { z } from 'zod';
import {
  DEFAULT_DATABASE_URL,
  parseDatabaseUrl,
  REDACTED,
  redactPassword,
  type DatabaseLocation,
} from './database-url.ts';
import { compileRanges, type TrustedProxies } from '../http/client-address.ts';
import { isLoopbackHost } from './loopback-host.ts';

/** Keyway's run-time configuration, read once from the environment. */
export interface KeywayConfig {
  /** Port the server listens on. */
  port: number;
  /** Interface the server binds to. */
  host: string;
  /**
   * The origin that code samples point at (`{{API_BASE}}`), e.g. `https://docs.example.com`.
   * Unset: each request's own origin, so samples point wherever the reader reached the site.
   */
  publicOrigin: URL | null;
  /** Where state lives: `DATABASE_URL`, an SQLite file by default. */
  database: DatabaseLocation;
  /** Sandbox requests per second each key may make (`SANDBOX_RATE_LIMIT`, 25 as Stripe's sandbox). */
  sandboxRateLimit: number;
  /**
   * Where a docs page's source can be edited, its repository path appended
   * (`EDIT_URL_BASE`, e.g. `https://github.com/acme/keyway/edit/main/`). Unset: no link.
   */
  editUrlBase: string | null;
  /**
   * Where invitation and address-confirmation emails are sent through (`SMTP_URL`,
   * `smtp://user:pass@host:587` or `smtps://…`). Unset: invitations are only shown to the
   * inviter, to share themselves, and addresses are not confirmed (nothing to confirm with).
   */
  smtpUrl: string | null;
  /** The sender of those emails (`MAIL_FROM`). */
  mailFrom: string;
  /**
   * Signs sample keys (`SAMPLE_KEY_SECRET`, at least 32 characters). Unset: a random secret
   * the database keeps, which is what almost every site wants.
   */
  sampleKeySecret: string | null;
  /**
   * The proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`: a hop count,
   * or addresses and CIDR ranges). Null: the socket's address is the client's.
   */
  trustedProxies: TrustedProxies | null;
  /** Sign-up attempts each client address may make in an hour (`SIGNUP_RATE_LIMIT`). */
  signUpRateLimit: number;
  /** Limits on live walkthrough streams, each of which holds a connection open. */
  liveStreams: {
    /** Open streams one process holds in all (`LIVE_STREAMS_MAX`). */
    total: number;
    /** Open streams from one client address (`LIVE_STREAMS_PER_ADDRESS`). */
    perAddress: number;
    /** How often each stream is kept alive and its session checked (`LIVE_STREAM_HEARTBEAT_MS`). */
    heartbeatMs: number;
    /** How long a stream with nothing to send stays open (`LIVE_STREAM_IDLE_MS`). */
    idleMs: number;
  };
  /**
   * Rendered pages the page server keeps: the bytes of their templates and gzip streams
   * (`PAGE_CACHE_BYTES`, 32 MB: every page of the site in every language, about 150 KB each,
   * fits), and, when `PAGE_CACHE_ENTRIES` is set, their number. Past either, the least
   * recently used goes.
   */
  pageCache: { maxBytes: number; maxEntries?: number };
  /** Bytes of compressible static files kept in memory with their brotli and gzip copies (`STATIC_CACHE_BYTES`). */
  staticCacheBytes: number;
  /**
   * Bytes of the files made per site origin (`/llms.txt`, `/llms-full.txt`, `/cli/keyway.tgz`,
   * `/openapi.json`) kept for reuse (`ORIGIN_FILE_CACHE_BYTES`). Without PUBLIC_ORIGIN the
   * origin follows the Host header, which a client chooses, so the set of origins is not.
   */
  originFileCacheBytes: number;
  /**
   * Whether webhooks may go to loopback, private, link-local and metadata addresses
   * (`WEBHOOK_PRIVATE_TARGETS`: `allow`, `refuse`, or `auto`, the default: allowed only when
   * `HOST` is loopback, so a developer's own Keyway can call their `localhost` handler while a
   * Keyway serving others cannot be made to reach its own network).
   */
  webhookPrivateTargets: boolean;
  /**
   * Bytes kept of what signed-in readers' sessions and anonymous readers' sample keys were
   * found to be (`READER_CACHE_BYTES`, 8 MB; 0 keeps none), so a page view needs no query or
   * signature check again until something about the reader changes.
   */
  readerCacheBytes: number;
}

const portSchema = z.coerce
  .number({ error: 'expected a number' })
  .int('expected a whole number')
  .min(1, 'expected a port from 1 to 65535')
  .max(65535, 'expected a port from 1 to 65535');

/** A whole number of at least 1 of something. */
function countSchema(unit: string) {
  return z.coerce
    .number({ error: 'expected a number' })
    .int('expected a whole number')
    .min(1, `expected at least 1 ${unit}`);
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/**
 * A size of at least 1 KB: a whole number of bytes, or one with a unit (`64MB`, `512 KB`);
 * with `orNone`, also 0, for a cache that may be turned off.
 */
function bytesSchema({ orNone = false } = {}) {
  return z.string().transform((value, context) => {
    const match = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(value.trim());
    const bytes = match ? Number(match[1]) * BYTE_UNITS[(match[2] ?? '').toLowerCase()]! : NaN;
    if (orNone && bytes === 0) return 0;
    if (!Number.isSafeInteger(bytes) || bytes < 1024) {
      context.addIssue({
        code: 'custom',
        message: `expected ${orNone ? '0 (none kept) or ' : ''}a size of at least 1 KB, in bytes or with a unit (e.g. 33554432, 32MB, 512KB)`,
      });
      return z.NEVER;
    }
    return bytes;
  });
}

const originSchema = z
  .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
  .transform((value) => new URL(value))
  .refine((url) => (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash, {
    error: 'expected an origin alone, without a path, query or fragment (e.g. https://docs.example.com)',
  });

const databaseSchema = z.string().transform((value, context) => {
  try {
    return parseDatabaseUrl(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const trustedProxiesSchema = z.string().transform((value, context): TrustedProxies => {
  if (/^\d+$/.test(value.trim())) return { hops: Number(value) };
  const ranges = value
    .split(',')
    .map((range) => range.trim())
    .filter(Boolean);
  const expected =
    'expected a number of proxy hops (e.g. 1) or a comma-separated list of addresses and CIDR ranges (e.g. 10.0.0.0/8, ::1)';
  try {
    if (ranges.length === 0) throw new Error('no address given');
    compileRanges(ranges);
  } catch (error) {
    context.addIssue({ code: 'custom', message: `${expected}: ${(error as Error).message}` });
    return z.NEVER;
  }
  return { ranges };
});

const envSchema = z.object({
  PORT: portSchema.default(4321),
  HOST: z.string().min(1, 'expected a host name or address').default('localhost'),
  PUBLIC_ORIGIN: originSchema.optional(),
  DATABASE_URL: databaseSchema.prefault(DEFAULT_DATABASE_URL),
  SANDBOX_RATE_LIMIT: z.coerce
    .number({ error: 'expected a number' })
    .int('expected a whole number')
    .min(1, 'expected at least 1 request per second')
    .default(25),
  EDIT_URL_BASE: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).optional(),
  SMTP_URL: z
    .url({
      protocol: /^smtps?$/,
      error: 'expected an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587',
    })
    .optional(),
  MAIL_FROM: z.string().min(3).default('Keyway <no-reply@keyway.localhost>'),
  SAMPLE_KEY_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  TRUSTED_PROXIES: trustedProxiesSchema.optional(),
  SIGNUP_RATE_LIMIT: z.coerce
    .number({ error: 'expected a number' })
    .int('expected a whole number')
    .min(1, 'expected at least 1 sign-up an hour')
    .default(10),
  LIVE_STREAMS_MAX: countSchema('stream').default(1000),
  LIVE_STREAMS_PER_ADDRESS: countSchema('stream').default(30),
  LIVE_STREAM_HEARTBEAT_MS: countSchema('millisecond').default(15_000),
  LIVE_STREAM_IDLE_MS: countSchema('millisecond').default(10 * 60 * 1000),
  PAGE_CACHE_BYTES: bytesSchema().prefault('32MB'),
  PAGE_CACHE_ENTRIES: countSchema('page').optional(),
  STATIC_CACHE_BYTES: bytesSchema().prefault('8MB'),
  ORIGIN_FILE_CACHE_BYTES: bytesSchema().prefault('8MB'),
  WEBHOOK_PRIVATE_TARGETS: z
    .enum(['auto', 'allow', 'refuse'], { error: 'expected auto, allow or refuse' })
    .default('auto'),
  READER_CACHE_BYTES: bytesSchema({ orNone: true }).prefault('8MB'),
});

/** Thrown when the environment holds a bad value; the message lists each one. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment. Empty strings count as unset, so `PORT= npm start` uses the
 * default. A bad value fails with the variable's name, what it held and what was expected.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): KeywayConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => name in envSchema.shape && value !== ''),
  );
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const shown =
        name === 'SAMPLE_KEY_SECRET'
          ? REDACTED
          : name === 'DATABASE_URL' || name === 'SMTP_URL'
            ? redactPassword(present[name]!)
            : present[name];
      return `  ${name}=${JSON.stringify(shown)}: ${issue.message}`;
    });
    throw new ConfigError(`Keyway cannot start: bad configuration.\n${lines.join('\n')}`);
  }
  const {
    PORT,
    HOST,
    PUBLIC_ORIGIN,
    DATABASE_URL,
    SANDBOX_RATE_LIMIT,
    EDIT_URL_BASE,
    SMTP_URL,
    MAIL_FROM,
    SAMPLE_KEY_SECRET,
    TRUSTED_PROXIES,
    SIGNUP_RATE_LIMIT,
    PAGE_CACHE_BYTES,
    PAGE_CACHE_ENTRIES,
    STATIC_CACHE_BYTES,
    ORIGIN_FILE_CACHE_BYTES,
    WEBHOOK_PRIVATE_TARGETS,
    READER_CACHE_BYTES,
  } = result.data;
  const { LIVE_STREAMS_MAX, LIVE_STREAMS_PER_ADDRESS, LIVE_STREAM_HEARTBEAT_MS, LIVE_STREAM_IDLE_MS } =
    result.data;
  return {
    port: PORT,
    host: HOST,
    publicOrigin: PUBLIC_ORIGIN ?? null,
    database: DATABASE_URL,
    sandboxRateLimit: SANDBOX_RATE_LIMIT,
    editUrlBase: EDIT_URL_BASE ?? null,
    smtpUrl: SMTP_URL ?? null,
    mailFrom: MAIL_FROM,
    sampleKeySecret: SAMPLE_KEY_SECRET ?? null,
    trustedProxies: TRUSTED_PROXIES ?? null,
    signUpRateLimit: SIGNUP_RATE_LIMIT,
    liveStreams: {
      total: LIVE_STREAMS_MAX,
      perAddress: LIVE_STREAMS_PER_ADDRESS,
      heartbeatMs: LIVE_STREAM_HEARTBEAT_MS,
      idleMs: LIVE_STREAM_IDLE_MS,
    },
    pageCache: {
      maxBytes: PAGE_CACHE_BYTES,
      ...(PAGE_CACHE_ENTRIES === undefined ? {} : { maxEntries: PAGE_CACHE_ENTRIES }),
    },
    staticCacheBytes: STATIC_CACHE_BYTES,
    originFileCacheBytes: ORIGIN_FILE_CACHE_BYTES,
    webhookPrivateTargets:
      WEBHOOK_PRIVATE_TARGETS === 'auto' ? isLoopbackHost(HOST) : WEBHOOK_PRIVATE_TARGETS === 'allow',
    readerCacheBytes: READER_CACHE_BYTES,
  };
}
