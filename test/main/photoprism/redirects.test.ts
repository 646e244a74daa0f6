import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { hasOpenssl, makeSelfSignedCert, type SelfSignedCert } from '../../helpers/self-signed';
import { makeHarness, type Harness } from '../library/helpers';

let emu: PhotoPrismEmulator | undefined;
let h: Harness | undefined;

afterEach(async () => {
  h?.library.dispose();
  h?.connection.dispose();
  await emu?.close();
  emu = undefined;
  h = undefined;
});

describe.skipIf(!hasOpenssl)('a same-host http → https redirect (PhotoPrism with automatic TLS)', () => {
  let dir: string;
  let cert: SelfSignedCert;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pf-redirect-'));
    cert = makeSelfSignedCert(dir, 'photos');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the probe says "this server wants https" and goes on to the certificate trust step', async () => {
    emu = await startPhotoPrismEmulator({ photos: 10, albums: 1, tls: cert, httpsRedirect: true });
    h = makeHarness();
    const typed = emu.httpRedirectUrl ?? '';
    const probe = await h.connection.probe(typed);
    expect(probe).toMatchObject({
      serverUrl: emu.url,
      insecureHttp: false,
      redirectedToHttps: true,
      untrustedCertificate: { fingerprintSha256: cert.fingerprint },
    });
    const status = await h.connection.signIn({ serverUrl: probe.serverUrl, trustedFingerprint: cert.fingerprint, ...emu.credentials });
    expect(status).toMatchObject({ state: 'online', serverUrl: emu.url, insecureHttp: false });
    // The password only ever travelled over https.
    const plain = emu.requests.filter((r) => r.status === 301);
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((r) => r.method === 'GET' && !r.body.includes(emu?.credentials.password ?? '-'))).toBe(true);
  });

  it('a sign-in sent to the http address is not followed and says to use https', async () => {
    emu = await startPhotoPrismEmulator({ photos: 10, albums: 1, tls: cert, httpsRedirect: true });
    h = makeHarness();
    const failure = await h.connection.signIn({ serverUrl: emu.httpRedirectUrl ?? '', ...emu.credentials }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ message: expect.stringContaining(`wants https`) });
    expect((failure as Error).message).toContain(emu.url);
    expect((failure as Error).message).not.toMatch(/does not look like a PhotoPrism/);
    expect(emu.requests.filter((r) => r.method === 'POST' && r.status !== 301)).toHaveLength(0);
    expect(h.connection.status().state).toBe('signed-out');
  });
});

describe('a redirect to another host', () => {
  let trap: Server;
  let trapHits = 0;
  let trapOrigin = '';
  beforeAll(async () => {
    trap = createServer((_req, res) => {
      trapHits++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    // Another host NAME for the same loopback machine: enough to be "another server".
    trapOrigin = `http://localhost:${(trap.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => trap.close(() => resolve()));
  });

  it('is never followed: no request, let alone credentials, reaches the other host, and the error names it', async () => {
    emu = await startPhotoPrismEmulator({ photos: 10, albums: 1 });
    h = makeHarness();
    emu.admin.redirectTo(trapOrigin);
    const probeFailure = await h.connection.probe(emu.url).catch((e: unknown) => e);
    expect(probeFailure).toMatchObject({ kind: 'server', message: expect.stringContaining('another server, localhost') });
    const signInFailure = await h.connection.signIn({ serverUrl: emu.url, ...emu.credentials }).catch((e: unknown) => e);
    expect(signInFailure).toMatchObject({ kind: 'server', message: expect.stringContaining('another server, localhost') });
    expect(trapHits).toBe(0);
  });
});
