import { AppError } from '../../../shared/errors';
import type { ConnectionStatus, ServerProbe, SignInRequest } from '../../../shared/library/schemas';
import { api } from '../api';
import { checkServerAddress, describeSignInError, type SignInProblem } from '../sign-in-errors';

/**
 * Where the sign-in form is. Each step is one screen state:
 *
 * ```
 *  form ──submit──► probing ──┬─ untrusted cert ──► trust-certificate ──trust──┐
 *   ▲                         ├─ plain http ──────► confirm-insecure ──accept──┤
 *   │ error                   └─ ok ───────────────────────────────────────────┴► signing-in
 *   └──────────────────────────────────────────────── error ◄────────────────────────┤
 *                                      two-factor ◄── 2FA needed ◄──────────────────┤
 *                                         └──submit code──► signing-in ── ok ──► done
 * ```
 */
export type SignInStep = 'form' | 'probing' | 'trust-certificate' | 'confirm-insecure' | 'signing-in' | 'two-factor' | 'done';

/**
 * The sign-in form's state and flow: probe the server before sending a password, ask about
 * untrusted certificates and plain HTTP, then sign in (with a 2FA code when asked).
 */
export class SignInFlow {
  serverUrl = $state('');
  username = $state('');
  password = $state('');
  code = $state('');
  step = $state<SignInStep>('form');
  probe = $state.raw<ServerProbe | null>(null);
  problem = $state.raw<SignInProblem | null>(null);

  /** A neutral note for the person about what the probe changed (e.g. "this server wants https"), or null. */
  readonly notice = $derived(
    this.probe?.redirectedToHttps ? `This server wants https, so Photoflare connects to ${this.probe.serverUrl}.` : null,
  );

  readonly busy = $derived(this.step === 'probing' || this.step === 'signing-in');
  readonly canSubmit = $derived(
    !this.busy &&
      (this.step === 'two-factor'
        ? /^\d{6}$/.test(this.#typedCode)
        : this.serverUrl.trim().length > 0 && this.username.trim().length > 0 && this.password.length > 0),
  );

  /**
   * The code as the server wants it: authenticator apps show (and copy) it as "123 456" or
   * "123-456", so spaces and dashes are dropped rather than refused.
   */
  get #typedCode(): string {
    return this.code.replace(/[\s-]/g, '');
  }

  readonly #onSignedIn: (status: ConnectionStatus) => void;
  /** The address the probe (and the choices below) belong to; editing the field resets them. */
  #probedAddress = '';
  #trustedFingerprint: string | undefined;
  #insecureAccepted = false;

  constructor(onSignedIn: (status: ConnectionStatus) => void, initialServerUrl = '') {
    this.#onSignedIn = onSignedIn;
    this.serverUrl = initialServerUrl;
  }

  /** The form was submitted: probe (if needed), then sign in. */
  async submit(): Promise<void> {
    if (this.busy) return;
    if (this.step === 'two-factor') {
      await this.#signIn();
      return;
    }
    this.problem = null;
    const invalid = checkServerAddress(this.serverUrl);
    if (invalid) {
      this.problem = describeSignInError(new AppError('validation', invalid));
      this.step = 'form';
      return;
    }
    if (this.#probedAddress !== this.serverUrl.trim()) {
      this.#probedAddress = this.serverUrl.trim();
      this.#trustedFingerprint = undefined;
      this.#insecureAccepted = false;
      this.probe = null;
    }
    this.step = 'probing';
    try {
      this.probe = await api.call('connection.probe', { serverUrl: this.serverUrl.trim() });
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (this.probe.redirectedToHttps) {
      // The server sent http:// to its https address: show (and keep) the address really used.
      this.serverUrl = this.probe.serverUrl;
      this.#probedAddress = this.probe.serverUrl;
    }
    await this.#continue();
  }

  /** "Trust this certificate": remember its fingerprint for this sign-in and go on. */
  async trustCertificate(): Promise<void> {
    const cert = this.probe?.untrustedCertificate;
    if (!cert || this.step !== 'trust-certificate') return;
    this.#trustedFingerprint = cert.fingerprintSha256;
    await this.#continue();
  }

  /** "Connect anyway" after the plain-HTTP warning. */
  async acceptInsecure(): Promise<void> {
    if (this.step !== 'confirm-insecure') return;
    this.#insecureAccepted = true;
    await this.#continue();
  }

  /** Back to the address form (Cancel on a question, or "Use a different server"). */
  back(): void {
    if (this.busy) return;
    this.step = 'form';
    this.code = '';
    this.problem = null;
  }

  async #continue(): Promise<void> {
    const probe = this.probe;
    if (!probe) return;
    const cert = probe.untrustedCertificate;
    if (cert && this.#trustedFingerprint !== cert.fingerprintSha256) {
      this.step = 'trust-certificate';
      return;
    }
    if (probe.insecureHttp && !this.#insecureAccepted) {
      this.step = 'confirm-insecure';
      return;
    }
    await this.#signIn();
  }

  async #signIn(): Promise<void> {
    const probe = this.probe;
    if (!probe) return;
    const sentCode = this.step === 'two-factor';
    const request: SignInRequest = {
      serverUrl: probe.serverUrl,
      username: this.username.trim(),
      password: this.password,
    };
    if (sentCode) request.code = this.#typedCode;
    if (this.#trustedFingerprint !== undefined) request.trustedFingerprint = this.#trustedFingerprint;
    this.step = 'signing-in';
    this.problem = null;
    try {
      const status = await api.call('connection.signIn', request);
      this.step = 'done';
      this.password = '';
      this.code = '';
      this.#onSignedIn(status);
    } catch (error) {
      if (error instanceof AppError && error.kind === 'two-factor-required') {
        this.step = 'two-factor';
        // The first ask is a question, not an error; a second one means the code was not taken.
        this.problem = sentCode ? { ...describeSignInError(error), title: "That code didn't work." } : null;
        return;
      }
      if (sentCode && error instanceof AppError && error.kind === 'auth') {
        this.step = 'two-factor';
        this.problem = {
          kind: 'auth',
          title: "That code didn't work.",
          detail: 'Codes change every 30 seconds: enter the one your authenticator app shows now.',
          field: 'code',
        };
        return;
      }
      this.#fail(error);
    }
  }

  #fail(error: unknown): void {
    this.problem = describeSignInError(error);
    this.step = 'form';
  }
}
