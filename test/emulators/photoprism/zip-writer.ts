import { crc32 } from 'node:zlib';

/**
 * A zip archive written entry by entry, as Go's archive/zip writes one for PhotoPrism's album
 * download (internal/api/download_album.go, DownloadAlbum → pkg/fs/zip.go, ZipFile with
 * compress=false: the Store method). Entries are stored, not deflated: photos do not shrink.
 *
 * Go's zip.Writer puts sizes and CRC in a data descriptor after each entry (it streams);
 * here the bytes are at hand, so they go in the local header and the descriptor is left out.
 * Every unzip reads both; the central directory at the end holds the same numbers either way.
 */
export class ZipWriter {
  readonly #write: (chunk: Buffer) => void;
  readonly #central: Buffer[] = [];
  #offset = 0;
  #count = 0;

  constructor(write: (chunk: Buffer) => void) {
    this.#write = write;
  }

  add(name: string, data: Buffer, modifiedMs: number): void {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const { time, date } = dosTime(modifiedMs);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // Store
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(this.#offset, 42);
    this.#central.push(central, nameBytes);
    this.#write(Buffer.concat([local, nameBytes]));
    this.#write(data);
    this.#offset += local.length + nameBytes.length + data.length;
    this.#count++;
  }

  end(): void {
    const directory = Buffer.concat(this.#central);
    const tail = Buffer.alloc(22);
    tail.writeUInt32LE(0x06054b50, 0);
    tail.writeUInt16LE(this.#count, 8);
    tail.writeUInt16LE(this.#count, 10);
    tail.writeUInt32LE(directory.length, 12);
    tail.writeUInt32LE(this.#offset, 16);
    this.#write(directory);
    this.#write(tail);
  }
}

/** Reads a stored (uncompressed) zip back into name → bytes, through its central directory. */
export function readStoredZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('damaged central directory');
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    out.set(name, zip.subarray(dataAt, dataAt + size));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

function dosTime(ms: number): { time: number; date: number } {
  const d = new Date(ms);
  const year = Math.max(1980, d.getUTCFullYear());
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}
