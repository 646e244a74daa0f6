import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import { AlbumUid, PhotoUid } from '../../shared/ids';
import type { Logger } from '../log/logger';
import { backoffDelayMs } from '../platform/backoff';
import type { Clock } from '../platform/clock';
import { SocketEntities, SocketFrame } from './schemas';
import { decideTrust, normaliseFingerprint } from './tls-trust';

/** UIDs a server event says changed: a hint to refresh them, never data to trust. */
export interface ChangeHint {
  readonly photos: readonly string[];
  readonly albums: readonly string[];
}

export interface LiveEventsOptions {
  readonly baseUrl: string;
  readonly getToken: () => string | undefined;
  readonly trustedFingerprint: string | null;
  readonly onHint: (hint: ChangeHint) => void;
  /** The socket came back after a drop: events in between are lost, so refresh (docs/photoprism-api.md §8.5). */
  readonly onReconnect: () => void;
  readonly clock: Clock;
  readonly log: Logger;
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** Something that can be started and stopped (the socket, or a stand-in in tests). */
export interface LiveEventsHandle {
  start(): void;
  stop(): void;
}

const PHOTO_EVENTS = new Set(['photos.updated', 'photos.created', 'photos.archived', 'photos.restored', 'photos.deleted']);
const ALBUM_EVENTS = new Set(['albums.updated', 'albums.created', 'albums.deleted']);

/**
 * Largest frame accepted from the server (ws `maxPayload`; its default is 100 MiB). A real
 * frame carries one photo's merged search result (PhotoPrism internal/api/api_event.go,
 * PublishPhotoEvent) or a list of UIDs, a few KB to a few hundred KB; a bigger frame closes the
 * socket (1009) and we reconnect with backoff. See [Note: Limits against a hostile server].
 */
export const LIVE_EVENTS_MAX_FRAME_BYTES = 1024 * 1024;

/**
 * The server's WebSocket (`/api/v1/ws`) as a source of change hints.
 *
 * PhotoPrism authenticates the socket by a `{"session": token}` message, not by headers (docs/photoprism-api.md §8.1),
 * and only admins receive broadcasts (docs/photoprism-api.md §8.4). Events may be dropped and are never replayed
 * (docs/photoprism-api.md §8.5), so they only make a refresh happen sooner; after every reconnect we refresh anyway.
 *
 * ```
 *  stopped ──start()──► connecting ──open──► open (sends {"session"})
 *     ▲                     ▲                  │ close / error
 *     │ stop()              └── backoff wait ◄─┘   (1 s, 2 s, … capped; reset on open)
 * ```
 * Over HTTPS the certificate is checked like every other request ([Note: TLS pinning]) before
 * the token is sent; the upgrade request itself carries no credentials.
 */
export class LiveEvents implements LiveEventsHandle {
  readonly #options: LiveEventsOptions;
  #socket: WebSocket | undefined;
  #cancelRetry: (() => void) | undefined;
  #attempt = 0;
  #opened = false;
  #running = false;

  constructor(options: LiveEventsOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#connect();
  }

  stop(): void {
    this.#running = false;
    this.#cancelRetry?.();
    this.#cancelRetry = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.removeAllListeners();
    socket?.on('error', () => undefined);
    socket?.terminate();
  }

  #connect(): void {
    const url = `${this.#options.baseUrl.replace(/^http/, 'ws')}/api/v1/ws`;
    const secure = url.startsWith('wss:');
    let trusted = !secure;
    const socket = new WebSocket(url, {
      handshakeTimeout: 15_000,
      maxPayload: LIVE_EVENTS_MAX_FRAME_BYTES,
      ...(secure ? { rejectUnauthorized: false } : {}),
    });
    this.#socket = socket;
    socket.on('upgrade', (res: IncomingMessage) => {
      if (!secure) return;
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- a wss: upgrade always arrives on a TLSSocket
      const tls = res.socket as TLSSocket;
      const fingerprint = normaliseFingerprint(tls.getPeerCertificate().fingerprint256 ?? '');
      trusted =
        decideTrust({ authorized: tls.authorized, fingerprintSha256: fingerprint, pinnedFingerprint: this.#options.trustedFingerprint }) !==
        'untrusted';
      if (!trusted) {
        this.#options.log.warn('live events: untrusted certificate; not sending the session');
        socket.terminate();
      }
    });
    socket.on('open', () => {
      const token = this.#options.getToken();
      if (!trusted || !token) {
        socket.terminate();
        return;
      }
      socket.send(JSON.stringify({ session: token }));
      this.#attempt = 0;
      const reconnect = this.#opened;
      this.#opened = true;
      this.#options.log.info(reconnect ? 'live events reconnected' : 'live events connected');
      if (reconnect) this.#options.onReconnect();
    });
    socket.on('message', (data, isBinary) => {
      // Text frames arrive as one Buffer (ws binaryType 'nodebuffer', its default).
      if (isBinary || !Buffer.isBuffer(data)) return;
      this.#onFrame(data.toString('utf8'));
    });
    socket.on('error', (error) => {
      if ((error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.#options.log.warn('live events: the server sent an oversized frame; reconnecting', { maxBytes: LIVE_EVENTS_MAX_FRAME_BYTES });
      } else {
        this.#options.log.debug('live events socket error', { error: error.message });
      }
    });
    socket.on('close', () => {
      if (this.#socket !== socket || !this.#running) return;
      this.#socket = undefined;
      const delayMs = backoffDelayMs(
        ++this.#attempt,
        { baseMs: this.#options.initialBackoffMs ?? 1000, maxMs: this.#options.maxBackoffMs ?? 60_000, jitter: 'none' },
        Math.random,
      );
      this.#cancelRetry = this.#options.clock.setTimeout(() => {
        this.#cancelRetry = undefined;
        if (this.#running) this.#connect();
      }, delayMs);
    });
  }

  #onFrame(text: string): void {
    let frame;
    try {
      frame = SocketFrame.parse(JSON.parse(text));
    } catch {
      return; // Not a frame we understand: hints are optional by design.
    }
    const isPhoto = PHOTO_EVENTS.has(frame.event);
    const isAlbum = ALBUM_EVENTS.has(frame.event);
    if (!isPhoto && !isAlbum) return;
    const parsed = SocketEntities.safeParse(frame.data);
    if (!parsed.success) return;
    const uids = parsed.data.entities;
    // Payloads differ per publisher (docs/photoprism-api.md §8.3): keep only well-formed UIDs of the expected kind.
    const photos = isPhoto ? uids.filter((uid) => PhotoUid.safeParse(uid).success) : [];
    const albums = isAlbum ? uids.filter((uid) => AlbumUid.safeParse(uid).success) : [];
    if (photos.length + albums.length > 0) this.#options.onHint({ photos, albums });
  }
}
