import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveMultipartParts } from '../multipart-stream';

/** The emulator's streaming form reader (gin's MultipartForm + SaveUploadedFile in one pass). */
describe('emulator: multipart bodies saved as they arrive', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pf-multipart-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const boundary = 'XyZ';
  const contentType = `multipart/form-data; boundary=${boundary}`;
  function body(parts: Array<{ field: string; name?: string; bytes: Buffer }>, end = true): Buffer {
    const pieces: Buffer[] = [Buffer.from('preamble is ignored\r\n')];
    for (const part of parts) {
      const file = part.name === undefined ? '' : `; filename="${part.name}"`;
      pieces.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.field}"${file}\r\n\r\n`),
        part.bytes,
        Buffer.from('\r\n'),
      );
    }
    if (end) pieces.push(Buffer.from(`--${boundary}--\r\n`));
    return Buffer.concat(pieces);
  }
  /** The body cut into pieces at the given sizes, as a socket may deliver it. */
  async function* chunks(bytes: Buffer, sizes: () => number): AsyncGenerator<Buffer> {
    for (let at = 0; at < bytes.length;) {
      const size = Math.max(1, sizes());
      yield bytes.subarray(at, at + size);
      at += size;
    }
  }

  it('saves each file part byte for byte with its SHA-1, whatever the chunk boundaries (delimiters split across chunks)', async () => {
    // Bytes that look like the start of a delimiter inside a file must stay in the file.
    const tricky = Buffer.concat([Buffer.from(`\r\n--XY\r\n-\r`), randomBytes(5000), Buffer.from(`\r\n--Xy`)]);
    const big = randomBytes(70_000);
    const form = body([
      { field: 'files', name: 'a.jpg', bytes: tricky },
      { field: 'note', bytes: Buffer.from('a plain field') },
      { field: 'files', name: 'b.jpg', bytes: big },
      { field: 'files', name: 'empty.jpg', bytes: Buffer.alloc(0) },
    ]);
    for (const sizes of [() => 1, () => 7, () => 65_536, () => Math.floor(Math.random() * 3000)]) {
      const saved = await saveMultipartParts(chunks(form, sizes), contentType, dir);
      expect(saved?.map((p) => [p.field, p.name, p.sizeBytes])).toEqual([
        ['files', 'a.jpg', tricky.length],
        ['files', 'b.jpg', big.length],
        ['files', 'empty.jpg', 0],
      ]);
      for (const [part, bytes] of (saved ?? []).map((p, i) => [p, [tricky, big, Buffer.alloc(0)][i]] as const)) {
        expect(readFileSync(part.path).equals(bytes ?? Buffer.alloc(1))).toBe(true);
        expect(part.sha1).toBe(
          createHash('sha1')
            .update(bytes ?? '')
            .digest('hex'),
        );
      }
      rmSync(dir, { recursive: true, force: true });
      dir = mkdtempSync(join(tmpdir(), 'pf-multipart-'));
    }
  });

  it('a body that is not a whole form answers null and leaves no file behind', async () => {
    const whole = body([{ field: 'files', name: 'a.jpg', bytes: randomBytes(100_000) }]);
    // Cut before the closing delimiter (a client that stopped sending), garbage after a delimiter, no form at all.
    for (const broken of [whole.subarray(0, 60_000), body([{ field: 'files', name: 'a.jpg', bytes: Buffer.from('x') }], false)]) {
      expect(
        await saveMultipartParts(
          chunks(broken, () => 4096),
          contentType,
          dir,
        ),
      ).toBeNull();
    }
    expect(
      await saveMultipartParts(
        chunks(Buffer.from(`--${boundary}\r\nno headers end`), () => 5),
        contentType,
        dir,
      ),
    ).toBeNull();
    expect(
      await saveMultipartParts(
        chunks(Buffer.from(`--${boundary}garbage`), () => 5),
        contentType,
        dir,
      ),
    ).toBeNull();
    expect(
      await saveMultipartParts(
        chunks(whole, () => 4096),
        'application/json',
        dir,
      ),
    ).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a client that goes away mid-body: the error is the caller’s and no file stays', async () => {
    const whole = body([{ field: 'files', name: 'a.jpg', bytes: randomBytes(100_000) }]);
    async function* cut(): AsyncGenerator<Buffer> {
      yield whole.subarray(0, 50_000);
      throw new Error('aborted');
    }
    await expect(saveMultipartParts(cut(), contentType, dir)).rejects.toThrow('aborted');
    expect(readdirSync(dir)).toEqual([]);
  });
});
