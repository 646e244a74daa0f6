import { describe, expect, it } from 'vitest';
import { CloudKitClient } from '../../../main/cloudkit/client';
import { CloudKitError } from '../../../main/cloudkit/errors';
import { createMemoryLogger } from '../../../main/log/logger';
import { MemorySecretStore } from '../../../main/secrets/secret-store';

/**
 * Transport rules that need exact control over responses (order, headers, failures).
 * A scripted fetch stands in for the network only; the client itself is real.
 * The same behaviours are exercised over HTTP against the emulator in client.integration.test.ts.
 */

interface Sent {
  url: URL;
  method: string;
  body: unknown;
  storedTokenAtSend: string | undefined;
}

type Reply = { status?: number; body?: unknown; rawBody?: string; token?: string; tokenHeader?: string } | Error;

function setup(replies: Reply[], options: { initialToken?: string } = {}) {
  const secrets = new MemorySecretStore();
  const log = createMemoryLogger();
  const sent: Sent[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchImpl: typeof fetch = async (input, init) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      sent.push({
        url: new URL(input instanceof Request ? input.url : input),
        method: init?.method ?? 'GET',
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
        storedTokenAtSend: secrets.get('cloudkit.webAuthToken'),
      });
      // Yield so concurrent callers would overlap if the client did not serialise them.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const reply = replies.shift() ?? { body: {} };
      if (reply instanceof Error) throw reply;
      const headers = new Headers({ 'content-type': 'application/json' });
      if (reply.token) headers.set(reply.tokenHeader ?? 'X-Apple-CloudKit-Web-Auth-Token', reply.token);
      return new Response(reply.rawBody ?? JSON.stringify(reply.body ?? {}), { status: reply.status ?? 200, headers });
    } finally {
      inFlight -= 1;
    }
  };
  const client = new CloudKitClient({
    config: { baseUrl: 'http://ck.test/prefix/', containerId: 'iCloud.app.photoflare', environment: 'development', apiToken: 'api+tok/=' },
    secrets,
    log,
    fetch: fetchImpl,
  });
  if (options.initialToken) client.setWebAuthToken(options.initialToken);
  return { client, secrets, log, sent, maxInFlight: () => maxInFlight };
}

const ZONES = { zones: [{ zoneID: { zoneName: 'PhotoflareEvents' }, syncToken: 'z1' }] };

