import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { multipartFile } from '../../../main/import/multipart';

let dir: string | undefined;

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('an upload body read once, hashed on the way', () => {
  it('is the file between the form envelope, of the announced length, and its SHA-1 is heard as the last byte is read', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pf-multipart-'));
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const path = join(dir, 'IMG_0001.jpg');
    writeFileSync(path, bytes);
    const heard: string[] = [];
    let counted = 0;
    const part = multipartFile({
      path,
      name: 'IMG_0001.jpg',
      sizeBytes: bytes.length,
      onBytes: (n) => (counted += n),
      onHashed: (sha1) => heard.push(sha1),
    });

    const body = await readAll(part.open());

    const sha1 = createHash('sha1').update(bytes).digest('hex');
    expect(body.length).toBe(part.lengthBytes);
    const start = body.indexOf('\r\n\r\n') + 4;
    expect(body.subarray(start, start + bytes.length).equals(bytes)).toBe(true);
    expect(body.subarray(start + bytes.length).toString()).toMatch(/^\r\n--.+--\r\n$/);
    expect(counted).toBe(bytes.length);
    expect(heard).toEqual([sha1]);
    expect(part.sha1()).toBe(sha1);
  });

  it('a file that grew after it was chosen fails the body, and no hash is heard for it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pf-multipart-'));
    const path = join(dir, 'IMG_0002.jpg');
    writeFileSync(path, randomBytes(100_000));
    const heard: string[] = [];
    const part = multipartFile({
      path,
      name: 'IMG_0002.jpg',
      sizeBytes: 100_000,
      onBytes: () => undefined,
      onHashed: (h) => heard.push(h),
    });
    appendFileSync(path, 'more');

    await expect(readAll(part.open())).rejects.toThrow('the file changed while it was being sent');
    expect(heard).toEqual([]);
    expect(part.sha1()).toBeUndefined();
  });
});
