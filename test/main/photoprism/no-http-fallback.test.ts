import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeHarness, type Harness } from '../library/helpers';

/**
 * An https failure never turns into plain HTTP behind the user's back (issue "Unbreakable",
 * item 9). The only http fallback is the probe of an address typed WITHOUT a scheme on the
 * local network; it sends no credentials and answers `insecureHttp: true` (false on loopback), which the sign-in
 * form turns into the "not encrypted — Connect Anyway?" question (test/renderer/lib/state/sign-in.test.ts).
 */
let h: Harness;
let plain: Server;
let plainUrl: string;
let plainRequests: { url: string | undefined; headers: IncomingHttpHeaders }[];

beforeEach(async () => {
  h = makeHarness();
  plainRequests = [];
  // A server that speaks ONLY plain HTTP: a TLS handshake to it fails before any request.
  plain = createServer((req, res) => {
    plainRequests.push({ url: req.url, headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  plainUrl = `127.0.0.1:${(plain.address() as AddressInfo).port}`;
});
afterEach(async () => {
  h.library.dispose();
  h.connection.dispose();
  plain.closeAllConnections();
  await new Promise<void>((resolve) => plain.close(() => resolve()));
});

describe('no silent https → http fallback', () => {
  it('an explicit https:// address that fails is reported, never retried over http', async () => {
    await expect(h.connection.probe(`https://${plainUrl}`)).rejects.toMatchObject({ kind: expect.stringMatching(/^(tls|network)$/) });
    expect(plainRequests).toEqual([]);
  });

  it('sign-in to an https address that fails sends nothing over http and stores nothing', async () => {
    await expect(h.connection.signIn({ serverUrl: `https://${plainUrl}`, username: 'alice', password: 'hunter2' })).rejects.toMatchObject({
      kind: expect.stringMatching(/^(tls|network)$/),
    });
    expect(plainRequests).toEqual([]);
    expect(h.connection.status()).toMatchObject({ state: 'signed-out' });
  });

  it('a scheme-less sign-in is https, and does not fall back to http either', async () => {
    await expect(h.connection.signIn({ serverUrl: plainUrl, username: 'alice', password: 'hunter2' })).rejects.toMatchObject({
      kind: expect.stringMatching(/^(tls|network)$/),
    });
    expect(plainRequests).toEqual([]);
  });

  describe('the probe of a scheme-less LAN address', () => {
    let emu: PhotoPrismEmulator;
    beforeEach(async () => {
      emu = await startPhotoPrismEmulator({ photos: 1, albums: 0 });
    });
    afterEach(async () => {
      await emu.close();
    });

    it('may find plain HTTP and sends no credentials (on loopback, which is not insecure)', async () => {
      const typed = emu.url.replace(/^http:\/\//, '');
      const probe = await h.connection.probe(typed);
      // The emulator listens on 127.0.0.1: traffic never leaves this computer, so no
      // "not encrypted" question (a LAN address says insecureHttp: true, server-url.test.ts).
      expect(probe).toMatchObject({ serverUrl: emu.url, insecureHttp: false });
      // Only the anonymous probe endpoints were asked; nothing signed in.
      expect(h.sent.length).toBeGreaterThan(0);
      expect(h.sent.every((line) => /^GET \/api\/v1\/(status|config)$/.test(line))).toBe(true);
      expect(h.connection.status().state).toBe('signed-out');
    });
  });
});
