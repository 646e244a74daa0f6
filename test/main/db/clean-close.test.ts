import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as NodeFs from 'node:fs';

/**
 * The clean-close note is an optimisation ([Note: Clean close]): when it cannot be removed, the start
 * must simply run the integrity check, never fail. (A note that cannot be written: recovery.test.)
 */
const fsFaults = vi.hoisted(() => ({ rmFails: false }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  return {
    ...fs,
    rmSync: (path: string, options?: Parameters<typeof fs.rmSync>[1]) => {
      if (fsFaults.rmFails && path.endsWith('.closed')) {
        throw Object.assign(new Error(`EACCES: permission denied, unlink '${path}'`), { code: 'EACCES' });
      }
      fs.rmSync(path, options);
    },
  };
});

const { noteCleanClose, takeCleanClose } = await import('../../../main/db/clean-close');

const dirs: string[] = [];
afterEach(() => {
  fsFaults.rmFails = false;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function databaseFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'photoflare-clean-close-'));
  dirs.push(dir);
  const path = join(dir, 'photoflare.db');
  writeFileSync(path, 'not opened here: only its identity is noted');
  return path;
}

describe('the clean-close note (see [Note: Clean close])', () => {
  it('that cannot be removed makes the start check, and does not stop it', () => {
    const path = databaseFile();
    noteCleanClose(path);
    fsFaults.rmFails = true;
    // A note that stays could vouch for the file after a later crash: the check runs instead.
    expect(() => takeCleanClose(path)).not.toThrow();
    expect(takeCleanClose(path)).toBe(false);
  });
});
