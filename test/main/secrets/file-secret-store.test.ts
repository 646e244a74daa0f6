import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../main/log/logger';
import { FileSecretStore } from '../../../main/secrets/file-secret-store';

describe("the web shell's file secret store", () => {
  it('keeps secrets in a file only its owner can read, and says so', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'photoflare-secrets-')), 'secrets.json');
    const log = createMemoryLogger();
    const store = new FileSecretStore({ path, log });
    store.set('photoprism.session', 'sess-123');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(new FileSecretStore({ path, log }).get('photoprism.session')).toBe('sess-123');
    expect(log.lines.some((l) => l.includes('not the Keychain'))).toBe(true);
    // The warning names the file but never the secret.
    expect(log.lines.join('\n')).not.toContain('sess-123');
  });

  it('forgets a deleted secret on disk too', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'photoflare-secrets-')), 'secrets.json');
    const store = new FileSecretStore({ path, log: createMemoryLogger() });
    store.set('cloudkit.webAuthToken', 'ck');
    store.delete('cloudkit.webAuthToken');
    expect(readFileSync(path, 'utf8')).not.toContain('ck');
  });

  it('tightens a file someone made readable by others', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'photoflare-secrets-')), 'secrets.json');
    new FileSecretStore({ path, log: createMemoryLogger() }).set('photoprism.session', 'x');
    chmodSync(path, 0o644);
    new FileSecretStore({ path, log: createMemoryLogger() });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
