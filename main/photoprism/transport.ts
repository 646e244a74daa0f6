import { request as httpRequest, Agent as HttpAgent, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { createGunzip } from 'node:zlib';
import { decideTrust, formatDistinguishedName, normaliseFingerprint, type CertificateInfo } from './tls-trust';

/** One HTTP request, as the PhotoPrism client makes it. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Longest silence (connect, handshake, between bytes) before giving up. */
  readonly timeoutMs?: number;
  /** Longest the whole request may take, however steadily bytes arrive (default DEFAULT_DEADLINE_MS). */
  readonly deadlineMs?: number;
  /** Largest body accepted (default RESPONSE_LIMITS.jsonBytes); a bigger one is a 'too-large' TransportError. */
  readonly maxBodyBytes?: number;
  /** A request body streamed from disk instead of `body` (uploads). See [Note: Streamed request bodies]. */
  readonly streamBody?: StreamBody;
  /**
   * Where a 2xx body goes instead of memory (an export writing to disk): see [Note: Streamed
   * response bodies]. The response then resolves with an empty `body` once the sink has it all.
   */
  readonly sink?: (head: { readonly status: number; readonly headers: Readonly<Record<string, string>> }) => Writable;
  /** Aborting it ends the request (a cancelled upload or export) with a 'cancelled' TransportError. */
  readonly signal?: AbortSignal;
  /** The answer is JSON: its body is decoded as it arrives, into `HttpResponse.text` (see [Note: JSON answers are decoded as they arrive]). */
  readonly asText?: boolean;
}

/**
 * [Note: Streamed request bodies]
 * An upload may be gigabytes (a video), so its body is never held in memory: the transport pipes
 * `open()` into the socket with backpressure and sends `lengthBytes` as Content-Length (PhotoPrism
 * reads multipart bodies through gin, which wants a length or chunked encoding; a length lets a
 * proxy refuse a too-large body before it is sent). Aborting the request's `signal` cuts it: the
 * promise rejects with a 'cancelled' TransportError and the file is closed.
 */
export interface StreamBody {
  readonly lengthBytes: number;
  open(): Readable;
}

/** A complete response; header names are lower case. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body's bytes; empty when the request asked for `text`. */
  readonly body: Buffer;
  /** The body as UTF-8 text, when the request asked for it (`asText`); read it through {@link responseText}. */
  readonly text?: string;
}

/** A response's body as text, however the transport delivered it. */
export function responseText(res: HttpResponse): string {
  return res.text ?? res.body.toString('utf8');
}

/**
 * [Note: JSON answers are decoded as they arrive]
 * A page of a full index is ~1.5 MB of JSON, and a first index of 100k photos reads about a
 * hundred of them. Held as chunks, joined into one Buffer (Buffer.concat) and then decoded in one
 * piece, each page made two fresh 1.5 MB blocks of memory; on these VMs a fresh block is a page
 * fault in the kernel for every 4 kB touched (`exc_page_fault` was ~10 % of main's samples in a
 * perf profile of the index). A JSON answer is instead decoded chunk by chunk as it arrives (a
 * StringDecoder keeps a character split between two chunks whole) and JSON.parse reads the joined
 * text, so no joined Buffer is ever made. Request to parsed page, the emulator's 1,000-photo pages
 * over loopback, five interleaved rounds of 20 pages: median 21.8 -> 19.2 ms of CPU a page. The
 * size cap still counts bytes.
 */

/**
 * The seam the client talks through: real sockets in the app, anything in tests.
 *
 * It resolves for every HTTP status and rejects only when no response arrived, with a
 * TransportError saying why (network, timeout, untrusted certificate).
 */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/** Builds a transport for a pinned fingerprint (null = system trust only). */
export type TransportFactory = (options: { trustedFingerprint: string | null }) => HttpTransport;

export type TransportErrorCode = 'network' | 'timeout' | 'tls-untrusted' | 'tls' | 'too-large' | 'cancelled';

/** No response: why, and for an untrusted certificate, which one. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly code: TransportErrorCode;
  readonly certificate: CertificateInfo | undefined;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown; certificate?: CertificateInfo }) {
    super(message, { cause: options?.cause });
    this.code = code;
    this.certificate = options?.certificate;
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * [Note: A screen's thumbnails at once]
 * Most connections kept to one plain-HTTP server. After a scrubber jump main fetches the new
 * screen's ~30 thumbnails at once (see [Note: A jump's screen is fetched at once]); with 8
 * connections they went in four waves, each a round trip to the server: in the grid bench's
 * timeline of a jump (2026-12-02, 2 shared cores) the screen's last of 24 fetches ended ~300 ms
 * after they started, with 32 ~45–95 ms. A server answers small files from many connections
 * well (PhotoPrism is a Go server: a goroutine per connection).
 */
