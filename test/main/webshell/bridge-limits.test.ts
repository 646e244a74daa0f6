import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { CHANNELS } from '../../../shared/ipc/contract';
import { MAX_REQUEST_FRAME_BYTES, maxRequestFrameBytesOf } from '../../../shared/ipc/frame-limit';
import { SMALL_REQUEST_FRAME_BYTES } from '../../../shared/ipc/wire';
import { ok, type IpcResult } from '../../../shared/ipc/result';
import type { Dispatch } from '../../../main/ipc/handle';
import { createMemoryLogger } from '../../../main/log/logger';
import type { Clock } from '../../../main/platform/clock';
import { frameText, serveBridgeSocket, type BridgeLimits } from '../../../main/webshell/bridge-connection';
import { startWebShell, type WebShell } from '../../../main/webshell/server';
import { makeTestCore } from '../../helpers/core';
import { call, makeStaticDir, openSocket, signInCookie } from './raw-client';

/** The parts of a ws socket the bridge uses, driven by hand: buffered bytes, pause, sends. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  paused = false;
  readonly sent: string[] = [];
  readonly flushes: (() => void)[] = [];
  closedWith: { code: number; reason: string } | undefined;
  send(text: string, flushed: () => void): void {
    this.sent.push(text);
    this.flushes.push(flushed);
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
  }
  /** A request frame from the page. */
  request(id: number): void {
    this.emit('message', Buffer.from(JSON.stringify({ type: 'request', id, channel: 'app.info', request: {} })), false);
  }
  replies(): number[] {
    return this.sent.map((text) => (JSON.parse(text) as { id: number }).id);
  }
}

class FakeClock implements Clock {
  nowMs = 0;
  timers: { at: number; run: () => void }[] = [];
  now(): number {
    return this.nowMs;
  }
  setTimeout(callback: () => void, delayMs: number): () => void {
    const timer = { at: this.nowMs + delayMs, run: callback };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((t) => t !== timer));
  }
  advance(ms: number): void {
    this.nowMs += ms;
    const due = this.timers.filter((t) => t.at <= this.nowMs);
    this.timers = this.timers.filter((t) => t.at > this.nowMs);
    for (const timer of due) timer.run();
  }
}

const LIMITS: BridgeLimits = {
  maxInFlight: 1000,
  ratePerSecond: 1000,
  burst: 1000,
  highWaterBytes: 1000,
  maxBufferedBytes: 10_000,
  maxQueued: 50,
};

