import { PERSONAL_CACHE_HEADERS } from './security-headers.ts';

/** A JSON answer about one reader's own data: no shared cache may keep it, and it differs per cookie. */
export function privateJson(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...PERSONAL_CACHE_HEADERS },
  });
}
