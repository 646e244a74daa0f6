import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadViaPart, isSameFile, type FetchInto } from '../../../main/export/part-file';
import { createHash } from 'node:crypto';

const ORIGINAL = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251));

/** A server for one file: 206 for a Range when `ranges`, else 200; can cut the body after N bytes. */
function server(options: { ranges: boolean; cutAfter?: number }): { fetch: FetchInto; asked: number[] } {
  const asked: number[] = [];
  const fetch: FetchInto = async (fromByte, sink) => {
    asked.push(fromByte);
    const partial = options.ranges && fromByte > 0;
    const body = partial ? ORIGINAL.subarray(fromByte) : ORIGINAL;
    const head = partial
      ? { status: 206, headers: { 'content-range': `bytes ${fromByte}-${ORIGINAL.length - 1}/${ORIGINAL.length}` } }
      : { status: 200, headers: {} };
    const sent = options.cutAfter === undefined ? body : body.subarray(0, options.cutAfter);
    const source = Readable.from([sent.subarray(0, sent.length >> 1), sent.subarray(sent.length >> 1)]);
    await pipeline(source, sink(head));
    if (options.cutAfter !== undefined) throw new Error('connection reset');
    return head;
  };
  return { fetch, asked };
}

describe('downloadViaPart: never a half-written file under the final name', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a cut connection leaves only name.part; the next run continues it with a Range and the file is whole', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pf-part-'));
    const finalPath = join(dir, 'IMG_1.jpg');
    let progress = 0;
    const onBytes = (delta: number) => (progress += delta);
    await expect(
      downloadViaPart({ finalPath, fetch: server({ ranges: true, cutAfter: 100_000 }).fetch, resumable: true, onBytes }),
    ).rejects.toThrow('connection reset');
    expect(existsSync(finalPath)).toBe(false);
    expect(readFileSync(`${finalPath}.part`)).toEqual(ORIGINAL.subarray(0, 100_000));

    const again = server({ ranges: true });
    progress = 0;
    const { bytes } = await downloadViaPart({ finalPath, fetch: again.fetch, resumable: true, onBytes });
    expect(again.asked).toEqual([100_000]);
    expect(bytes).toBe(ORIGINAL.length);
    expect(progress).toBe(ORIGINAL.length);
    expect(readFileSync(finalPath)).toEqual(ORIGINAL);
    expect(existsSync(`${finalPath}.part`)).toBe(false);
  });

  it('a server that ignores the Range (200) gets the file written from the start, not appended', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pf-part-'));
    const finalPath = join(dir, 'IMG_2.jpg');
    writeFileSync(`${finalPath}.part`, ORIGINAL.subarray(0, 5_000));
    let progress = 0;
    await downloadViaPart({ finalPath, fetch: server({ ranges: false }).fetch, resumable: true, onBytes: (d) => (progress += d) });
    expect(readFileSync(finalPath)).toEqual(ORIGINAL);
    expect(progress).toBe(ORIGINAL.length);
  });

  it('an album zip (not resumable) starts over instead of continuing a stale .part', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pf-part-'));
    const finalPath = join(dir, 'Summer.zip');
    writeFileSync(`${finalPath}.part`, Buffer.from('stale'));
    const fresh = server({ ranges: true });
    await downloadViaPart({ finalPath, fetch: fresh.fetch, resumable: false, onBytes: () => undefined });
    expect(fresh.asked).toEqual([0]);
    expect(readFileSync(finalPath)).toEqual(ORIGINAL);
  });

  it('isSameFile compares the size and the SHA-1 PhotoPrism keeps as the file hash', async () => {
    dir = mkdtempSync(join(tmpdir(), 'pf-part-'));
    const path = join(dir, 'a.jpg');
    writeFileSync(path, ORIGINAL);
    const sha1 = createHash('sha1').update(ORIGINAL).digest('hex');
    expect(await isSameFile(path, { bytes: ORIGINAL.length, sha1 })).toBe(true);
    expect(await isSameFile(path, { bytes: ORIGINAL.length, sha1: '0'.repeat(40) })).toBe(false);
    expect(await isSameFile(path, { bytes: ORIGINAL.length + 1, sha1 })).toBe(false);
    expect(await isSameFile(join(dir, 'missing.jpg'), { bytes: 0, sha1 })).toBe(false);
  });
});
