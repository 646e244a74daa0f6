/**
 * Frames of the web shell's WebSocket bridge (main/webshell/ ↔ renderer/lib/web-bridge.ts).
 *
 * The socket carries exactly what Electron IPC carries: requests with an id, replies with the
 * same id and a Result, and pushed events. Frames are parsed on both sides: requests by main with
 * zod (shared/ipc/request-frame.ts), main's frames by the page with `parseServerFrame`, by hand:
 * this module is part of the page's first script, which must not load zod ([Note: Names without
 * schemas]; building zod's classes alone took ~50 ms of its CPU in front of the boot call).
 */

export interface ReplyFrame {
  readonly type: 'reply';
  readonly id: number;
  readonly result: unknown;
}

export interface EventFrame {
  readonly type: 'event';
  readonly event: string;
  readonly payload: unknown;
}

export type ServerFrame = ReplyFrame | EventFrame;

const REPLY_KEYS = new Set(['type', 'id', 'result']);
const EVENT_KEYS = new Set(['type', 'event', 'payload']);

/**
 * A frame from main, or undefined for anything else: a reply has a non-negative integer `id`
 * and a `result`, an event a string `event` and a `payload`, and neither has other keys.
 */
export function parseServerFrame(value: unknown): ServerFrame | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const frame = value as Record<string, unknown>;
  if (frame['type'] === 'reply') {
    const id = frame['id'];
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0 || !('result' in frame) || !onlyKeys(frame, REPLY_KEYS))
      return undefined;
    return { type: 'reply', id, result: frame['result'] };
  }
  if (frame['type'] === 'event') {
    const event = frame['event'];
    if (typeof event !== 'string' || !('payload' in frame) || !onlyKeys(frame, EVENT_KEYS)) return undefined;
    return { type: 'event', event, payload: frame['payload'] };
  }
  return undefined;
}

function onlyKeys(frame: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  return Object.keys(frame).every((key) => allowed.has(key));
}

/**
 * Request frames up to this size are under the bridge's limit whatever the contract holds
 * (test/main/webshell/bridge-limits.test.ts checks it against MAX_REQUEST_FRAME_BYTES): the page
 * sends them without deriving the limit from the contract's schemas (see [Note: Names without
 * schemas]), and loads that only for a larger frame.
 */
export const SMALL_REQUEST_FRAME_BYTES = 64 * 1024;

/** Path of the bridge socket on the web shell's origin. */
export const WEB_BRIDGE_PATH = '/bridge';