/** Dispatches that wait for the test to release them. */
function heldDispatch() {
  const held: (() => void)[] = [];
  const dispatch: Dispatch = () => new Promise<IpcResult<unknown>>((resolve) => held.push(() => resolve(ok({}))));
  return { dispatch, held };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function serve(ws: FakeSocket, dispatch: Dispatch, limits: Partial<BridgeLimits>, clock = new FakeClock()) {
  serveBridgeSocket({
    ws: ws as unknown as WebSocket,
    dispatch,
    attachEvents: () => () => undefined,
    description: 'fake',
    log: createMemoryLogger(),
    limits: { ...LIMITS, ...limits },
    clock,
  });
  return clock;
}

describe('bridge limits per socket', () => {
  it('runs at most maxInFlight requests at once and stops reading until one finishes; none is dropped', async () => {
    const ws = new FakeSocket();
    const { dispatch, held } = heldDispatch();
    serve(ws, dispatch, { maxInFlight: 2 });
    for (let id = 1; id <= 5; id++) ws.request(id);
    await settle();
    expect(held).toHaveLength(2);
    expect(ws.paused).toBe(true);
    held[0]?.();
    await settle();
    expect(held).toHaveLength(3);
    for (const release of held.slice(1)) release();
    await settle();
    for (const release of held.slice(3)) release();
    await settle();
    expect(ws.replies().sort()).toEqual([1, 2, 3, 4, 5]);
    expect(ws.paused).toBe(false);
  });

  it('starts requests no faster than the rate allows after a burst, on its clock', async () => {
    const ws = new FakeSocket();
    const clock = serve(ws, async () => ok({}), { ratePerSecond: 10, burst: 3 });
    for (let id = 1; id <= 6; id++) ws.request(id);
    await settle();
    expect(ws.replies()).toEqual([1, 2, 3]);
    expect(ws.paused).toBe(true);
    clock.advance(100);
    await settle();
    expect(ws.replies()).toEqual([1, 2, 3, 4]);
    clock.advance(200);
    await settle();
    expect(ws.replies()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ws.paused).toBe(false);
  });

  it('stops starting requests while replies pile up unread, and goes on once they drain', async () => {
    const ws = new FakeSocket();
    serve(ws, async () => ok({}), { highWaterBytes: 100 });
    ws.request(1);
    await settle();
    expect(ws.replies()).toEqual([1]);
    // The page has not read reply 1 yet.
    ws.bufferedAmount = 500;
    ws.request(2);
    await settle();
    expect(ws.replies()).toEqual([1]);
    expect(ws.paused).toBe(true);
    // Reply 1 reaches the page: the socket says so through the send callback.
    ws.bufferedAmount = 0;
    for (const flushed of ws.flushes.splice(0)) flushed();
    await settle();
    expect(ws.replies()).toEqual([1, 2]);
    expect(ws.paused).toBe(false);
  });

  it('disconnects a page that stopped reading altogether, rather than holding its replies in memory', async () => {
    const ws = new FakeSocket();
    serve(ws, async () => ok({}), { highWaterBytes: 100, maxBufferedBytes: 10_000 });
    ws.bufferedAmount = 20_000;
    ws.request(1);
    await settle();
    expect(ws.closedWith).toEqual({ code: 1008, reason: 'Replies are not being read' });
  });

  it('disconnects a page that keeps sending while paused (1008 with a reason), instead of queueing without end', async () => {
    const ws = new FakeSocket();
    const { dispatch } = heldDispatch();
    serve(ws, dispatch, { maxInFlight: 1, maxQueued: 3 });
    for (let id = 1; id <= 5; id++) ws.request(id);
    await settle();
    expect(ws.closedWith).toEqual({ code: 1008, reason: 'Too many requests' });
  });
});

describe('bridge frame limit', () => {
  let shell: WebShell;
  let env: ReturnType<typeof makeTestCore>;

  beforeEach(async () => {
    env = makeTestCore();
    shell = await startWebShell({ core: env.core, staticDir: makeStaticDir(), log: env.core.log });
  });

  afterEach(async () => {
    await shell.close();
    await env.cleanup();
  });

  /** The largest legal frame: 100,000 photo UIDs and a 255-character title that JSON escapes 6 bytes a character. */
  function maximalCreateAlbum(): string {
    const uids = Array.from({ length: 100_000 }, (_, i) => `p${i.toString(36).padStart(15, '0')}`);
    return JSON.stringify({
      type: 'request',
      id: Number.MAX_SAFE_INTEGER,
      channel: 'actions.createAlbum',
      request: { title: '\u0001'.repeat(255), uids },
    });
  }

  it('is the largest legal request of any channel, computed from the contract', () => {
    expect(Buffer.byteLength(maximalCreateAlbum())).toBe(MAX_REQUEST_FRAME_BYTES);
    for (const channel of CHANNELS) expect(maxRequestFrameBytesOf(channel)).toBeLessThanOrEqual(MAX_REQUEST_FRAME_BYTES);
    // The page sends frames up to this size without loading the limit (renderer/lib/web-bridge.ts).
    expect(SMALL_REQUEST_FRAME_BYTES).toBeLessThan(MAX_REQUEST_FRAME_BYTES);
  });

  it('lets a legal maximal request through and refuses one byte more with close code 1009, not a crash', async () => {
    const cookie = await signInCookie(shell);
    const ws = await openSocket(shell, { origin: shell.origin, cookie });
    if (typeof ws === 'number') throw new Error(`socket refused: ${ws}`);
    const reply = new Promise<unknown>((resolve) => ws.once('message', (data: WebSocket.RawData) => resolve(JSON.parse(frameText(data)))));
    ws.send(maximalCreateAlbum());
    // The request reached the dispatcher and was answered.
    expect(await reply).toMatchObject({ type: 'reply', id: Number.MAX_SAFE_INTEGER });
    expect(await reply).not.toMatchObject({ result: { error: { kind: 'bad-request' } } });

    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(maximalCreateAlbum().replace('{"type"', '{ "type"'));
    expect(await closed).toBe(1009);

    const again = await openSocket(shell, { origin: shell.origin, cookie });
    if (typeof again === 'number') throw new Error(`socket refused: ${again}`);
    expect(await call(again, 1, 'app.info', {})).toMatchObject({ ok: true });
    again.close();
  });
});
