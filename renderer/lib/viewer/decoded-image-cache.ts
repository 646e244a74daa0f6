/**
 * A bounded LRU of decoded images for the viewer: the open photo's preview and the prefetched
 * previous/next ones, so ←/→ paint a sharp image at once.
 *
 * Each entry is charged its decoded size (width × height × 4 bytes); when the total passes the
 * budget (or the entry count its cap), the least recently used entries are dropped. A failed
 * load is not kept, so coming back online retries it.
 */

/** Loads and decodes one image; the default uses an off-DOM HTMLImageElement. */
export type DecodeImage = (url: string) => Promise<{ readonly width: number; readonly height: number; readonly image: unknown }>;

export interface DecodedImage {
  readonly url: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

const BYTES_PER_PIXEL = 4;

async function decodeWithImageElement(url: string) {
  const image = new Image();
  image.decoding = 'async';
  image.src = url;
  await image.decode();
  return { width: image.naturalWidth, height: image.naturalHeight, image };
}

export class DecodedImageCache {
  readonly #budgetBytes: number;
  readonly #maxEntries: number;
  readonly #decode: DecodeImage;
  /** Insertion order is recency order (oldest first). */
  readonly #entries = new Map<string, DecodedImage & { readonly image: unknown }>();
  readonly #pending = new Map<string, Promise<DecodedImage>>();
  #bytes = 0;

  constructor(options: { budgetBytes: number; maxEntries: number; decode?: DecodeImage }) {
    this.#budgetBytes = options.budgetBytes;
    this.#maxEntries = options.maxEntries;
    this.#decode = options.decode ?? decodeWithImageElement;
  }

  /** Decoded bytes held now. */
  get decodedBytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry for `url` if it is decoded (and marks it recently used). */
  peek(url: string): DecodedImage | undefined {
    const hit = this.#entries.get(url);
    if (!hit) return undefined;
    this.#entries.delete(url);
    this.#entries.set(url, hit);
    return hit;
  }

  /** Decode `url` (once, however many ask) and keep it; rejects when the image cannot load. */
  load(url: string): Promise<DecodedImage> {
    const hit = this.peek(url);
    if (hit) return Promise.resolve(hit);
    let pending = this.#pending.get(url);
    if (!pending) {
      pending = this.#decode(url)
        .then(({ width, height, image }) => {
          const entry = { url, width, height, bytes: width * height * BYTES_PER_PIXEL, image };
          this.#entries.set(url, entry);
          this.#bytes += entry.bytes;
          this.#evict(url);
          return entry;
        })
        .finally(() => this.#pending.delete(url));
      this.#pending.set(url, pending);
    }
    return pending;
  }

  /** Drop least recently used entries (never `keep`, the one just loaded) until within budget. */
  #evict(keep: string): void {
    for (const [url, entry] of this.#entries) {
      if (this.#bytes <= this.#budgetBytes && this.#entries.size <= this.#maxEntries) return;
      if (url === keep) continue;
      this.#entries.delete(url);
      this.#bytes -= entry.bytes;
    }
  }
}
