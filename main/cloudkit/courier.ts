import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Logger } from '../log/logger';
import { backoffDelayMs, type BackoffPolicy } from '../platform/backoff';
import { CloudKitError } from './errors';
import { CourierFrame } from './schemas';

/** A push that says "something changed": the engine answers it by running changes/* (docs/cloudkit.md §7.4). */
export interface CourierNotification {
  /** The notification ID. Not unique per frame: N subscriptions give N frames with one `nid` (docs/cloudkit.md §7.2). */
  readonly notificationId: string;
  /** `zone` for a record-zone notification (`ck.fet`), `query` for a query notification (`ck.qry`). */
  readonly kind: 'zone' | 'query';
  readonly subscriptionId: string;
  readonly zoneName: string | undefined;
  readonly recordName: string | undefined;
  /** For query notifications: what happened to the record (`fo`: 1, 2, 3). */
  readonly firesOn: 'create' | 'update' | 'delete' | undefined;
}

/** A courier URL and when it stops working (from `CloudKitClient.createApnsToken`). */
export interface CourierEndpoint {
  readonly webcourierUrl: string;
  readonly expiresAtMs: number | undefined;
}

/** Cap on one frame: notifications are tiny; anything larger is not a courier answer. */
const MAX_FRAME_BYTES = 256 * 1024;
/** CloudKit JS re-parks the long-poll about 10 ms after each answer (docs/cloudkit.md §7.2). */
const REPARK_DELAY_MS = 10;
/** After a failed poll: 1 s, 2 s, … 1 min, without jitter (the app's one backoff, main/platform/backoff.ts). */
const COURIER_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000, jitter: 'none' };
/**
 * [Note: Courier deadline]
 * A parked GET is given up after this long, whatever the socket does, and parked again. A
 * connection can go silent without closing (a NAT or proxy forgot it, a half-open TCP, a front
 * end that accepted and never answers) or stay "alive" with stray bytes; an idle timer alone
 * then leaves the device deaf. Apple documents no keepalive interval for the web courier
 * (docs/cloudkit.md §7.2); re-parking is cheap and loses nothing, because the courier is a
 * consume-on-delivery queue (same section).
 */
const DEFAULT_POLL_DEADLINE_MS = 60_000;
/** Re-mint the courier token this long before its `ttl` runs out. */
const RENEW_MARGIN_MS = 5 * 60_000;

const FIRES_ON = { 1: 'create', 2: 'update', 3: 'delete' } as const;

/**
 * Long-polls the CloudKit web courier for push notifications (docs/cloudkit.md §7.2).
 *
 * [Note: Courier connection pool]
 * The poller has its own keep-alive agents, separate from the pool `fetch` uses for the API:
 * Apple's front end answers 421 Misdirected Request when one HTTP/2 connection is reused across
 * the API and courier hosts (docs/cloudkit.md §5), and a parked long-poll must never hold a socket the API needs.
 * The courier URL carries the APNs token in its query string, so it is never logged.
 */
