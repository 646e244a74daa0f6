/**
 * Push delivery: tokens/create and tokens/register on the /device/ path, and the webcourier
 * long-poll (docs/cloudkit.md §7.1, docs/cloudkit.md §7.2).
 *
 * Live semantics reproduced: each GET returns one notification, or an empty 200 body as keep-alive
 * when nothing arrives in time; the queue is consume-on-delivery FIFO (no cursor, no ack); a token
 * past its `ttl`, or unknown, gets a non-2xx so the client mints a new one.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { HandlerResult, OpContext, Settings } from './context';
import { CreateTokenSchema, parseBody, RegisterTokenSchema } from './schemas';
import type { CourierToken, Store } from './store';

/** Frames queued per token are capped so a never-polled token cannot grow without bound. */
const MAX_QUEUED_FRAMES = 1000;

type Waiter = (frame: unknown) => void;

/** Courier queues (in memory: like APNs, undelivered pushes do not survive a restart). */
export class Courier {
  readonly #store: Store;
  readonly #settings: Settings;
  readonly #now: () => number;
  readonly #queues = new Map<string, unknown[]>();
  readonly #waiters = new Map<string, Waiter[]>();
  readonly #pendingPolls = new Set<() => void>();

  constructor(store: Store, settings: Settings, now: () => number) {
    this.#store = store;
    this.#settings = settings;
    this.#now = now;
  }

  #webcourierUrl(baseUrl: string, apnsToken: string): string {
    return `${baseUrl}/_courier/aps?tok=${apnsToken}&ttl=${this.#settings.courierTokenTtlSecs}`;
  }

  #bind(ctx: OpContext, apnsToken: string, apnsEnvironment: string): HandlerResult {
    const token: CourierToken = {
      apnsToken,
      container: ctx.container,
      environment: ctx.environment,
      userRecordName: ctx.userRecordName,
      expiresAtMs: this.#now() + this.#settings.courierTokenTtlSecs * 1000,
    };
    this.#store.state.courierTokens.set(apnsToken, token);
    return { status: 200, body: { apnsEnvironment, apnsToken, webcourierURL: this.#webcourierUrl(ctx.baseUrl, apnsToken) } };
  }

  /** tokens/create: mints an APNs token and its webcourier URL for the signed-in user. */
  createToken(ctx: OpContext): HandlerResult {
    const { apnsEnvironment } = parseBody(CreateTokenSchema, ctx.body);
    return this.#bind(ctx, randomBytes(32).toString('hex'), apnsEnvironment);
  }

  /** tokens/register: (re)binds an existing APNs token to the signed-in user; both keys required. */
  registerToken(ctx: OpContext): HandlerResult {
    const { apnsEnvironment, apnsToken } = parseBody(RegisterTokenSchema, ctx.body);
    return this.#bind(ctx, apnsToken, apnsEnvironment);
  }

  #liveTokens(container: string, environment: string, userRecordName: string): CourierToken[] {
    const nowMs = this.#now();
    return [...this.#store.state.courierTokens.values()].filter(
      (token) =>
        token.container === container &&
        token.environment === environment &&
        token.userRecordName === userRecordName &&
        token.expiresAtMs > nowMs,
    );
  }

  /** Queues frames for every live courier token of the user (a parked GET gets the first at once). */
  deliver(container: string, environment: string, userRecordName: string, frames: ReadonlyArray<unknown>): void {
    for (const { apnsToken } of this.#liveTokens(container, environment, userRecordName)) {
      const queue = this.#queues.get(apnsToken) ?? [];
      this.#queues.set(apnsToken, queue);
      for (const frame of frames) {
        const waiter = this.#waiters.get(apnsToken)?.shift();
        if (waiter !== undefined) waiter(frame);
        else if (queue.length < MAX_QUEUED_FRAMES) queue.push(frame);
      }
    }
  }

  /** Undelivered frames of a user (for admin inspection). */
  pending(container: string, environment: string, userRecordName: string): unknown[] {
    return this.#liveTokens(container, environment, userRecordName).flatMap(({ apnsToken }) => this.#queues.get(apnsToken) ?? []);
  }

  /**
   * Serves one long-poll GET; resolves with the status it sent. With `dropAnswer` (the
   * drop-after-commit fault) the frame leaves the queue but the connection is destroyed instead
   * of answered: the poller sees a dropped connection.
   */
  poll(res: ServerResponse, apnsToken: string | undefined, options: { dropAnswer?: boolean } = {}): Promise<number> {
    const answer = (frame: unknown): void => {
      if (options.dropAnswer) res.destroy();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(frame === undefined ? '' : JSON.stringify(frame));
    };
    const token = apnsToken === undefined ? undefined : this.#store.state.courierTokens.get(apnsToken);
    if (apnsToken === undefined || token === undefined || token.expiresAtMs <= this.#now()) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ reason: 'unknown or expired courier token' }));
      return Promise.resolve(404);
    }
    const queued = this.#queues.get(apnsToken)?.shift();
    if (queued !== undefined) {
      answer(queued);
      return Promise.resolve(options.dropAnswer ? 0 : 200);
    }
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(apnsToken) ?? [];
      this.#waiters.set(apnsToken, waiters);
      const finish = (frame: unknown): void => {
        clearTimeout(timer);
        this.#pendingPolls.delete(keepAlive);
        const index = waiters.indexOf(finish);
        if (index >= 0) waiters.splice(index, 1);
        if (res.destroyed) {
          // The poller went away: the frame was not delivered, so it goes back to the front.
          if (frame !== undefined) this.#queues.get(apnsToken)?.unshift(frame);
          resolve(0);
          return;
        }
        answer(frame);
        resolve(options.dropAnswer ? 0 : 200);
      };
      const keepAlive = (): void => finish(undefined);
      const timer = setTimeout(keepAlive, this.#settings.courierPollTimeoutMs);
      this.#pendingPolls.add(keepAlive);
      waiters.push(finish);
      // Not req 'close': since Node 16 it fires once the (empty) request body is read.
      res.on('close', () => {
        if (!res.writableEnded) keepAlive();
      });
    });
  }

  /** Answers every parked poll with a keep-alive (used on shutdown and reset). */
  releaseAll(): void {
    for (const release of [...this.#pendingPolls]) release();
  }

  /** Drops every queue (reset). */
  clear(): void {
    this.releaseAll();
    this.#queues.clear();
  }
}
