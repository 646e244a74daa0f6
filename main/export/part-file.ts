import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';

/** What the server answered before the body: the status and headers (lower-case names). */
export interface ResponseHead {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** Fetch the body into `sink` (chosen once the head is known), from byte `fromByte` (0 = all). */
export type FetchInto = (fromByte: number, sink: (head: ResponseHead) => Writable) => Promise<ResponseHead>;

/**
 * [Note: Never a half-written file under the final name]
 * A download goes to `<name>.part` next to its final place, is fsynced, and only then renamed
 * to `<name>` (rename is atomic within a folder), so after a crash or power loss the final
 * name holds either nothing or the whole file. The folder is fsynced ONCE per batch by the
 * caller (syncFolder, after its last rename) to make the renames durable: a rename a crash
 * undoes leaves a whole `.part`, which the next run asks for from its size (416) and fetches
 * again, never a half file under the final name. A `.part` left by a
 * failure is continued from its size with a Range request when the server answers 206
 * (PhotoPrism's `/dl/:hash` does, via http.ServeContent); a 200 instead starts it over.
 */
export async function downloadViaPart(options: {
  readonly finalPath: string;
  readonly fetch: FetchInto;
  /** Whether the server can continue a file (originals: yes; an album zip made on the fly: no). */
  readonly resumable: boolean;
  /** Bytes arrived (for progress); negative when a restart discards what a `.part` held. */
  readonly onBytes: (delta: number) => void;
}): Promise<{ bytes: number }> {
  const partPath = `${options.finalPath}.part`;
  try {
    return await downloadOnce(options, partPath, options.resumable ? await sizeOf(partPath) : 0);
  } catch (error) {
    // 416: the `.part` already holds every byte (a stop between the last write and the rename),
    // or the file changed on the server. Either way nothing proves it right: fetch it whole.
    if (!(isHttpStatus(error, 416) && options.resumable)) throw error;
    options.onBytes(-(await sizeOf(partPath)));
    await unlink(partPath).catch(() => undefined);
    return downloadOnce(options, partPath, 0);
  }
}

async function downloadOnce(
  options: Parameters<typeof downloadViaPart>[0],
  partPath: string,
  existing: number,
): Promise<{ bytes: number }> {
  if (existing > 0) options.onBytes(existing);
  let written = 0;
  let startedAt = 0;
  let handle: FileHandle | undefined;
  try {
    await options.fetch(existing, (head) => {
      // 206 with the range we asked for: append. Anything else (200): the whole file, from 0.
      const continues = existing > 0 && head.status === 206 && rangeStart(head.headers['content-range']) === existing;
      startedAt = continues ? existing : 0;
      if (existing > 0 && !continues) options.onBytes(-existing);
      return fileSink(
        () => open(partPath, continues ? 'a' : 'w'),
        (opened) => (handle = opened),
        (delta) => {
          written += delta;
          options.onBytes(delta);
        },
      );
    });
  } finally {
    await handle?.close().catch(() => undefined);
  }
  await rename(partPath, options.finalPath);
  return { bytes: startedAt + written };
}

/** Whether the file at `path` is whole and the same as the server's: its size and SHA-1. */
export async function isSameFile(path: string, expected: { readonly bytes: number; readonly sha1: string }): Promise<boolean> {
  const size = await stat(path).then(
    (found) => (found.isFile() ? found.size : -1),
    () => -1,
  );
  if (size !== expected.bytes || !/^[0-9a-f]{40}$/.test(expected.sha1)) return false;
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex') === expected.sha1;
}

/** Remove a `.part` an export leaves behind when the person discards it. */
export async function removePart(finalPath: string): Promise<void> {
  await unlink(`${finalPath}.part`).catch(() => undefined);
}

/** A Writable into a file handle: every chunk written in order, fsynced before it finishes. */
function fileSink(openFile: () => Promise<FileHandle>, onOpen: (handle: FileHandle) => void, onBytes: (delta: number) => void): Writable {
  let handle: Promise<FileHandle> | undefined;
  const ready = () => (handle ??= openFile().then((opened) => (onOpen(opened), opened)));
  return new Writable({
    highWaterMark: 1024 * 1024,
    writev(chunks, done) {
      const buffers = chunks.map((entry) => entry.chunk as Buffer);
      ready()
        .then((fh) => fh.writev(buffers))
        .then((result) => {
          onBytes(result.bytesWritten);
          done();
        }, done);
    },
    final(done) {
      ready()
        .then((fh) => fh.sync())
        .then(() => done(), done);
    },
  });
}

/** Make a batch's renames durable (see [Note: Never a half-written file under the final name]). */
export async function syncFolder(path: string): Promise<void> {
  // Some file systems refuse fsync on a folder, which loses nothing here.
  const folder = await open(path, 'r').catch(() => undefined);
  await folder?.sync().catch(() => undefined);
  await folder?.close().catch(() => undefined);
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function isHttpStatus(error: unknown, status: number): boolean {
  return typeof error === 'object' && error !== null && 'status' in error && error.status === status;
}

function rangeStart(contentRange: string | undefined): number {
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(contentRange?.trim() ?? '');
  return match ? Number(match[1]) : -1;
}