export class CourierPoller {
  readonly #log: Logger;
  readonly #httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 2 });
  readonly #httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 2 });
  readonly #pollTimeoutMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(options: {
    log: Logger;
    /** How long one parked GET may stay open before we give it up and re-park ([Note: Courier deadline]). */
    pollTimeoutMs?: number;
    now?: () => number;
    sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  }) {
    this.#log = options.log.child('courier');
    this.#pollTimeoutMs = options.pollTimeoutMs ?? DEFAULT_POLL_DEADLINE_MS;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? abortableSleep;
  }

  /**
   * Park one GET on the courier and return what it delivered: usually one notification, none for
   * a keepalive or empty body. A GET past its deadline throws `network` (reason `deadline`).
   *
   * Throws `courier-expired` on a non-2xx (mint a new token), `network` when the connection
   * fails, `aborted` when the signal fires.
   */
  async poll(webcourierUrl: string, options: { signal?: AbortSignal } = {}): Promise<CourierNotification[]> {
    const { status, body } = await this.#get(webcourierUrl, options.signal);
    if (status < 200 || status > 299) throw new CloudKitError('courier-expired', { operation: 'courier', status });
    return this.#parse(body);
  }

  /**
   * Keep a long-poll parked until the signal aborts, calling `onNotification` for every frame.
   *
   * `mint` obtains a courier URL (`client.createApnsToken()`); it is called at start, before the
   * URL's ttl runs out, and whenever the courier rejects the token. Network failures back off
   * (1 s doubling to 60 s) and never end the loop; only the signal does. A GET that failed or went
   * past its deadline may have swallowed a frame (delivered to a dead connection), so `onGap` is
   * called when the poll is parked again: the caller pulls to catch up.
   */
  async run(options: {
    mint: () => Promise<CourierEndpoint>;
    onNotification: (notification: CourierNotification) => void;
    onGap?: () => void;
    signal: AbortSignal;
  }): Promise<void> {
    const { signal } = options;
    let endpoint: CourierEndpoint | undefined;
    // Failed polls in a row.
    let failures = 0;
    let gap = false;
    while (!signal.aborted) {
      try {
        if (!endpoint || (endpoint.expiresAtMs !== undefined && this.#now() >= endpoint.expiresAtMs - RENEW_MARGIN_MS)) {
          endpoint = await options.mint();
        }
        if (gap) {
          // Parking again after a failure: what the lost connection may have swallowed is fetched now.
          gap = false;
          this.#notify(() => options.onGap?.());
        }
        let notifications: CourierNotification[];
        try {
          notifications = await this.poll(endpoint.webcourierUrl, { signal });
        } catch (error) {
          if (error instanceof CloudKitError && error.kind === 'network' && error.reason === 'deadline') {
            // Silent past the deadline: re-park at once ([Note: Courier deadline]).
            gap = true;
            continue;
          }
          throw error;
        }
        failures = 0;
        for (const notification of notifications) this.#notify(() => options.onNotification(notification));
        await this.#sleep(REPARK_DELAY_MS, signal);
      } catch (error) {
        if (signal.aborted) return;
        gap = true;
        const errorDelayMs = backoffDelayMs(++failures, COURIER_BACKOFF, Math.random);
        if (error instanceof CloudKitError && error.kind === 'courier-expired') {
          this.#log.info('courier token rejected; minting a new one', { status: error.status });
          endpoint = undefined;
        } else {
          this.#log.warn('courier poll failed; backing off', {
            kind: error instanceof CloudKitError ? error.kind : 'internal',
            delayMs: errorDelayMs,
          });
        }
        await this.#sleep(errorDelayMs, signal).catch(() => undefined);
      }
    }
  }

  /** A listener's failure never ends the loop. */
  #notify(listener: () => void): void {
    try {
      listener();
    } catch (error) {
      this.#log.error('courier listener failed', { error });
    }
  }

  /** Close idle keep-alive sockets (call on shutdown). */
  close(): void {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }

  #parse(body: string): CourierNotification[] {
    const text = body.trim();
    if (!text) return [];
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // CloudKit JS ignores an unparseable body and re-parks (docs/cloudkit.md §7.2).
      this.#log.warn('courier sent a frame that is not JSON; ignored');
      return [];
    }
    const frames = Array.isArray(json) ? json : [json];
    const out: CourierNotification[] = [];
    for (const raw of frames) {
      const parsed = CourierFrame.safeParse(raw);
      if (!parsed.success) {
        this.#log.warn('courier frame has an unknown shape; ignored');
        continue;
      }
      const { ck } = parsed.data;
      if (ck.fet) {
        out.push({
          notificationId: ck.nid,
          kind: 'zone',
          subscriptionId: ck.fet.sid,
          zoneName: ck.fet.zid,
          recordName: undefined,
          firesOn: undefined,
        });
      } else if (ck.qry) {
        const fo = ck.qry.fo;
        out.push({
          notificationId: ck.nid,
          kind: 'query',
          subscriptionId: ck.qry.sid,
          zoneName: ck.qry.zid,
          recordName: ck.qry.rid,
          firesOn: fo === 1 || fo === 2 || fo === 3 ? FIRES_ON[fo] : undefined,
        });
      } else {
        this.#log.debug('courier frame without fet/qry; ignored');
      }
    }
    return out;
  }

  #get(webcourierUrl: string, signal: AbortSignal | undefined): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(webcourierUrl);
      } catch {
        reject(new CloudKitError('courier-expired', { operation: 'courier', reason: 'invalid courier URL' }));
        return;
      }
      const isHttps = url.protocol === 'https:';
      const send = isHttps ? httpsRequest : httpRequest;
      const request = send(url, {
        method: 'GET',
        agent: isHttps ? this.#httpsAgent : this.#httpAgent,
        headers: { accept: 'application/json' },
        ...(signal ? { signal } : {}),
      });
      let settled = false;
      // A hard deadline, not an idle timer: stray bytes must not keep a dead poll parked.
      const deadline = setTimeout(() => {
        fail(new CloudKitError('network', { operation: 'courier', reason: 'deadline' }));
        request.destroy();
      }, this.#pollTimeoutMs);
      const fail = (error: CloudKitError) => {
        clearTimeout(deadline);
        if (settled) return;
        settled = true;
        reject(error);
      };
      request.on('error', (error) => {
        if (signal?.aborted) fail(new CloudKitError('aborted', { operation: 'courier' }));
        else fail(new CloudKitError('network', { operation: 'courier', reason: errorCode(error) }));
      });
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_FRAME_BYTES) {
            response.destroy();
            fail(new CloudKitError('unexpected-response', { operation: 'courier', reason: 'frame too large' }));
            return;
          }
          chunks.push(chunk);
        });
        response.on('error', () => fail(new CloudKitError('network', { operation: 'courier', reason: 'response aborted' })));
        response.on('end', () => {
          clearTimeout(deadline);
          if (settled) return;
          settled = true;
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      request.end();
    });
  }
}

function errorCode(error: unknown): string {
  const code: unknown = error && typeof error === 'object' ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' ? code : 'connection failed';
}

/** setTimeout that rejects early when the signal aborts. */
function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new CloudKitError('aborted', { operation: 'courier' }));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CloudKitError('aborted', { operation: 'courier' }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