describe('CloudKitClient transport', () => {
  it('builds the documented URL and percent-encodes both tokens (docs/cloudkit.md §1.1, docs/cloudkit.md §2.2)', async () => {
    const { client, sent } = setup([{ body: ZONES }], { initialToken: '106__54__a+b/c=' });
    await client.listZones();
    const [first] = sent;
    expect(first?.url.pathname).toBe('/prefix/database/1/iCloud.app.photoflare/development/private/zones/list');
    expect(first?.url.search).toBe('?ckAPIToken=api%2Btok%2F%3D&ckWebAuthToken=106__54__a%2Bb%2Fc%3D');
    expect(first?.method).toBe('GET');
  });

  it('adopts the rotated token from every response and sends it next (docs/cloudkit.md §2.3)', async () => {
    const { client, sent, secrets } = setup(
      [
        { body: ZONES, token: 't2' },
        { status: 503, body: { serverErrorCode: 'TRY_AGAIN_LATER' }, token: 't3' },
        { body: ZONES, token: 't4', tokenHeader: 'X-Apple-CloudKit-Session' },
        { body: ZONES },
      ],
      { initialToken: 't1' },
    );
    await client.listZones();
    await expect(client.listZones()).rejects.toMatchObject({ kind: 'try-again-later' });
    await client.listZones();
    await client.listZones();
    expect(sent.map((s) => s.url.searchParams.get('ckWebAuthToken'))).toEqual(['t1', 't2', 't3', 't4']);
    expect(secrets.get('cloudkit.webAuthToken')).toContain('t4');
  });

  it('persists the new token before the next request leaves, even for concurrent callers', async () => {
    const { client, sent, maxInFlight } = setup(
      [
        { body: ZONES, token: 'n1' },
        { body: ZONES, token: 'n2' },
        { body: ZONES, token: 'n3' },
      ],
      { initialToken: 'n0' },
    );
    await Promise.all([client.listZones(), client.listZones(), client.listZones()]);
    expect(maxInFlight()).toBe(1);
    expect(sent.map((s) => s.url.searchParams.get('ckWebAuthToken'))).toEqual(['n0', 'n1', 'n2']);
    expect(sent[1]?.storedTokenAtSend).toContain('n1');
  });

  it('keeps serving the queue after a failed request', async () => {
    const { client } = setup([new TypeError('fetch failed'), { body: ZONES }], { initialToken: 't' });
    const [a, b] = await Promise.allSettled([client.listZones(), client.listZones()]);
    expect(a.status).toBe('rejected');
    expect(b.status).toBe('fulfilled');
  });

  it('discards a rejected token (401) so the next request asks for sign-in', async () => {
    const { client, sent } = setup(
      [
        { status: 401, body: { serverErrorCode: 'AUTHENTICATION_FAILED', reason: 'bad token' } },
        { status: 421, body: { serverErrorCode: 'AUTHENTICATION_REQUIRED', redirectURL: 'https://signin.test/auth' } },
      ],
      { initialToken: 'stale' },
    );
    await expect(client.listZones()).rejects.toMatchObject({ kind: 'auth-failed', action: 'sign-in' });
    expect(client.hasWebAuthToken()).toBe(false);
    await expect(client.listZones()).rejects.toMatchObject({ kind: 'auth-required', redirectUrl: 'https://signin.test/auth' });
    expect(sent[1]?.url.searchParams.has('ckWebAuthToken')).toBe(false);
  });

  it('maps connection failures to network and certificate failures to tls, without quoting the URL', async () => {
    const tls = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('self-signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
    });
    const refused = Object.assign(new TypeError('fetch failed http://ck.test/?ckWebAuthToken=leak'), {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    const { client, log } = setup([tls, refused], { initialToken: 'secret-token' });
    await expect(client.listZones()).rejects.toMatchObject({ kind: 'tls', reason: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    const error = await client.listZones().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudKitError);
    expect((error as CloudKitError).kind).toBe('network');
    expect((error as CloudKitError).message).not.toContain('leak');
    expect(log.lines.join('\n')).not.toMatch(/secret-token|leak|api\+tok|ckAPIToken=/);
  });

  it('reports a body that is not JSON or has the wrong shape as unexpected-response', async () => {
    const { client } = setup([
      { rawBody: '<html>captive portal</html>' },
      { body: { zones: 'nope' } },
      { status: 503, rawBody: 'Service Unavailable' },
    ]);
    await expect(client.listZones()).rejects.toMatchObject({ kind: 'unexpected-response' });
    await expect(client.listZones()).rejects.toMatchObject({ kind: 'unexpected-response', reason: 'zones: invalid_type' });
    await expect(client.listZones()).rejects.toMatchObject({ kind: 'try-again-later', status: 503 });
  });

  it('returns per-record results from an atomic failure (HTTP 400 with a records array, docs/cloudkit.md §3.1)', async () => {
    const { client } = setup([
      {
        status: 400,
        body: {
          records: [
            { recordName: 'a', serverErrorCode: 'ATOMIC_ERROR', reason: 'atomic' },
            { recordName: 'b', serverErrorCode: 'CONFLICT', reason: 'tag' },
          ],
        },
      },
    ]);
    const results = await client.modifyRecords(
      [
        { operationType: 'create', recordName: 'a', fields: {} },
        { operationType: 'update', recordName: 'b', recordChangeTag: 'old', fields: {} },
      ],
      { atomic: true },
    );
    expect(results.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual(['atomic-error', 'conflict']);
  });

  it('reports the remaining operations with the error when a later batch fails as a whole', async () => {
    const saved = Array.from({ length: 200 }, (_, i) => ({ recordName: `r${i}`, recordChangeTag: 'x' }));
    const { client, sent } = setup([{ body: { records: saved } }, { status: 429, body: { serverErrorCode: 'THROTTLED', retryAfter: 2 } }]);
    const ops = Array.from({ length: 250 }, (_, i) => ({ operationType: 'create' as const, recordName: `r${i}`, fields: {} }));
    const results = await client.modifyRecords(ops);
    expect(sent).toHaveLength(2);
    expect(results).toHaveLength(250);
    expect(results.filter((r) => r.ok)).toHaveLength(200);
    const last = results[249];
    expect(last?.ok).toBe(false);
    if (last && !last.ok) expect(last.error).toMatchObject({ kind: 'throttled', retryAfterMs: 2000 });
  });

  it('refuses an atomic save that cannot fit in one request', async () => {
    const { client, sent } = setup([]);
    const ops = Array.from({ length: 201 }, (_, i) => ({ operationType: 'create' as const, recordName: `r${i}`, fields: {} }));
    await expect(client.modifyRecords(ops, { atomic: true })).rejects.toMatchObject({ kind: 'limit-exceeded' });
    expect(sent).toHaveLength(0);
  });

  it('answers an aborted signal with aborted, not network', async () => {
    const { client } = setup([]);
    const controller = new AbortController();
    controller.abort();
    await expect(client.listZones({ signal: controller.signal })).rejects.toMatchObject({ kind: 'aborted' });
  });
});
