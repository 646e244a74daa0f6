import { z } from 'zod';
import type { PhotoPrismEmulator } from '../index';

/**
 * Helpers for the emulator's own spec tests: plain fetch over HTTP, like any client would.
 */

/** The login fields the tests read. */
export const LoginBody = z.object({
  access_token: z.string(),
  id: z.string(),
  session_id: z.string(),
  expires_in: z.number(),
  provider: z.string(),
  scope: z.string(),
  config: z.object({ previewToken: z.string(), downloadToken: z.string() }).loose(),
  user: z.object({ UID: z.string(), Name: z.string(), Role: z.string() }).loose(),
});
export type LoginBody = z.infer<typeof LoginBody>;

/** Logs in with JSON credentials and returns the parsed envelope. */
export async function login(
  e: PhotoPrismEmulator,
  creds: { username: string; password: string; code?: string } = e.credentials,
): Promise<LoginBody> {
  const res = await fetch(`${e.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(creds),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return LoginBody.parse(await res.json());
}

/** fetch against the API with an X-Auth-Token. */
export function api(e: PhotoPrismEmulator, token: string) {
  return (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> =>
    fetch(`${e.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json', ...init.headers },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
}

/** A search row, loosely typed: the tests check individual keys. */
export const Row = z
  .object({
    ID: z.string(),
    UID: z.string(),
    Hash: z.string(),
    FileUID: z.string(),
    Files: z.array(z.object({ UID: z.string(), Hash: z.string() }).loose()).nullable(),
  })
  .loose();
export type Row = z.infer<typeof Row>;

/** Parses a photo search response body. */
export async function rows(res: Response): Promise<Row[]> {
  return z.array(Row).parse(await res.json());
}

/** A JSON object of unknown shape, for key checks. */
export async function obj(res: Response): Promise<Record<string, unknown>> {
  return z.record(z.string(), z.unknown()).parse(await res.json());
}

/** A controllable clock for expiry and limiter tests. */
export function fakeClock(startMs = Date.UTC(2025, 0, 15, 12)) {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}