export const MAX_CONNECTIONS_PER_SERVER = 32;

/**
 * [Note: Limits against a hostile server]
 * A server (or something posing as one) must not be able to make us hold unbounded memory or
 * wait forever. Every response body has a cap per kind of endpoint, checked against
 * Content-Length before reading and against the bytes actually received while reading; every
 * request has an overall deadline besides the idle timeout, so a server that trickles one byte
 * a second is cut off too. Both end as a TransportError ('too-large', 'timeout') that the client
 * turns into a readable AppError. The live-events socket has its own frame cap (live-events.ts),
 * CloudKit its own body cap (main/cloudkit/response-limit.ts).
 */
export const RESPONSE_LIMITS = {
  /** A JSON page: 1,000 search results with all fields are a few MB; 32 MiB is far above. */
  jsonBytes: 32 * 1024 * 1024,
  /** A thumbnail: the largest size we ask for (fit_1920) is well under 5 MB. */
  thumbnailBytes: 16 * 1024 * 1024,
  /** An original the viewer shows when zoomed past the previews: a 100 MP JPEG is about 50 MB. */
  originalBytes: 128 * 1024 * 1024,
} as const;
/**
 * [Note: Compressed answers]
 * Requests say `Accept-Encoding: gzip`: a PhotoPrism with `--http-compression gzip` (what its
 * docker-compose.yml sets) then compresses JSON, so a 1,000-photo search page of ~1.5 MB arrives
 * in ~150 KB, which matters on a first index over Wi-Fi or a tunnel. Not to a server on this Mac
 * (a loopback host: 127.0.0.0/8, ::1, localhost): there the bytes never touch a network, and
 * compressing them only costs CPU on both sides, which share the same cores (a first index of
 * 100k photos: ~3 s of the server's CPU to gzip, ~0.6 s of ours to inflate, for nothing).
 * Thumbnails and videos are never compressed by the server (docs/photoprism-api.md §6). A hostile
 * server could send a small gzip that inflates to gigabytes (whether asked for or not), so the
 * response cap applies to the inflated bytes, and a corrupt stream is a network error like a cut
 * connection.
 */

/**
 * Whether a host name is this machine (see [Note: Compressed answers]): an IPv4 loopback address
 * (127.0.0.0/8), the IPv6 one (::1, also IPv4-mapped), or `localhost` (RFC 6761, section 6.3: always the
 * loopback). `hostname` as URL gives it: lower case, IPv6 in brackets.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  // URL writes IPv6 in its shortest form, an IPv4-mapped 127.x.y.z as ::ffff:7fxx:yyzz.
  if (isIP(host) === 6) return host === '::1' || /^::ffff:(7f[0-9a-f]{2}:[0-9a-f]{1,4}|127\.[\d.]+)$/.test(host);
  return false;
}

/** Whether to ask a server for gzip, by its URL: everywhere but on this machine (see [Note: Compressed answers]). */
export function asksForGzip(url: URL): boolean {
  return !isLoopbackHost(url.hostname);
}

/** The whole request, from connect to the last byte: far above a slow but honest answer. */
export const DEFAULT_DEADLINE_MS = 120_000;

/**
 * The real transport over node:http / node:https, with certificate pinning.
 * See [Note: TLS pinning]. Plain HTTP reuses connections; each HTTPS request does its own
 * verified handshake (simple and safe; pooling verified sockets is a later optimisation).
 */
