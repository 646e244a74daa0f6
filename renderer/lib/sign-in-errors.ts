import { isAppError, type ErrorKind } from '../../shared/errors';

/** Which form field an error belongs next to. */
export type SignInField = 'server' | 'credentials' | 'code' | null;

/** What the sign-in form shows for a failure. */
export interface SignInProblem {
  readonly kind: ErrorKind;
  /** One short sentence in bold: what happened. */
  readonly title: string;
  /** What the person can do about it (the server's own message when it helps). */
  readonly detail: string;
  readonly field: SignInField;
}

/**
 * Turn a failed probe or sign-in into words for the person.
 *
 * The decision is made on the AppError kind only (see shared/errors.ts); main's message is
 * shown as the detail where it carries specifics (the host name, the TLS reason, the wait time).
 */
export function describeSignInError(error: unknown): SignInProblem {
  if (!isAppError(error)) {
    return {
      kind: 'internal',
      title: 'Something went wrong while signing in.',
      detail: error instanceof Error ? error.message : 'Please try again.',
      field: null,
    };
  }
  const message = error.message.trim();
  const withMessage = (fallback: string) => (message.length > 0 ? message : fallback);
  switch (error.kind) {
    case 'validation':
    case 'bad-request':
      return {
        kind: error.kind,
        title: "That doesn't look like a server address.",
        detail: withMessage('Enter the address you use for PhotoPrism in a browser, like https://photos.example.com.'),
        field: 'server',
      };
    case 'network':
      return {
        kind: error.kind,
        title: "Can't reach the server.",
        detail: withMessage('Check the address and that the server is running and on your network.'),
        field: 'server',
      };
    case 'tls':
      return {
        kind: error.kind,
        title: "The server's certificate can't be verified.",
        detail: withMessage('The connection is not secure. Check the address, or trust the certificate if it is your own.'),
        field: 'server',
      };
    case 'server':
    case 'not-found':
      return {
        kind: error.kind,
        title: "This doesn't look like a PhotoPrism server.",
        detail: withMessage('Check the address, including any path prefix, such as /photoprism.'),
        field: 'server',
      };
    case 'auth':
    case 'permission':
      return {
        kind: error.kind,
        title: 'Wrong user name or password.',
        detail: 'Check both and try again. If your server uses single sign-on, create an app password in PhotoPrism and use it here.',
        field: 'credentials',
      };
    case 'two-factor-required':
      return {
        kind: error.kind,
        title: 'Enter your verification code.',
        // Main says which: the code is needed, not right, or not 6 digits (see [Note: 2FA answers]).
        detail: withMessage('Your account uses two-factor authentication. Enter the 6-digit code from your authenticator app.'),
        field: 'code',
      };
    case 'rate-limited':
      return {
        kind: error.kind,
        title: 'Too many sign-in attempts.',
        detail: withMessage('The server is refusing sign-ins for a while. Wait a minute, then try again.'),
        field: null,
      };
    default:
      return {
        kind: error.kind,
        title: "Couldn't sign in.",
        detail: withMessage('Please try again.'),
        field: null,
      };
  }
}

/**
 * Catch obviously malformed server addresses before any request is made.
 *
 * Accepts what people type: `photos.example.com`, `192.168.1.5:2342`, `https://host/photoprism`.
 * Scheme inference and normalisation are main's job (connection.probe); this only refuses what
 * can never work. Returns a sentence, or null when the address is plausible.
 */
export function checkServerAddress(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length === 0) return 'Enter the address of your PhotoPrism server.';
  if (/\s/.test(trimmed)) return 'A server address cannot contain spaces.';
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  if (hasScheme && !/^https?:\/\//i.test(trimmed)) return 'Use an address starting with https:// or http://.';
  let url: URL;
  try {
    url = new URL(hasScheme ? trimmed : `https://${trimmed}`);
  } catch {
    return "That doesn't look like a server address, like https://photos.example.com.";
  }
  if (url.hostname.length === 0) return 'The address needs a host name, like photos.example.com.';
  if (url.username || url.password) return 'Put your user name and password in their own fields, not in the address.';
  return null;
}
