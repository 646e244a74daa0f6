import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideTrust } from '../../../main/photoprism/tls-trust';
import { createNodeTransport, TransportError } from '../../../main/photoprism/transport';
import { hasOpenssl, makeSelfSignedCert, type SelfSignedCert } from '../../helpers/self-signed';

describe('decideTrust (see [Note: TLS pinning])', () => {
  const fp = 'ab:CD:'.repeat(15) + 'ab:cd';
  it('accepts a certificate the system trusts, pinned or not', () => {
    expect(decideTrust({ authorized: true, fingerprintSha256: fp, pinnedFingerprint: null })).toBe('system');
    expect(decideTrust({ authorized: true, fingerprintSha256: fp, pinnedFingerprint: 'FF' })).toBe('system');
  });
  it('accepts an untrusted certificate only with exactly its fingerprint pinned', () => {
    expect(decideTrust({ authorized: false, fingerprintSha256: fp, pinnedFingerprint: null })).toBe('untrusted');
    expect(decideTrust({ authorized: false, fingerprintSha256: fp, pinnedFingerprint: fp.replace(/:/g, '').toLowerCase() })).toBe('pinned');
    expect(decideTrust({ authorized: false, fingerprintSha256: fp, pinnedFingerprint: fp.replace(/^ab/, 'ac') })).toBe('untrusted');
    expect(decideTrust({ authorized: false, fingerprintSha256: '', pinnedFingerprint: '' })).toBe('untrusted');
  });
});

describe.skipIf(!hasOpenssl)('HTTPS with a self-signed certificate (real sockets)', () => {
  let dir: string;
  let server: Server;
  let url: string;
  let requests = 0;
  let mine: SelfSignedCert;
  let other: SelfSignedCert;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pf-tls-'));
    mine = makeSelfSignedCert(dir, 'mine');
    other = makeSelfSignedCert(dir, 'other');
    server = createServer({ key: mine.key, cert: mine.cert }, (req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ auth: req.headers['x-auth-token'] ?? null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/status`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown certificate before sending a byte, and reports its fingerprint', async () => {
    const transport = createNodeTransport({ trustedFingerprint: null });
    const before = requests;
    const failure = await transport({ method: 'GET', url, headers: { 'x-auth-token': 'secret' } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TransportError);
    expect((failure as TransportError).code).toBe('tls-untrusted');
    expect((failure as TransportError).certificate?.fingerprintSha256).toBe(mine.fingerprint);
    expect((failure as TransportError).certificate?.subject).toContain('CN=mine.photoprism.test');
    expect(requests).toBe(before);
  });

  it('accepts exactly the pinned certificate', async () => {
    const transport = createNodeTransport({ trustedFingerprint: mine.fingerprint });
    const res = await transport({ method: 'GET', url, headers: { 'x-auth-token': 'secret' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({ auth: 'secret' });
  });

  it('refuses a different certificate even with a pin (a changed certificate is not trusted)', async () => {
    const transport = createNodeTransport({ trustedFingerprint: other.fingerprint });
    const before = requests;
    const failure = await transport({ method: 'GET', url }).catch((e: unknown) => e);
    expect((failure as TransportError).code).toBe('tls-untrusted');
    expect(requests).toBe(before);
  });
});
