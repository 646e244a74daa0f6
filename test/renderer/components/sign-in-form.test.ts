import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, test } from 'vitest';
import { AppError } from '../../../shared/errors';
import SignInForm from '../../../renderer/components/SignInForm.svelte';
import { setBridgeForTests } from '../../../renderer/lib/api';
import { SignInFlow } from '../../../renderer/lib/state/sign-in.svelte';
import { FakeBridge } from '../helpers/fake-bridge';

afterEach(() => {
  cleanup();
  setBridgeForTests(undefined);
});

function setup(bridge = new FakeBridge()) {
  setBridgeForTests(bridge);
  const flow = new SignInFlow(() => undefined);
  render(SignInForm, { props: { flow } });
  return { bridge, flow };
}

async function fillAndSubmit(server: string) {
  await fireEvent.input(screen.getByLabelText('Server address'), { target: { value: server } });
  await fireEvent.input(screen.getByLabelText('User name'), { target: { value: 'alice' } });
  await fireEvent.input(screen.getByLabelText('Password or app password'), { target: { value: 'secret' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
}

describe('SignInForm', () => {
  test('keeps the heading the onboarding page is known by', () => {
    setup();
    expect(screen.getByRole('heading', { name: 'Connect to your PhotoPrism server' })).toBeTruthy();
  });

  test('shows the certificate and its SHA-256 fingerprint with "Trust this certificate"', async () => {
    const bridge = new FakeBridge();
    bridge.handle('connection.probe', ({ serverUrl }) => ({
      serverUrl,
      insecureHttp: false,
      untrustedCertificate: { fingerprintSha256: '0a1b'.repeat(16), subject: 'CN=nas.local', issuer: 'CN=Home CA', validTo: '2027-01-01' },
      serverVersion: null,
      siteTitle: null,
    }));
    setup(bridge);
    await fillAndSubmit('https://nas.local');
    const notice = await screen.findByTestId('untrusted-certificate');
    expect(notice.textContent).toMatch(/CN=Home CA/);
    expect(notice.textContent).toMatch(/0A 1B 0A 1B/);
    await fireEvent.click(screen.getByRole('button', { name: 'Trust this certificate' }));
    await waitFor(() => expect(bridge.callsTo('connection.signIn')[0]?.trustedFingerprint).toBe('0a1b'.repeat(16)));
  });

  test('shows the plain-HTTP warning before signing in', async () => {
    setup();
    await fillAndSubmit('http://192.168.1.5:2342');
    const warning = await screen.findByTestId('insecure-http');
    expect(warning.textContent).toMatch(/This connection is not encrypted; use it only on your home network/);
  });

  test('asks for a 6-digit code when the server wants 2FA', async () => {
    const bridge = new FakeBridge();
    bridge.handle('connection.signIn', (request) => {
      if (!request.code) throw new AppError('two-factor-required', 'Code needed.');
      return { ...bridge.status, state: 'online', serverUrl: request.serverUrl };
    });
    setup(bridge);
    await fillAndSubmit('https://photos.example.com');
    const code = await screen.findByLabelText('Verification code');
    const verify = screen.getByRole<HTMLButtonElement>('button', { name: 'Verify' });
    expect(verify.disabled).toBe(true);
    await fireEvent.input(code, { target: { value: '123456' } });
    expect(verify.disabled).toBe(false);
  });

  test('a wrong password is explained next to the credentials', async () => {
    const bridge = new FakeBridge();
    bridge.handle('connection.signIn', () => {
      throw new AppError('auth', 'Invalid credentials.');
    });
    setup(bridge);
    await fillAndSubmit('https://photos.example.com');
    const error = await screen.findByTestId('sign-in-error');
    expect(error.textContent).toMatch(/Wrong user name or password/);
    expect(screen.getByLabelText('Password or app password').getAttribute('aria-invalid')).toBe('true');
  });
});
