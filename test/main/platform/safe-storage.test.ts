import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../main/log/logger';
import { SafeStorageSecretStore } from '../../../main/platform/safe-storage';
import { fakeSafeStorage } from '../window/fake-electron';

const dir = mkdtempSync(join(tmpdir(), 'safe-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  fakeSafeStorage.available = true;
});
let n = 0;
const newPath = () => join(dir, `secrets-${n++}.json`);
const open = (path: string) => new SafeStorageSecretStore({ path, safeStorage: fakeSafeStorage, log: createMemoryLogger() });

describe('SafeStorageSecretStore', () => {
  it('stores only ciphertext, in a 0600 file, and reads it back after a restart', () => {
    const path = newPath();
    open(path).set('photoprism.session', 'sess-SECRET-123');
    const onDisk = readFileSync(path, 'utf8');
    expect(onDisk).not.toContain('sess-SECRET-123');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(open(path).get('photoprism.session')).toBe('sess-SECRET-123');
  });

  it('forgets a deleted secret', () => {
    const path = newPath();
    const store = open(path);
    store.set('cloudkit.webAuthToken', 'tok');
    store.delete('cloudkit.webAuthToken');
    expect(open(path).get('cloudkit.webAuthToken')).toBeUndefined();
  });

  it('refuses to store in clear text when encryption is unavailable, and says why', () => {
    const path = newPath();
    fakeSafeStorage.available = false;
    const store = open(path);
    expect(() => store.set('photoprism.session', 'sess')).toThrow(/Keychain/);
    try {
      store.set('photoprism.session', 'sess');
    } catch (error) {
      expect(error).toMatchObject({ kind: 'permission' });
    }
    expect(() => readFileSync(path)).toThrow();
  });

  it('treats an undecryptable or corrupt file as "sign in again", never a crash', () => {
    const path = newPath();
    writeFileSync(path, JSON.stringify({ version: 1, entries: { 'photoprism.session': Buffer.from('garbage').toString('base64') } }));
    expect(open(path).get('photoprism.session')).toBeUndefined();
    writeFileSync(path, 'not json');
    expect(open(path).get('photoprism.session')).toBeUndefined();
  });

  it('names the Keychain on a Mac so Settings can say where sign-ins are kept', () => {
    const mac = new SafeStorageSecretStore({
      path: newPath(),
      safeStorage: fakeSafeStorage,
      log: createMemoryLogger(),
      platform: 'darwin',
    });
    expect(mac).toMatchObject({ weak: false, description: 'the macOS Keychain' });
  });

  it("tells the truth about Linux's fallback key instead of claiming a keychain", () => {
    const onLinux = (backend: string) =>
      new SafeStorageSecretStore({
        path: newPath(),
        safeStorage: { ...fakeSafeStorage, isEncryptionAvailable: () => true, getSelectedStorageBackend: () => backend },
        log: createMemoryLogger(),
        platform: 'linux',
      });
    const basic = onLinux('basic_text');
    expect(basic.weak).toBe(true);
    expect(basic.description).not.toMatch(/keychain/i);
    expect(basic.description).toMatch(/key built into Electron/);
    expect(onLinux('gnome_libsecret')).toMatchObject({ weak: false, description: 'your desktop keyring (Secret Service)' });
    expect(onLinux('kwallet6')).toMatchObject({ weak: false, description: 'KWallet' });
    expect(onLinux('unknown').weak).toBe(true);
  });
});
