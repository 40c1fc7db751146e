import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toWebRequest, writeWebResponse } from '../../src/server/web-bridge.ts';

let server: http.Server | undefined;

afterEach(() => {
  server?.close();
  server = undefined;
});

/** A loopback server that answers every request through the bridge with `handle`. */
async function bridged(handle: (request: Request) => Promise<Response>): Promise<number> {
  server = http.createServer((req, res) => {
    void handle(toWebRequest(req)).then((response) => writeWebResponse(response, res));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** One request on a fresh connection; the answer's status, raw headers and body. */
function send(
  port: number,
  method: string,
  body?: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, method, path: '/v1/thing', agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

describe('the bridge between Node and web requests (the sandbox)', () => {
  it('sends every Set-Cookie of a response, not only the last', async () => {
    const port = await bridged(async () => {
      const headers = new Headers({ 'content-type': 'text/plain' });
      headers.append('set-cookie', 'first=1; Path=/');
      headers.append('set-cookie', 'second=2; Path=/');
      return new Response('ok', { headers });
    });
    const answer = await send(port, 'GET');
    expect(answer.headers['set-cookie']).toEqual(['first=1; Path=/', 'second=2; Path=/']);
    expect(answer.body).toBe('ok');
  });

  it('sends the body with its length, and for HEAD the headers only', async () => {
    const port = await bridged(async () => new Response('{"object":"list"}', { status: 201 }));
    const get = await send(port, 'GET');
    expect(get.status).toBe(201);
    expect(get.headers['content-length']).toBe('17');
    expect(get.body).toBe('{"object":"list"}');
    const head = await send(port, 'HEAD');
    expect(head.headers['content-length']).toBe('17');
    expect(head.body).toBe('');
  });

  it('passes the request body through, with the method and headers', async () => {
    const port = await bridged(
      async (request) =>
        new Response(`${request.method} ${request.headers.get('host')} ${await request.text()}`),
    );
    const answer = await send(port, 'POST', 'email=jenny%40example.com');
    expect(answer.body).toBe(`POST 127.0.0.1:${port} email=jenny%40example.com`);
  });

  it('streams the request body: the handler reads its first part before the client sends the rest', async () => {
    const port = await bridged(async (request) => {
      const first = await request.body!.getReader().read();
      return new Response(new TextDecoder().decode(first.value));
    });
    const answer = await new Promise<string>((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port, method: 'POST', path: '/', agent: false },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            request.end();
            resolve(text);
          });
        },
      );
      request.on('error', reject);
      request.write('first part;');
    });
    expect(answer).toBe('first part;');
  });
});
