import { afterEach, describe, expect, test } from 'vitest';
import { AppError } from '../../../../shared/errors';
import type { ConnectionStatus, SignInRequest } from '../../../../shared/library/schemas';
import { setBridgeForTests } from '../../../../renderer/lib/api';
import { SignInFlow } from '../../../../renderer/lib/state/sign-in.svelte';
import { FakeBridge } from '../../helpers/fake-bridge';

const CERT = {
  fingerprintSha256: 'ab'.repeat(32),
  subject: 'CN=nas.local',
  issuer: 'CN=nas.local',
  validTo: '2027-01-01T00:00:00Z',
};

function setup(bridge = new FakeBridge()) {
  setBridgeForTests(bridge);
  const signedIn: ConnectionStatus[] = [];
  const flow = new SignInFlow((status) => signedIn.push(status));
  flow.serverUrl = 'https://photos.example.com';
  flow.username = 'alice';
  flow.password = 'secret';
  return { bridge, flow, signedIn };
}

afterEach(() => setBridgeForTests(undefined));

describe('SignInFlow', () => {
  test('probes first, then signs in with the normalised URL', async () => {
    const { bridge, flow, signedIn } = setup();
    flow.serverUrl = 'https://photos.example.com/';
    await flow.submit();
    expect(bridge.calls.map((call) => call.channel)).toEqual(['connection.probe', 'connection.signIn']);
    expect(bridge.callsTo('connection.signIn')[0]).toEqual({
      serverUrl: 'https://photos.example.com',
      username: 'alice',
      password: 'secret',
    });
    expect(flow.step).toBe('done');
    expect(signedIn[0]?.state).toBe('online');
    expect(flow.password).toBe('');
  });

  test('a malformed URL is refused without any request', async () => {
    const { bridge, flow } = setup();
    flow.serverUrl = 'photos example com';
    await flow.submit();
    expect(bridge.calls).toEqual([]);
    expect(flow.problem).toMatchObject({ kind: 'validation', field: 'server' });
    expect(flow.step).toBe('form');
  });

  test.each([
    ['network', "Can't reach the server."],
    ['tls', "The server's certificate can't be verified."],
    ['server', "This doesn't look like a PhotoPrism server."],
  ] as const)('a probe failing with %s is shown and nothing is sent', async (kind, title) => {
    const { bridge, flow } = setup();
    bridge.handle('connection.probe', () => {
      throw new AppError(kind, 'From main.');
    });
    await flow.submit();
    expect(flow.problem?.title).toBe(title);
    expect(bridge.callsTo('connection.signIn')).toHaveLength(0);
  });

  test('an untrusted certificate is shown, and trusting it signs in with its fingerprint', async () => {
    const { bridge, flow, signedIn } = setup();
    bridge.handle('connection.probe', ({ serverUrl }) => ({
      serverUrl,
      insecureHttp: false,
      untrustedCertificate: CERT,
      serverVersion: null,
      siteTitle: null,
    }));
    await flow.submit();
    expect(flow.step).toBe('trust-certificate');
    expect(bridge.callsTo('connection.signIn')).toHaveLength(0);
    await flow.trustCertificate();
    expect(bridge.callsTo('connection.signIn')[0]?.trustedFingerprint).toBe(CERT.fingerprintSha256);
    expect(signedIn).toHaveLength(1);
  });

  test('"this server wants https": the address becomes the https one, then the certificate step', async () => {
    const { bridge, flow, signedIn } = setup();
    flow.serverUrl = 'http://photos.example.com';
    bridge.handle('connection.probe', () => ({
      serverUrl: 'https://photos.example.com',
      insecureHttp: false,
      untrustedCertificate: CERT,
      serverVersion: null,
      siteTitle: null,
      redirectedToHttps: true,
    }));
    await flow.submit();
    expect(flow.step).toBe('trust-certificate');
    expect(flow.serverUrl).toBe('https://photos.example.com');
    expect(flow.notice).toMatch(/wants https/);
    await flow.trustCertificate();
    expect(bridge.callsTo('connection.signIn')[0]).toMatchObject({
      serverUrl: 'https://photos.example.com',
      trustedFingerprint: CERT.fingerprintSha256,
    });
    expect(signedIn).toHaveLength(1);
  });

  test('plain HTTP asks before sending the password', async () => {
    const { bridge, flow } = setup();
    flow.serverUrl = 'http://192.168.1.5:2342';
    await flow.submit();
    expect(flow.step).toBe('confirm-insecure');
    expect(bridge.callsTo('connection.signIn')).toHaveLength(0);
    await flow.acceptInsecure();
    expect(flow.step).toBe('done');
  });

  test('an address typed without a scheme that only answers over plain HTTP still asks first', async () => {
    const { bridge, flow } = setup();
    // main's probe tried https, then found PhotoPrism over http on the LAN (connection-service probe()).
    bridge.handle('connection.probe', () => ({
      serverUrl: 'http://192.168.1.5:2342',
      insecureHttp: true,
      untrustedCertificate: null,
      serverVersion: null,
      siteTitle: null,
    }));
    flow.serverUrl = '192.168.1.5:2342';
    await flow.submit();
    expect(flow.step).toBe('confirm-insecure');
    expect(bridge.callsTo('connection.signIn')).toHaveLength(0);
    flow.back();
    expect(bridge.callsTo('connection.signIn')).toHaveLength(0);
    // Consent is per address: asking again after Cancel asks again.
    await flow.submit();
    expect(flow.step).toBe('confirm-insecure');
    await flow.acceptInsecure();
    expect(bridge.callsTo('connection.signIn')[0]?.serverUrl).toBe('http://192.168.1.5:2342');
  });

  test('2FA: asks for the code, then signs in with it', async () => {
    const { bridge, flow, signedIn } = setup();
    bridge.handle('connection.signIn', (request: SignInRequest) => {
      if (request.code === undefined) throw new AppError('two-factor-required', 'Enter your code.');
      if (request.code !== '123456') throw new AppError('auth', 'Invalid code.');
      return { ...bridge.status, state: 'online', serverUrl: request.serverUrl };
    });
    await flow.submit();
    expect(flow.step).toBe('two-factor');
    expect(flow.problem).toBeNull();
    flow.code = '000000';
    await flow.submit();
    expect(flow.step).toBe('two-factor');
    expect(flow.problem?.title).toBe("That code didn't work.");
    flow.code = '123456';
    await flow.submit();
    expect(flow.step).toBe('done');
    expect(signedIn).toHaveLength(1);
    // The probe is not repeated for the code.
    expect(bridge.callsTo('connection.probe')).toHaveLength(1);
  });

  test('2FA: a code pasted the way authenticator apps show it ("123 456", "123-456") is accepted', async () => {
    const { bridge, flow } = setup();
    bridge.handle('connection.signIn', (request: SignInRequest) => {
      if (request.code === undefined) throw new AppError('two-factor-required', 'Enter your code.');
      return { ...bridge.status, state: 'online', serverUrl: request.serverUrl };
    });
    await flow.submit();
    flow.code = ' 123 456 ';
    expect(flow.canSubmit).toBe(true);
    await flow.submit();
    expect(flow.step).toBe('done');
    expect(bridge.callsTo('connection.signIn').at(-1)?.code).toBe('123456');
    // Letters are still not a code.
    flow.step = 'two-factor';
    flow.code = '123 45a';
    expect(flow.canSubmit).toBe(false);
  });

  test.each([
    ['auth', 'Wrong user name or password.'],
    ['rate-limited', 'Too many sign-in attempts.'],
  ] as const)('sign-in failing with %s goes back to the form with a message', async (kind, title) => {
    const { bridge, flow } = setup();
    bridge.handle('connection.signIn', () => {
      throw new AppError(kind, '');
    });
    await flow.submit();
    expect(flow.step).toBe('form');
    expect(flow.problem?.title).toBe(title);
  });

  test('editing the address forgets a trusted certificate', async () => {
    const { bridge, flow } = setup();
    bridge.handle('connection.probe', ({ serverUrl }) => ({
      serverUrl,
      insecureHttp: false,
      untrustedCertificate: CERT,
      serverVersion: null,
      siteTitle: null,
    }));
    bridge.handle('connection.signIn', () => {
      throw new AppError('auth', 'no');
    });
    await flow.submit();
    await flow.trustCertificate();
    flow.serverUrl = 'https://other.example.com';
    await flow.submit();
    expect(flow.step).toBe('trust-certificate');
  });
});
