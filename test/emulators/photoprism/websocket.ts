import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import type { Auth, UserRec } from './auth';
import type { ConfigBuilder } from './config';

/**
 * `/api/v1/ws` (docs/photoprism-api.md §8): any upgrade is accepted; a connection is bound to a user only by a
 * `{"session": token}` text message, answered with `config.updated`. Two-part topics go only to
 * admin-bound connections; `user.<uid>.<res>.<ev>` topics go to that user (and admins) with the
 * name shortened to `<res>.<ev>`. The server pings every 15 s and drops a connection that sends
 * no pong for 90 s. Events are best-effort: the harness can drop them to test client refresh.
 */

const SessionMessage = z.object({ session: z.string() }).loose();

interface Connection {
  socket: WebSocket;
  user: UserRec | null;
  lastPongMs: number;
}

/** Timing of the keep-alive; tests shorten it. */
export interface WebSocketTiming {
  pingIntervalMs: number;
  pongTimeoutMs: number;
}

/** Publishes server events to connected WebSocket clients. */
export class EventHub {
  readonly #connections = new Set<Connection>();
  readonly #wss: WebSocketServer;
  readonly #auth: Auth;
  readonly #config: ConfigBuilder;
  readonly #timing: WebSocketTiming;
  #pingTimer: NodeJS.Timeout | null = null;
  #dropEvents = false;
  /** Every event published (whether delivered or dropped), for tests and the admin API. */
  readonly published: Array<{ event: string; data: unknown }> = [];

  constructor(auth: Auth, config: ConfigBuilder, timing: WebSocketTiming) {
    this.#auth = auth;
    this.#config = config;
    this.#timing = timing;
    // 4096 bytes per incoming message, as the real server's read limit (docs/photoprism-api.md §8.1).
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  }

  /** When on, published events are not delivered (the `session` reply still is). */
  setDropEvents(on: boolean): void {
    this.#dropEvents = on;
  }

  /** Number of open connections (for tests). */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Takes over an HTTP upgrade for `/api/v1/ws`; origin and headers are not checked. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ip: string): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#attach(ws, ip));
    this.#ensurePing();
  }

  #attach(socket: WebSocket, ip: string): void {
    const conn: Connection = { socket, user: null, lastPongMs: Date.now() };
    this.#connections.add(conn);
    socket.on('pong', () => {
      // Only pongs extend the read deadline, not client messages (docs/photoprism-api.md §8.1).
      conn.lastPongMs = Date.now();
    });
    socket.on('message', (raw, isBinary) => {
      if (isBinary) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse((raw as Buffer).toString());
      } catch {
        return; // Non-JSON messages are ignored.
      }
      const msg = SessionMessage.safeParse(parsed);
      if (!msg.success) return;
      const resolved = this.#auth.resolve(msg.data.session, ip);
      // An invalid token is silently ignored: no error, no close.
      if (resolved.kind !== 'ok') return;
      conn.user = resolved.session.user;
      this.#send(conn, 'config.updated', { config: this.#config.build('session', resolved.session) });
    });
    socket.on('close', () => this.#connections.delete(conn));
    socket.on('error', () => this.#connections.delete(conn));
  }

  #ensurePing(): void {
    if (this.#pingTimer) return;
    this.#pingTimer = setInterval(() => {
      const nowMs = Date.now();
      for (const conn of this.#connections) {
        if (nowMs - conn.lastPongMs > this.#timing.pongTimeoutMs) {
          conn.socket.terminate();
          this.#connections.delete(conn);
          continue;
        }
        if (conn.socket.readyState === WebSocket.OPEN) conn.socket.ping();
      }
    }, this.#timing.pingIntervalMs);
    this.#pingTimer.unref();
  }

  #send(conn: Connection, event: string, data: unknown): void {
    if (conn.socket.readyState !== WebSocket.OPEN) return;
    conn.socket.send(JSON.stringify({ event, data }));
  }

  /**
   * Publishes one event. `topic` is either `<resource>.<event>` (admins only) or
   * `user.<uid>.<resource>.<event>` (that user and admins, delivered as `<resource>.<event>`).
   */
  publish(topic: string, data: unknown): void {
    const parts = topic.split('.');
    const userUid = parts.length === 4 && parts[0] === 'user' ? parts[1] : null;
    const event = userUid !== null ? parts.slice(2).join('.') : topic;
    this.published.push({ event, data });
    if (this.published.length > 10_000) this.published.splice(0, 5_000);
    if (this.#dropEvents) return;
    for (const conn of this.#connections) {
      const user = conn.user;
      if (!user) continue;
      if (user.role === 'admin' || (userUid !== null && user.uid === userUid)) this.#send(conn, event, data);
    }
  }

  /** Drops every connection (used when the server "goes down"). */
  terminateAll(): void {
    for (const conn of this.#connections) conn.socket.terminate();
    this.#connections.clear();
  }

  /** Stops timers and closes connections. */
  close(): void {
    if (this.#pingTimer) clearInterval(this.#pingTimer);
    this.#pingTimer = null;
    this.terminateAll();
    this.#wss.close();
  }
}
