import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
import { inject } from 'vitest';

/** A browser-like cookie jar for plain fetch: keeps what Set-Cookie gives, sends it back. */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  store(response: Response): void {
    this.storeLines(response.headers.getSetCookie());
  }

  /** Keeps what `Set-Cookie` header lines set. */
  storeLines(lines: readonly string[] = []): void {
    for (const line of lines) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, index).trim(), pair!.slice(index + 1).trim());
    }
  }
}

/** GET a path of the test server with a jar's cookies, storing what it sets. */
export async function get(path: string, jar?: CookieJar, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (jar && jar.cookies.size > 0) headers.set('cookie', jar.header());
  const response = await fetch(`${inject('baseUrl')}${path}`, { redirect: 'manual', ...init, headers });
  jar?.store(response);
  return response;
}

/** Every distinct match of a pattern in a text. */
export function distinct(text: string, pattern: RegExp): string[] {
  return [...new Set(text.match(pattern) ?? [])];
}

export const SECRET_KEY_PATTERN = /sk_test_[0-9A-Za-z]{24}/g;
export const PUBLISHABLE_KEY_PATTERN = /pk_test_[0-9A-Za-z]{24}/g;

/** GET with a chosen Host header, which fetch does not let a caller set. */
export function getWithHost(path: string, host: string, base: string = inject('baseUrl')): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.get({ hostname, port, path, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    request.on('error', reject);
  });
}

/** POST a form to the test server as a same-origin browser page would (with Origin). */
export async function postForm(
  path: string,
  fields: Record<string, string>,
  jar?: CookieJar,
  headers: Record<string, string> = { origin: inject('baseUrl') },
): Promise<Response> {
  return get(path, jar, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/**
 * A request to a server a test file started itself, with a jar's cookies, as a same-origin
 * page sends it: a form post when fields are given, else a GET. Stores what it sets.
 */
export async function sendTo(
  baseUrl: string,
  path: string,
  jar: CookieJar,
  fields?: Record<string, string>,
): Promise<Response> {
  const headers: Record<string, string> = { origin: baseUrl };
  if (jar.cookies.size > 0) headers.cookie = jar.header();
  if (fields) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(`${baseUrl}${path}`, {
    method: fields ? 'POST' : 'GET',
    redirect: 'manual',
    headers,
    body: fields ? new URLSearchParams(fields) : undefined,
  });
  jar.store(response);
  return response;
}

let readers = 0;

/** Signs a new reader up through the form; the jar then holds their session. */
export async function signUpReader(jar: CookieJar, password = 'correct horse battery'): Promise<string> {
  const email = `reader${++readers}.${process.pid}.${Date.now()}@example.com`;
  const response = await postForm('/signup', { email, password }, jar);
  if (response.status !== 303)
    throw new Error(`Sign-up failed with ${response.status}: ${await response.text()}`);
  return email;
}

/** A response as it came over the wire: the body still in its content coding. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes sent, before any decoding (what a transfer costs). */
  body: Buffer;
  /** The body with its content coding undone. */
  decoded: () => Buffer;
}

/**
 * A request with plain node:http, which (unlike fetch) neither adds an Accept-Encoding
 * of its own nor decodes the body, so tests see exactly what the server sent. Sends the
 * jar's cookies and stores what the response sets.
 */
export function rawRequest(
  path: string,
  {
    headers = {},
    jar,
    method = 'GET',
  }: { headers?: http.OutgoingHttpHeaders; jar?: CookieJar; method?: string } = {},
): Promise<RawResponse> {
  const cookie = jar && jar.cookies.size > 0 ? { cookie: jar.header() } : {};
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${inject('baseUrl')}${path}`,
      { method, headers: { ...cookie, ...headers } },
      (response) => {
        jar?.storeLines(response.headers['set-cookie']);
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            body,
            decoded: () => decodeBody(body, response.headers['content-encoding']),
          });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

function decodeBody(body: Buffer, coding: string | undefined): Buffer {
  if (coding === undefined) return body;
  if (coding === 'gzip') return zlib.gunzipSync(body);
  if (coding === 'br') return zlib.brotliDecompressSync(body);
  throw new Error(`Unexpected content coding: ${coding}`);
}

/**
 * A HEAD request written on a plain socket, with what the server sent after the headers.
 * fetch and node:http both drop a HEAD response's body unread, so only a socket can see one.
 */
export function headOverSocket(path: string): Promise<{ status: number; afterHeaders: Buffer }> {
  const { hostname, port, host } = new URL(inject('baseUrl'));
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('connect', () =>
      socket.write(`HEAD ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // Connection: close, so the server ends the connection once it has sent everything.
    socket.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const end = bytes.indexOf('\r\n\r\n');
      if (end < 0) return reject(new Error(`No complete response head: ${bytes.toString('latin1')}`));
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(bytes.toString('latin1'))?.[1]),
        afterHeaders: bytes.subarray(end + 4),
      });
    });
    socket.on('error', reject);
  });
}
