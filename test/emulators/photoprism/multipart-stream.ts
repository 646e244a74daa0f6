import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

/** A file part of a multipart/form-data body, saved to disk as it arrived. */
export interface SavedPart {
  readonly field: string;
  /** The file name the client sent (as it sent it). */
  readonly name: string;
  readonly path: string;
  readonly sizeBytes: number;
  /** SHA-1 of the bytes: PhotoPrism's file hash (pkg/fs/hash.go, Hash), taken on the way in. */
  readonly sha1: string;
}

/** A part's header block longer than this is a broken body (Go's mime/multipart caps headers as well). */
const MAX_PART_HEADER_BYTES = 16 * 1024;

/**
 * [Note: The emulator saves uploads to disk as they arrive]
 * PhotoPrism reads the multipart form with gin (`c.MultipartForm()`: Go's mime/multipart, parts
 * kept in memory up to 32 MB, larger ones in temporary files) and then writes every file to the
 * user's upload folder (`c.SaveUploadedFile`; PhotoPrism internal/api/users_upload.go,
 * UploadUserFiles). The emulator does the same work in one pass: each file part is streamed into a
 * file under `dir` while the body arrives (no copy of the whole body in memory), and its SHA-1 is
 * taken on the way (the importer would read the file again for it: internal/photoprism/import_worker.go).
 * Like `MultipartForm`, a body that is not a whole form is an error and nothing of it stays on
 * disk: answers `null` and removes what it wrote. Parts without a file name (plain fields) are read
 * and dropped: the upload handler only looks at `f.File["files"]`.
 */
export async function saveMultipartParts(body: AsyncIterable<Buffer>, contentType: string, dir: string): Promise<SavedPart[] | null> {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) {
    // Read the body anyway, so the connection stays usable for the answer.
    await drain(body);
    return null;
  }
  // Every delimiter is CRLF + "--" + boundary; the body's first one has no CRLF before it, so the
  // parser starts as if one had just been read (RFC 2046, section 5.1.1).
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const saved: SavedPart[] = [];
  const written: string[] = [];
  let state: 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done' = 'preamble';
  let carry: Buffer = Buffer.from('\r\n');
  let headerBytes: Buffer = Buffer.alloc(0);
  let current: {
    field: string;
    name: string;
    path: string;
    out: WriteStream;
    sizeBytes: number;
    hash: ReturnType<typeof createHash>;
  } | null = null;
  let skipping = false;

  const write = async (bytes: Buffer): Promise<void> => {
    if (bytes.length === 0 || !current) return;
    current.sizeBytes += bytes.length;
    current.hash.update(bytes);
    // Backpressure: wait for the disk when its queue is full (the socket then waits for us).
    if (!current.out.write(bytes)) await once(current.out, 'drain');
  };
  const closePart = async (): Promise<void> => {
    if (!current) return;
    const part = current;
    current = null;
    part.out.end();
    await finished(part.out);
    saved.push({ field: part.field, name: part.name, path: part.path, sizeBytes: part.sizeBytes, sha1: part.hash.digest('hex') });
  };

  try {
    for await (const chunk of body) {
      let data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      carry = Buffer.alloc(0);
      let at = 0;
      while (at < data.length && state !== 'done') {
        if (state === 'preamble' || state === 'body') {
          const found = data.indexOf(delimiter, at);
          if (found >= 0) {
            if (state === 'body' && !skipping) await write(data.subarray(at, found));
            await closePart();
            state = 'after-delimiter';
            at = found + delimiter.length;
            continue;
          }
          // No delimiter here: keep back a tail that could be the start of one split across chunks.
          const keep = delimiterPrefixAtEnd(data, at, delimiter);
          if (state === 'body' && !skipping) await write(data.subarray(at, data.length - keep));
          carry = Buffer.from(data.subarray(data.length - keep));
          at = data.length;
        } else if (state === 'after-delimiter') {
          if (data.length - at < 2) {
            carry = Buffer.from(data.subarray(at));
            at = data.length;
            continue;
          }
          const next = data.toString('latin1', at, at + 2);
          if (next === '--') {
            state = 'done';
          } else if (next === '\r\n') {
            state = 'headers';
            headerBytes = Buffer.alloc(0);
            at += 2;
          } else {
            throw new MalformedForm();
          }
        } else {
          headerBytes = Buffer.concat([headerBytes, data.subarray(at)]);
          const end = headerBytes.indexOf('\r\n\r\n');
          if (end < 0) {
            if (headerBytes.length > MAX_PART_HEADER_BYTES) throw new MalformedForm();
            at = data.length;
            continue;
          }
          const disposition = /content-disposition:[^\r\n]*\bname="([^"]*)"(?:;\s*filename="([^"]*)")?/i.exec(
            headerBytes.subarray(0, end).toString('utf8'),
          );
          data = headerBytes;
          at = end + 4;
          state = 'body';
          skipping = disposition?.[2] === undefined;
          if (!skipping) {
            const path = join(dir, `.part-${process.pid}-${saved.length}-${Math.random().toString(36).slice(2)}`);
            written.push(path);
            const out = createWriteStream(path, { highWaterMark: 1024 * 1024 });
            // A write error (a full disk) surfaces in `finished` or the `drain` wait; this keeps it from being unhandled meanwhile.
            out.on('error', () => undefined);
            current = { field: disposition?.[1] ?? '', name: disposition?.[2] ?? '', path, out, sizeBytes: 0, hash: createHash('sha1') };
          }
        }
      }
    }
    if (state !== 'done') throw new MalformedForm();
    return saved;
  } catch (error) {
    const part = current as { out: WriteStream } | null;
    part?.out.destroy();
    await Promise.all(written.map((path) => rm(path, { force: true })));
    if (error instanceof MalformedForm) return null;
    throw error;
  }
}

class MalformedForm extends Error {}

/** Read a body to its end and drop it. */
export async function drain(body: AsyncIterable<Buffer>): Promise<void> {
  const chunks = body[Symbol.asyncIterator]();
  while (!(await chunks.next()).done) {
    // Each chunk is dropped as it comes.
  }
}

/** How many bytes at the end of `data` (from `from`) are a proper prefix of `delimiter`: they may continue in the next chunk. */
function delimiterPrefixAtEnd(data: Buffer, from: number, delimiter: Buffer): number {
  const longest = Math.min(delimiter.length - 1, data.length - from);
  for (let keep = longest; keep > 0; keep--) {
    // The delimiter starts with CR: only tails starting with one can match.
    if (data[data.length - keep] !== delimiter[0]) continue;
    if (data.subarray(data.length - keep).equals(delimiter.subarray(0, keep))) return keep;
  }
  return 0;
}