export function createNodeTransport(options: {
  trustedFingerprint: string | null;
  /** Whether a request asks for gzip (default {@link asksForGzip}; a test stands in for a LAN server on loopback). */
  askForGzip?: (url: URL) => boolean;
}): HttpTransport {
  const askForGzip = options.askForGzip ?? asksForGzip;
  const agent = new HttpAgent({ keepAlive: true, maxSockets: MAX_CONNECTIONS_PER_SERVER });
  // See [Note: Idle keep-alive connections].
  return async (req) => {
    try {
      return await once(req);
    } catch (error) {
      if (!staleConnectionFailures.has(error as object)) throw error;
      return await once(req, { newConnection: true });
    }
  };

  async function once(req: HttpRequest, how: { newConnection: boolean } = { newConnection: false }): Promise<HttpResponse> {
    const url = new URL(req.url);
    const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const maxBodyBytes = req.maxBodyBytes ?? RESPONSE_LIMITS.jsonBytes;
    const deadlineMs = req.deadlineMs ?? DEFAULT_DEADLINE_MS;
    // Search pages are JSON of ~1.5 KB a photo; gzip makes them about a tenth, worth it off this machine (see [Note: Compressed answers]).
    const headers: Record<string, string> = { ...(askForGzip(url) ? { 'accept-encoding': 'gzip' } : {}), ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    if (req.streamBody) headers['content-length'] = String(req.streamBody.lengthBytes);
    const common = {
      method: req.method,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || (url.protocol === 'https:' ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      headers,
    };
    // One deadline over everything (handshake included): see [Note: Limits against a hostile server].
    let onDeadline: (error: TransportError) => void = () => undefined;
    // The error is made only if the deadline passes: an Error captures a stack, which cost ~0.15 ms
    // of main's CPU per request (every thumbnail) in a profile of scrubber jumps.
    const deadline = setTimeout(
      () => onDeadline(new TransportError('timeout', `No complete answer within ${formatSeconds(deadlineMs)}.`)),
      deadlineMs,
    );
    try {
      let send: (onResponse: (res: IncomingMessage) => void) => ReturnType<typeof httpRequest>;
      if (url.protocol === 'https:') {
        const socket = await connectVerified(url, options.trustedFingerprint, timeoutMs, (cancel) => (onDeadline = cancel));
        send = (onResponse) => httpsRequest({ ...common, createConnection: () => socket }, onResponse);
      } else {
        // Not from the pool on a retry: the other idle connections there went stale just the same.
        send = (onResponse) => httpRequest({ ...common, agent: how.newConnection ? false : agent }, onResponse);
      }
      return await new Promise<HttpResponse>((resolve, reject) => {
        let answered = false;
        const clientRequest = send((res) => {
          answered = true;
          const tooLarge = () =>
            new TransportError('too-large', `The server sent a response larger than ${formatBytes(maxBodyBytes)}, far more than expected.`);
          const declared = Number(res.headers['content-length']);
          if (Number.isFinite(declared) && declared > maxBodyBytes) {
            res.destroy(tooLarge());
            return;
          }
          const gzipped = /^\s*gzip\s*$/i.test(res.headers['content-encoding'] ?? '');
          // The cap counts the bytes we would hold, i.e. after inflating: see [Note: Compressed answers].
          const body: Readable = gzipped ? res.pipe(createGunzip()) : res;
          const fail = (error: Error) => {
            res.destroy();
            body.destroy();
            reject(asTransportError(error));
          };
          const status = res.statusCode ?? 0;
          if (req.sink && status >= 200 && status < 300) {
            const headers = flatHeaders(res);
            streamInto(body, req.sink({ status, headers }), maxBodyBytes, tooLarge).then(
              () => resolve({ status, headers, body: Buffer.alloc(0) }),
              (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
            );
            return;
          }
          const chunks: Buffer[] = [];
          // See [Note: JSON answers are decoded as they arrive].
          const decoder = req.asText ? new StringDecoder('utf8') : undefined;
          let text = '';
          let size = 0;
          body.on('data', (chunk: Buffer) => {
            size += chunk.length;
            // An error answer to a streamed download is held like any JSON answer.
            if (size > (req.sink ? RESPONSE_LIMITS.jsonBytes : maxBodyBytes)) {
              chunks.length = 0;
              text = '';
              fail(tooLarge());
              return;
            }
            if (decoder) text += decoder.write(chunk);
            else chunks.push(chunk);
          });
          body.on('end', () =>
            resolve(
              decoder
                ? { status, headers: flatHeaders(res), body: Buffer.alloc(0), text: text + decoder.end() }
                : { status, headers: flatHeaders(res), body: Buffer.concat(chunks) },
            ),
          );
          res.on('error', (error) => reject(asTransportError(error)));
          if (gzipped) {
            body.on('error', (error) => {
              fail(new TransportError('network', `The server sent a damaged compressed answer (${error.message}).`, { cause: error }));
            });
          }
        });
        onDeadline = (error) => clientRequest.destroy(error);
        const onAbort = () => clientRequest.destroy(new TransportError('cancelled', 'Cancelled.'));
        if (req.signal?.aborted) onAbort();
        req.signal?.addEventListener('abort', onAbort, { once: true });
        clientRequest.on('close', () => req.signal?.removeEventListener('abort', onAbort));
        clientRequest.setTimeout(timeoutMs, () => {
          clientRequest.destroy(new TransportError('timeout', `No answer within ${formatSeconds(timeoutMs)}.`));
        });
        clientRequest.on('error', (error) => {
          const failure = asTransportError(error);
          if (!answered && clientRequest.reusedSocket && req.method === 'GET' && STALE_CONNECTION_CODES.has(errorCode(error))) {
            staleConnectionFailures.add(failure);
          }
          reject(failure);
        });
        if (req.streamBody) sendStream(clientRequest, req.streamBody);
        else clientRequest.end(req.body);
      });
    } finally {
      clearTimeout(deadline);
    }
  }
}

/**
 * [Note: Idle keep-alive connections]
 * Plain HTTP reuses idle connections, and a server closes them on its own schedule (Go's
 * net/http after `IdleTimeout`, Node's after `keepAliveTimeout`, a reverse proxy after its own).
 * A request written to a connection the server is closing at that moment ends in ECONNRESET (or
 * EPIPE) with no answer at all: nothing is wrong with the server, yet under load this happened
 * every few seconds, switched the app to offline and left grid tiles blank. So a GET that failed
 * that way, on a REUSED connection and before any answer, is sent once more (the pattern Node's
 * documentation gives under `request.reusedSocket`), on a connection of its own: the pool's other
 * idle connections are usually just as stale. Only GET: a POST or PUT may have reached the server
 * before the reset, and its caller decides what repeating it means.
 */
const STALE_CONNECTION_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
/** Failures that were such a stale connection (marked where the request knew, read by the retry). */
const staleConnectionFailures = new WeakSet<object>();

function errorCode(error: unknown): string {
  return typeof error === 'object' && error && 'code' in error ? String(error.code) : '';
}

/** Pipe a streamed body into the request; a read error destroys the request. See [Note: Streamed request bodies]. */
function sendStream(clientRequest: ClientRequest, body: StreamBody): void {
  // Aborts are the request's (its `signal`); a request destroyed for any reason closes the file.
  if (clientRequest.destroyed) return;
  const source = body.open();
  clientRequest.once('close', () => source.destroy());
  source.once('error', (error) =>
    clientRequest.destroy(new TransportError('network', `Could not read the file to send (${error.message}).`)),
  );
  source.pipe(clientRequest);
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(res.headers)) {
    if (value !== undefined) flat[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * [Note: Streamed response bodies]
 * An original can be gigabytes (a video), so an export never holds one in memory: the body is
 * piped into the caller's sink (a `.part` file) with backpressure, and the size cap still counts
 * every byte, so a server cannot fill the disk beyond what the caller expects. The deadline and
 * idle timeout apply as to any request; the caller passes a deadline fitting the size.
 */
async function streamInto(body: Readable, sink: Writable, maxBodyBytes: number, tooLarge: () => TransportError): Promise<void> {
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > maxBodyBytes ? tooLarge() : null, chunk);
    },
  });
  await pipeline(body, counter, sink);
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${bytes} bytes`;
}

/** Handshake first, decide trust, and only then hand the socket to HTTP. */
async function connectVerified(
  url: URL,
  pinned: string | null,
  timeoutMs: number,
  onCancel: (cancel: (error: TransportError) => void) => void,
): Promise<TLSSocket> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const socket = tlsConnect({
    host,
    port: Number(url.port || 443),
    // SNI must not be an IP address (RFC 6066).
    ...(isIP(host) ? {} : { servername: host }),
    // Recorded in socket.authorized instead of enforced: decideTrust() enforces it below.
    rejectUnauthorized: false,
    ALPNProtocols: ['http/1.1'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TransportError('timeout', `No answer within ${formatSeconds(timeoutMs)}.`));
    }, timeoutMs);
    onCancel((error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(asTransportError(error));
    });
  });
  const cert = socket.getPeerCertificate();
  const fingerprintSha256 = normaliseFingerprint(cert.fingerprint256 ?? '');
  const decision = decideTrust({ authorized: socket.authorized, fingerprintSha256, pinnedFingerprint: pinned });
  if (decision === 'untrusted') {
    socket.destroy();
    const reason = socket.authorizationError ? String(socket.authorizationError) : 'not trusted';
    throw new TransportError('tls-untrusted', `The server's certificate is not trusted (${reason}).`, {
      certificate: {
        fingerprintSha256,
        subject: formatDistinguishedName(cert.subject),
        issuer: formatDistinguishedName(cert.issuer),
        validTo: cert.valid_to ?? '',
      },
    });
  }
  return socket;
}

const TLS_CODES = /^(ERR_SSL|ERR_TLS|EPROTO|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/;

function asTransportError(error: unknown): TransportError {
  if (error instanceof TransportError) return error;
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (TLS_CODES.test(code)) return new TransportError('tls', `A secure connection could not be set up (${code}).`, { cause: error });
  return new TransportError('network', code ? `${code}: ${message}` : message, { cause: error });
}
