import { AppError, isAppError } from '../../shared/errors';
import { PhotoUid } from '../../shared/ids';
import type { FirstScreen } from '../../shared/ipc/contract';
import { ThumbSize } from '../../shared/library/schemas';
import type { Logger } from '../log/logger';
import type { ForegroundWork } from '../platform/foreground-work';
import type { CachedBlob, DiskLru } from './disk-lru';
import { withPreviewToken, type PreviewTokenSource } from './preview-token';

/** What a shell sends back for a thumbnail path: Electron's protocol handler and the web shell alike. */
export interface ThumbnailResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

/** The parts of the connection thumbnails need (the preview token never leaves main). */
export type ThumbnailSource = PreviewTokenSource;

export interface ThumbnailServiceOptions {
  readonly cache: DiskLru;
  /** The hash of a photo's thumbnail file, from the library cache. */
  readonly lookupHash: (uid: string) => string | undefined;
  readonly source: ThumbnailSource;
  readonly log: Logger;
  /** Thumbnail fetches count as requests for the screen: see [Note: Background work yields to what is on screen]. */
  readonly foreground?: ForegroundWork;
}

/** The longest the first screen's thumbnails hold background work: see [Note: The first screen's thumbnails go first]. */
export const FIRST_SCREEN_HOLD_MAX_MS = 3000;

/** Served thumbnails may be revalidated hourly: a photo's primary file can change. */
const CACHE_CONTROL = 'private, max-age=3600';
const PATH = /^\/thumbs\/([^/]+)\/([^/]+)$/;
const HASH = /^[0-9a-f]{40}$/;

/** A fetch from the server and how many askers that can go away still wait for it. */
interface Fetching {
  readonly blob: Promise<CachedBlob>;
  readonly controller: AbortController;
  /** Askers that passed a signal and have not gone away; one without a signal keeps the fetch for good. */
  waiters: number;
  kept: boolean;
  /** Started for the screen a jump landed on (fetchScreen): kept until the grid asks for it or another screen replaces this one. */
  forScreen: boolean;
}

/**
 * Thumbnails for the renderer: from the disk cache, else fetched from the server and kept.
 *
 * The renderer asks by `/thumbs/<uid>/<size>` (shared/library/schemas.ts `thumbnailPath`);
 * only main knows the file hash and the preview token that make the server URL
 * (`/api/v1/t/<hash>/<token>/<size>`, docs/photoprism-api.md §6.1), so the token never reaches the renderer.
 * Cached entries are keyed by hash, so an edited photo (new primary file) gets a new one.
 */
export class ThumbnailService {
  readonly #o: ThumbnailServiceOptions;
  readonly #inFlight = new Map<string, Fetching>();
  #firstScreen: FirstScreen | undefined;
  /** The first screen's thumbnails fetched ahead that the grid has not asked for yet, and the hold on background work. */
  #awaited: { readonly keys: Set<string>; readonly release: () => void } | undefined;
  /** The fetches fetchScreen started for the last screen, by key. */
  #screen = new Map<string, Fetching>();

  constructor(options: ThumbnailServiceOptions) {
    this.#o = options;
  }

  /**
   * Thumbnail bytes for a photo, or a kinded AppError (not-found, network, …). `signal`: the
   * asker went away (see [Note: Thumbnails nobody waits for]).
   */
  async get(uid: string, size: ThumbSize, signal?: AbortSignal): Promise<CachedBlob> {
    const hash = this.#o.lookupHash(uid);
    if (!hash || !HASH.test(hash)) throw new AppError('not-found', 'No such photo in the library.');
    const key = `${hash}_${size}`;
    this.#asked(key);
    // A fetch under way is joined at once, before any await: a screen's fetch the grid asked for
    // must count as asked for if the next screen's list comes meanwhile (see [Note: A jump's screen is fetched at once]).
    const underWay = this.#inFlight.get(key);
    if (underWay && !signal?.aborted) return this.#await(key, underWay, signal);
    const cached = await this.#o.cache.get(key);
    if (cached) return cached;
    if (signal?.aborted) throw cancelled();
    return this.#await(key, this.#fetching(hash, size), signal);
  }

