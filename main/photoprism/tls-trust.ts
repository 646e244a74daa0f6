/**
 * [Note: TLS pinning]
 * A self-hosted PhotoPrism often has a self-signed certificate. We never switch certificate
 * checks off; instead:
 * 1. every HTTPS connection first completes the TLS handshake with verification recorded but
 *    not enforced, BEFORE a single request byte (or token) is written;
 * 2. a certificate the system trusts for that host name is accepted as usual;
 * 3. any other certificate is accepted only if its SHA-256 fingerprint equals the one the user
 *    chose to trust after seeing it (`connection.probe` shows it; `connection.signIn` pins it);
 * 4. anything else is refused with the certificate's details, so the UI can say what changed.
 * The pin grants trust to exactly one certificate; it never weakens checks for any other.
 */

/** What the UI shows about a certificate the system does not trust. */
export interface CertificateInfo {
  /** Upper-case hex pairs separated by colons, as Keychain Access and browsers show it. */
  readonly fingerprintSha256: string;
  readonly subject: string;
  readonly issuer: string;
  readonly validTo: string;
}

export type TrustDecision = 'system' | 'pinned' | 'untrusted';

/** Canonical form of a SHA-256 fingerprint: `AB:CD:…` (accepts any case, with or without colons). */
export function normaliseFingerprint(value: string): string {
  const hex = value.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return hex.match(/.{2}/g)?.join(':') ?? '';
}

/**
 * Decide whether a completed TLS handshake may carry our requests. Pure, so its rules are
 * tested directly; the transport calls it with what the socket reported.
 */
export function decideTrust(input: {
  /** The socket verified the chain and the host name against the system's roots. */
  readonly authorized: boolean;
  readonly fingerprintSha256: string;
  readonly pinnedFingerprint: string | null;
}): TrustDecision {
  if (input.authorized) return 'system';
  if (input.pinnedFingerprint === null) return 'untrusted';
  const pinned = normaliseFingerprint(input.pinnedFingerprint);
  return pinned !== '' && pinned === normaliseFingerprint(input.fingerprintSha256) ? 'pinned' : 'untrusted';
}

/** Format an X.509 name object (`{CN, O, …}`) as "CN=…, O=…". */
export function formatDistinguishedName(name: unknown): string {
  if (!name || typeof name !== 'object') return '';
  return Object.entries(name as Record<string, unknown>)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}
