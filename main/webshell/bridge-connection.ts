import type { RawData, WebSocket } from 'ws';
import { err, type IpcResult } from '../../shared/ipc/result';
import { RequestFrame } from '../../shared/ipc/request-frame';
import type { ServerFrame } from '../../shared/ipc/wire';
import type { Dispatch } from '../ipc/handle';
import type { Logger } from '../log/logger';
import { systemClock, type Clock } from '../platform/clock';

/**
 * [Note: Bridge limits]
 *
 * One bridge socket may not make the core do unbounded work, nor hold unbounded memory:
 * - at most `maxInFlight` requests run at once per socket;
 * - requests start at most `ratePerSecond` on average (a bucket of `burst` for page loads);
 * - a socket whose replies pile up unread (bufferedAmount above `highWaterBytes`) gets no more
 *   requests started until they drain, and one above `maxBufferedBytes` is closed;
 * - frames above the contract's largest legal request are refused by the socket itself
 *   (`maxPayload`, [Note: Bridge frame limit]).
 * Over a limit, reading pauses (`ws.pause()`: TCP pushes back on the page) and requests wait
 * their turn; none is dropped. A page that keeps sending while paused fills `maxQueued` and is
 * disconnected with 1008 and a reason: the renderer reconnects by itself.
 */
export interface BridgeLimits {
  readonly maxInFlight: number;
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly highWaterBytes: number;
  readonly maxBufferedBytes: number;
  readonly maxQueued: number;
}

/**
 * Generous for a person: the renderer keeps a handful of requests in flight, a page load sends a
 * few dozen at once and key repeat ~30 a second.
 */
export const DEFAULT_BRIDGE_LIMITS: BridgeLimits = {
  maxInFlight: 32,
  ratePerSecond: 200,
  burst: 400,
  highWaterBytes: 4 * 1024 * 1024,
  maxBufferedBytes: 64 * 1024 * 1024,
  maxQueued: 1024,
};

/** Serve one authenticated bridge socket: requests in, replies and events out, within limits. */
export function serveBridgeSocket(options: {
  readonly ws: WebSocket;
  readonly dispatch: Dispatch;
  readonly attachEvents: (sink: (event: string, payload: unknown) => void) => () => void;
  readonly description: string;
  readonly log: Logger;
  readonly limits?: BridgeLimits;
  readonly clock?: Clock;
}): void {
  const { ws, log, description } = options;
  const limits = options.limits ?? DEFAULT_BRIDGE_LIMITS;
  const clock = options.clock ?? systemClock;
  const queue: RequestFrame[] = [];
  let inFlight = 0;
  let tokens = limits.burst;
  let refilledAt = clock.now();
  let refillTimer: (() => void) | undefined;
  let paused = false;
  let closed = false;

  const close = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    log.warn('closed a bridge socket', { reason, sender: description });
    ws.close(code, reason);
  };

  const send = (frame: ServerFrame) => {
    if (closed || ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch (error) {
      log.error('could not encode a bridge frame', { error });
      return;
    }
    ws.send(text, () => pump());
    checkUnread();
  };

  /** A page that stopped reading altogether is let go: keeping its replies would only grow memory. */
  const checkUnread = () => {
    if (ws.bufferedAmount > limits.maxBufferedBytes) close(1008, 'Replies are not being read');
  };

  const refill = () => {
    const now = clock.now();
    tokens = Math.min(limits.burst, tokens + ((now - refilledAt) / 1000) * limits.ratePerSecond);
    refilledAt = now;
  };

  /** Start queued requests while every limit allows; pause reading while any does not. */
  const pump = () => {
    checkUnread();
    if (closed) return;
    refill();
    while (queue.length > 0 && inFlight < limits.maxInFlight && tokens >= 1 && ws.bufferedAmount <= limits.highWaterBytes) {
      const frame = queue.shift() as RequestFrame;
      tokens -= 1;
      inFlight += 1;
      void options
        .dispatch(frame.channel, frame.request, { trusted: true, description })
        .catch((error: unknown): IpcResult<unknown> => {
          // The dispatcher answers every failure as a Result; this is a last line of defence.
          log.error('bridge dispatch threw', { error });
          return err('internal', 'Photoflare could not answer this request. This is a bug; details are in the log.');
        })
        .then((result) => {
          inFlight -= 1;
          send({ type: 'reply', id: frame.id, result });
          pump();
        });
    }
    if (queue.length > 0 && tokens < 1 && refillTimer === undefined) {
      const waitMs = Math.ceil(((1 - tokens) / limits.ratePerSecond) * 1000);
      refillTimer = clock.setTimeout(() => {
        refillTimer = undefined;
        pump();
      }, waitMs);
    }
    const shouldPause = queue.length > 0 || inFlight >= limits.maxInFlight || ws.bufferedAmount > limits.highWaterBytes;
    if (shouldPause && !paused) {
      paused = true;
      ws.pause();
    } else if (!shouldPause && paused) {
      paused = false;
      ws.resume();
    }
  };

  const detach = options.attachEvents((event, payload) => send({ type: 'event', event, payload }));

  ws.on('message', (data, isBinary) => {
    if (closed) return;
    if (isBinary) {
      close(1003, 'Text frames only');
      return;
    }
    let frame: RequestFrame;
    try {
      frame = RequestFrame.parse(JSON.parse(frameText(data)));
    } catch {
      // Not our protocol at all: there is no id to answer, so close (policy violation).
      close(1008, 'Malformed frame');
      return;
    }
    if (queue.length >= limits.maxQueued) {
      close(1008, 'Too many requests');
      return;
    }
    queue.push(frame);
    pump();
  });
  ws.on('close', () => {
    closed = true;
    refillTimer?.();
    queue.length = 0;
    detach();
  });
  // A frame over maxPayload arrives here ("Max payload size exceeded"); ws then closes with 1009.
  ws.on('error', (error) => log.warn('bridge socket error', { error, sender: description }));
}

/** A text frame's characters, whichever of its buffer shapes `ws` handed over. */
export function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString('utf8');
}