  /** The fetch of a thumbnail from the server: the one under way, or a new one. */
  #fetching(hash: string, size: ThumbSize): Fetching {
    const key = `${hash}_${size}`;
    const fetching = this.#inFlight.get(key);
    if (fetching) return fetching;
    const controller = new AbortController();
    const created: Fetching = {
      controller,
      waiters: 0,
      kept: false,
      forScreen: false,
      blob: this.#fetch(hash, size, controller.signal).finally(() => {
        if (this.#inFlight.get(key) === created) this.#inFlight.delete(key);
      }),
    };
    this.#inFlight.set(key, created);
    return created;
  }

  /** What the grid's first screen will show (the renderer's estimate, sent while the sign-in form shows). */
  expectFirstScreen(screen: FirstScreen): void {
    this.#firstScreen = screen;
  }

  /**
   * [Note: The first screen's thumbnails go first]
   * On a first run the grid learns its photos only from the first live page (see [Note: Live
   * pages during the first index]), after a round trip through the renderer, and then asks for
   * their thumbnails six at a time (a browser's connections to the web shell), each a round trip
   * to the server; meanwhile the index's pages of 1,000 photos went to the same server and the
   * same main thread (the first-run bench's timeline: the first screen's thumbnails reached the
   * server half a second after the page that named them, behind an index page). So main fetches
   * the first screen's thumbnails itself the moment the first live page is here, with the size
   * and number of tiles the renderer said its first screen shows (`expectFirstScreen`), and they
   * count as screen work (ForegroundWork.hold) until the grid has asked for every one of them:
   * no index page or list goes to the server before. The grid's requests then find them in the
   * cache or joining the fetch. The hold ends early when the grid asks for a thumbnail not among
   * them (the estimate was off, or the screen moved on), and after FIRST_SCREEN_HOLD_MAX_MS at most.
   * Without an estimate (the renderer was not sure of the size) nothing is fetched ahead.
   */
  fetchFirstScreen(hashes: readonly string[]): void {
    this.#fetchFirstScreen(hashes, this.#firstScreen);
  }

  /**
   * [Note: A page load's first screen is fetched while the page evaluates]
   * A page load asks for its first screen's thumbnails once the boot answer is in (renderer/lib/boot.ts,
   * preloadFirstScreen), and the browser sends them six at a time (its connections to the web
   * shell), each of them a round trip to the server when it is not on disk: in a trace of
   * grid.first_paint_100k_ms the 30 tiles arrived in five waves, the last ~950 ms after the page
   * asked. So the boot call carries the renderer's first-screen estimate, and main fetches those
   * thumbnails the moment it has read the first page, as on a first run ([Note: The first screen's
   * thumbnails go first]): all at once (the transport's sockets), one round trip before the page
   * could ask, and the page's own requests find them on disk or join the fetch.
   */
  fetchBootScreen(uids: readonly string[], screen: FirstScreen): void {
    this.#fetchFirstScreen(this.#hashes(uids.slice(0, screen.tiles)), screen);
  }

  /** Fetch the first `screen.tiles` of `hashes` as a screen, holding background work until the grid asked for them all (see fetchFirstScreen). */
  #fetchFirstScreen(hashes: readonly string[], screen: FirstScreen | undefined): void {
    this.#endAwaited();
    if (!screen) return;
    const wanted = hashes.slice(0, screen.tiles).filter((hash) => HASH.test(hash));
    if (wanted.length === 0) return;
    this.#awaited = {
      keys: new Set(wanted.map((hash) => `${hash}_${screen.size}`)),
      release: this.#o.foreground?.hold(FIRST_SCREEN_HOLD_MAX_MS) ?? (() => undefined),
    };
    this.#fetchScreenHashes(wanted, screen.size);
  }

  /**
   * [Note: A jump's screen is fetched at once]
   * After a scrubber jump every tile on screen is new, ~30 thumbnails not on disk. The web shell's
   * page asks for them six at a time (a browser's connections to one host, docs/chromium.md §1.1),
   * each request waiting for main's fetch from the server before the next goes out on its
   * connection: a jump's screen was five such rounds in a row. The grid now names the screen's
   * photos as soon as it knows them (`library.screenThumbnails`), and main starts every fetch at
   * once, so the page's requests find their thumbnail in memory or already on its way. This is
   * also how the first screens above are fetched ahead: a fetch started for a screen is kept
   * until the grid asks for it (from then on, like any other: dropped when every asker went away)
   * or until the next screen's list comes without it (a further jump before this one loaded):
   * then, if nobody asked for it, it is dropped like a tile that scrolled away (see [Note:
   * Thumbnails nobody waits for]). Thumbnails on disk are not read ahead: the page's request reads them.
   */
  fetchScreen(uids: readonly string[], size: ThumbSize): void {
    this.#fetchScreenHashes(this.#hashes(uids), size);
  }

  /** The thumbnail hashes of those photos that are cached (a photo unknown here is skipped). */
  #hashes(uids: readonly string[]): string[] {
    return uids.flatMap((uid) => this.#o.lookupHash(uid) ?? []);
  }

  /** Start the fetch of every thumbnail of a screen not on disk, replacing the last screen's (see [Note: A jump's screen is fetched at once]). */
  #fetchScreenHashes(hashes: readonly string[], size: ThumbSize): void {
    const previous = this.#screen;
    this.#screen = new Map();
    for (const hash of hashes) {
      if (!HASH.test(hash)) continue;
      const key = `${hash}_${size}`;
      if (this.#o.cache.has(key)) continue;
      const fetching = this.#fetching(hash, size);
      fetching.forScreen = true;
      this.#screen.set(key, fetching);
      // Nobody may be waiting yet: a failure is the grid's own request's to meet and show.
      fetching.blob.catch((error: unknown) => {
        // A dropped fetch (the screen moved on) is no failure.
        if (!fetching.controller.signal.aborted)
          this.#o.log.info('a thumbnail fetched ahead for the screen failed; the grid asks again', { error });
      });
    }
    for (const [key, fetching] of previous) {
      if (this.#screen.get(key) === fetching) continue;
      fetching.forScreen = false;
      this.#dropIfUnwanted(key, fetching);
    }
  }

  /** Abort a fetch nobody waits for any more (see [Note: Thumbnails nobody waits for]). */
  #dropIfUnwanted(key: string, fetching: Fetching): void {
    if (fetching.waiters > 0 || fetching.kept || fetching.forScreen) return;
    if (this.#inFlight.get(key) === fetching) this.#inFlight.delete(key);
    fetching.controller.abort();
  }

  /** The grid asked for `key`: one of the first screen's less to wait for, or a sign the first screen is over. */
  #asked(key: string): void {
    const awaited = this.#awaited;
    if (!awaited) return;
    if (!awaited.keys.delete(key) || awaited.keys.size === 0) this.#endAwaited();
  }

  #endAwaited(): void {
    this.#awaited?.release();
    this.#awaited = undefined;
  }

  /**
   * [Note: Thumbnails nobody waits for]
   * A tile that leaves the screen before its image arrived drops its request (the renderer's
   * cancelImageOnRemove; the web shell's route passes that on as `signal`). Main's fetch from
   * the server used to go on regardless, so after a jump the new screen's thumbnails queued at
   * the server behind the old screen's. Now a fetch that every asker left is aborted (its socket
   * closed) and forgotten, so the next ask fetches anew; an asker without a signal (Electron's
   * protocol handler, the viewer) keeps it to the end. A cancelled fetch is not a server failure.
   */
  #await(key: string, fetching: Fetching, signal: AbortSignal | undefined): Promise<CachedBlob> {
    if (!signal) {
      fetching.kept = true;
      return fetching.blob;
    }
    fetching.waiters++;
    // The grid asked for it: from now on its askers decide (see [Note: A jump's screen is fetched at once]).
    fetching.forScreen = false;
    return new Promise<CachedBlob>((resolve, reject) => {
      const onAbort = () => {
        fetching.waiters--;
        this.#dropIfUnwanted(key, fetching);
        reject(cancelled());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      fetching.blob.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /**
   * Answer a request path. 404 for paths and photos we do not know; 503 when the server is
   * unreachable and the thumbnail is not cached (offline browsing shows what is on disk).
   * A bound function, so a shell can pass `core.thumbnails.serve` around as it is.
   */
  readonly serve = (pathname: string, signal?: AbortSignal): Promise<ThumbnailResponse> => this.#serve(pathname, signal);

  async #serve(pathname: string, signal: AbortSignal | undefined): Promise<ThumbnailResponse> {
    const match = PATH.exec(pathname);
    const uid = PhotoUid.safeParse(match?.[1]);
    const size = ThumbSize.safeParse(match?.[2]);
    if (!uid.success || !size.success) return text(404, 'Not found');
    try {
      const blob = await this.get(uid.data, size.data, signal);
      return { status: 200, contentType: blob.contentType, body: blob.body };
    } catch (error) {
      if (isAppError(error) && error.kind === 'not-found') return text(404, 'Not found');
      if (isAppError(error) && (error.kind === 'network' || error.kind === 'auth')) return text(503, 'Thumbnail not available offline');
      this.#o.log.warn('thumbnail failed', { error });
      return text(502, 'Thumbnail not available');
    }
  }

  /** HTTP headers to send with a response from `serve()`. */
  static headers(response: ThumbnailResponse): Record<string, string> {
    return {
      'content-type': response.contentType,
      'content-length': String(response.body.length),
      'cache-control': response.status === 200 ? CACHE_CONTROL : 'no-store',
      'x-content-type-options': 'nosniff',
      // A server-sent SVG must never run script in our origin, even if opened directly.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    };
  }

  async #fetch(hash: string, size: ThumbSize, signal: AbortSignal): Promise<CachedBlob> {
    const fetch = () => withPreviewToken(this.#o.source, (client, token) => client.thumbnail(hash, token, size, signal), signal);
    const result = await (this.#o.foreground ? this.#o.foreground.run(fetch) : fetch());
    const contentType = result.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!contentType.startsWith('image/')) throw new AppError('server', 'The server sent something that is not an image.');
    const blob = { contentType, body: result.body };
    // A 200 SVG is PhotoPrism's placeholder for an unknown hash or a broken file (docs/photoprism-api.md §6.3): show it, keep nothing.
    if (contentType !== 'image/svg+xml') this.#o.cache.put(`${hash}_${size}`, blob);
    return blob;
  }
}

/** What an asker that went away gets (nobody reads it; a 503 like any thumbnail not to be had now). */
function cancelled(): AppError {
  return new AppError('network', 'The thumbnail was no longer wanted.');
}

function text(status: number, message: string): ThumbnailResponse {
  return { status, contentType: 'text/plain; charset=utf-8', body: Buffer.from(message) };
}
