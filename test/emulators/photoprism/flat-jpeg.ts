/**
 * A tiny baseline JPEG encoder for the emulator's thumbnails, built for speed rather than
 * fidelity: every 8×8 block is one flat colour (only the DC coefficient is coded, every AC
 * coefficient is zero), so a 1920×1200 preview costs a few milliseconds instead of the ~1 s
 * jpeg-js needs on our shared machines. The pictures are smooth gradients, where flat 8×8
 * blocks are hard to see, and the output is a standard JFIF file every decoder reads
 * (ITU-T T.81: baseline sequential DCT, Huffman coded, 4:4:4 YCbCr).
 *
 * `padToBytes` adds a comment segment so a file can weigh what a real thumbnail of that size
 * weighs (the client's transfer and caching cost is then realistic too).
 */

/** Colour of the block whose top-left pixel is (x, y): RGB, 0–255 each. */
export type BlockColour = (x: number, y: number) => readonly [number, number, number];

// The standard luminance DC Huffman table (T.81 Annex K, Table K.3): code lengths, then symbols.
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
// An AC table with a single symbol, EOB (0x00), coded as the one-bit code `0`.
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALUES = [0];

/** Canonical Huffman codes for a table (T.81 Annex C). */
function huffmanCodes(bits: readonly number[], values: readonly number[]): Map<number, { code: number; length: number }> {
  const codes = new Map<number, { code: number; length: number }>();
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < (bits[length - 1] ?? 0); i++) {
      codes.set(values[k++] ?? 0, { code, length });
      code++;
    }
    code <<= 1;
  }
  return codes;
}
const DC_CODE_MAP = huffmanCodes(DC_BITS, DC_VALUES);
/** Code and length per DC category, as flat arrays (the encoder's inner loop). */
const DC_CODE = DC_VALUES.map((v) => DC_CODE_MAP.get(v)?.code ?? 0);
const DC_LENGTH = DC_VALUES.map((v) => DC_CODE_MAP.get(v)?.length ?? 0);

class BitWriter {
  #bytes = new Uint8Array(1 << 16);
  #length = 0;
  #acc = 0;
  #count = 0;

  write(value: number, length: number): void {
    this.#acc = (this.#acc << length) | (value & ((1 << length) - 1));
    this.#count += length;
    while (this.#count >= 8) {
      this.#count -= 8;
      this.#push((this.#acc >>> this.#count) & 0xff);
    }
    this.#acc &= (1 << this.#count) - 1;
  }

  /** Pad the last byte with 1-bits (T.81 F.1.2.3). */
  finish(): Uint8Array {
    if (this.#count > 0) this.write(0xff, 8 - this.#count);
    return this.#bytes.subarray(0, this.#length);
  }

  #push(byte: number): void {
    if (this.#length + 2 > this.#bytes.length) {
      const grown = new Uint8Array(this.#bytes.length * 2);
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    this.#bytes[this.#length++] = byte;
    // A 0xFF data byte is followed by a stuffed 0x00 (T.81 F.1.2.3).
    if (byte === 0xff) this.#bytes[this.#length++] = 0;
  }
}

function segment(marker: number, payload: readonly number[]): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

/** Encodes a `width`×`height` JPEG whose 8×8 blocks take their colour from `colour`. */
export function encodeFlatJpeg(width: number, height: number, colour: BlockColour, options: { padToBytes?: number } = {}): Buffer {
  const header: number[] = [0xff, 0xd8];
  // JFIF APP0, 1:1 aspect.
  header.push(...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
  // One quantisation table of ones: DC values are coded exactly.
  header.push(...segment(0xdb, [0, ...new Array<number>(64).fill(1)]));
  // SOF0: 8-bit, three components, no subsampling, all on table 0.
  header.push(...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]));
  header.push(...segment(0xc4, [0x00, ...DC_BITS, ...DC_VALUES, 0x10, ...AC_BITS, ...AC_VALUES]));
  header.push(...segment(0xda, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]));

  const bits = new BitWriter();
  const previous = [0, 0, 0];
  const blocksX = Math.ceil(width / 8);
  const blocksY = Math.ceil(height / 8);
  for (let by = 0; by < blocksY; by++) {
    for (let bx = 0; bx < blocksX; bx++) {
      const [r, g, b] = colour(bx * 8, by * 8);
      // JFIF YCbCr (full range), then the DC coefficient of a flat block: 8 × (value − 128).
      const ycc = [
        0.299 * r + 0.587 * g + 0.114 * b,
        128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
        128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
      ];
      for (let c = 0; c < 3; c++) {
        const dc = Math.round(8 * ((ycc[c] ?? 128) - 128));
        const diff = dc - (previous[c] ?? 0);
        previous[c] = dc;
        const category = 32 - Math.clz32(Math.abs(diff));
        bits.write(DC_CODE[category] ?? 0, DC_LENGTH[category] ?? 0);
        if (category > 0) bits.write(diff < 0 ? diff + (1 << category) - 1 : diff, category);
        bits.write(0, 1); // EOB: all AC coefficients are zero
      }
    }
  }
  const scan = bits.finish();

  const head = Buffer.from(header);
  let size = header.length + scan.length + 2;
  // COM segments (at most 65 533 bytes of payload each) bring the file to a realistic weight.
  const padding: Buffer[] = [];
  while (options.padToBytes !== undefined && size + 4 < options.padToBytes) {
    const payload = Math.min(65_533, options.padToBytes - size - 4);
    const com = Buffer.alloc(payload + 4, 0x20);
    com.writeUInt16BE(0xfffe, 0);
    com.writeUInt16BE(payload + 2, 2);
    padding.push(com);
    size += com.length;
  }
  // Comments may stand anywhere before the scan: splice them in front of SOS.
  const sos = head.lastIndexOf(Buffer.from([0xff, 0xda]));
  return Buffer.concat([head.subarray(0, sos), ...padding, head.subarray(sos), scan, Buffer.from([0xff, 0xd9])]);
}
