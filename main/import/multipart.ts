import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

/** A file part read from disk as it is sent: its multipart body, exact length, and what was read. */
export interface MultipartFile {
  readonly contentType: string;
  readonly lengthBytes: number;
  /** A fresh body stream; `onBytes` hears every chunk of the FILE (not the envelope) as it is read. */
  open(): Readable;
  /** The file's SHA-1 (PhotoPrism's file hash), once the whole file was read. */
  sha1(): string | undefined;
}

/** Large reads: fewer syscalls and chunks on a fast link (64 KB is Node's default). */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * One file as `multipart/form-data` under the field `files`, streamed from disk (PhotoPrism reads
 * `f.File["files"]`: internal/api/users_upload.go, UploadUserFiles). The envelope is a few hundred
 * bytes around the file, so the length is known before sending. The file's SHA-1 is computed
 * on the way (PhotoPrism names originals by it), so the importer's result can be matched.
 */
export function multipartFile(options: {
  path: string;
  name: string;
  sizeBytes: number;
  onBytes: (bytes: number) => void;
  /** Hears the SHA-1 as soon as the file's last byte was read, before the server has answered. */
  onHashed?: (sha1: string) => void;
}): MultipartFile {
  const boundary = `----PhotoflareUpload${randomBytes(12).toString('hex')}`;
  // As browsers do (WHATWG HTML, "multipart/form-data encoding algorithm"): quote, CR and LF percent-encoded.
  const fileName = options.name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let digest: string | undefined;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    lengthBytes: head.length + options.sizeBytes + tail.length,
    sha1: () => digest,
    open: () => {
      digest = undefined;
      const hash: Hash = createHash('sha1');
      const file = createReadStream(options.path, { highWaterMark: READ_CHUNK_BYTES });
      let readBytes = 0;
      async function* body() {
        yield head;
        for await (const chunk of file as AsyncIterable<Buffer>) {
          readBytes += chunk.length;
          // The size was taken when the file was chosen; a file that grows meanwhile would break the length.
          if (readBytes > options.sizeBytes) throw new Error('the file changed while it was being sent');
          hash.update(chunk);
          options.onBytes(chunk.length);
          yield chunk;
        }
        if (readBytes !== options.sizeBytes) throw new Error('the file changed while it was being sent');
        digest = hash.digest('hex');
        options.onHashed?.(digest);
        yield tail;
      }
      return Readable.from(body(), { objectMode: false });
    },
  };
}
