import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseFingerprint } from '../../main/photoprism/tls-trust';

/** A self-signed certificate for 127.0.0.1 and its SHA-256 fingerprint (`AB:CD:…`). */
export interface SelfSignedCert {
  readonly key: Buffer;
  readonly cert: Buffer;
  readonly fingerprint: string;
}

/** Whether the system's openssl is there (node:crypto cannot make X.509 certificates). */
export const hasOpenssl: boolean = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A self-signed certificate for IP 127.0.0.1, made with openssl in `dir`. */
export function makeSelfSignedCert(dir: string, name: string): SelfSignedCert {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${name}.photoprism.test`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const out = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-fingerprint', '-sha256']).toString();
  return { key: readFileSync(key), cert: readFileSync(cert), fingerprint: normaliseFingerprint(out.split('=')[1] ?? '') };
}
