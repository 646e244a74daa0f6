import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PhotoPrismEmulator } from '../emulators/photoprism';

/** Write `count` distinct JPEG-named files of `sizeBytes` random bytes into `dir`; answers their paths and SHA-1s. */
export function writeImportFiles(
  dir: string,
  count: number,
  sizeBytes: number,
  prefix = 'IMG',
): Array<{ path: string; name: string; sha1: string }> {
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}_${String(i + 1).padStart(4, '0')}.jpg`;
    const bytes = randomBytes(sizeBytes);
    writeFileSync(join(dir, name), bytes);
    files.push({ path: join(dir, name), name, sha1: createHash('sha1').update(bytes).digest('hex') });
  }
  return files;
}

/** Originals as the server serves them (`GET /api/v1/dl/:hash?t=`, with one fresh session's download token). */
export async function downloadOriginals(emu: PhotoPrismEmulator, hashes: readonly string[]): Promise<Buffer[]> {
  const login = await fetch(`${emu.url}/api/v1/session`, { method: 'POST', body: JSON.stringify(emu.credentials) });
  const session = (await login.json()) as { config: { downloadToken: string } };
  const out: Buffer[] = [];
  for (const hash of hashes) {
    const res = await fetch(`${emu.url}/api/v1/dl/${hash}?t=${session.config.downloadToken}`);
    if (!res.ok) throw new Error(`download ${hash}: ${res.status}`);
    out.push(Buffer.from(await res.arrayBuffer()));
  }
  return out;
}
