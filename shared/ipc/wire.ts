import { z } from 'zod';

/**
 * Frames of the web shell's WebSocket bridge (main/webshell/ ↔ renderer/lib/web-bridge.ts).
 *
 * The socket carries exactly what Electron IPC carries: requests with an id, replies with the
 * same id and a Result, and pushed events. Frames are parsed on both sides.
 */
export const RequestFrame = z
  .object({
    type: z.literal('request'),
    id: z.number().int().nonnegative(),
    channel: z.string(),
    request: z.unknown(),
  })
  .strict();
export type RequestFrame = z.infer<typeof RequestFrame>;

export const ReplyFrame = z
  .object({
    type: z.literal('reply'),
    id: z.number().int().nonnegative(),
    result: z.unknown(),
  })
  .strict();
export type ReplyFrame = z.infer<typeof ReplyFrame>;

export const EventFrame = z
  .object({
    type: z.literal('event'),
    event: z.string(),
    payload: z.unknown(),
  })
  .strict();
export type EventFrame = z.infer<typeof EventFrame>;

export const ServerFrame = z.discriminatedUnion('type', [ReplyFrame, EventFrame]);
export type ServerFrame = z.infer<typeof ServerFrame>;

/**
 * Request frames up to this size are under the bridge's limit whatever the contract holds
 * (test/main/webshell/bridge-limits.test.ts checks it against MAX_REQUEST_FRAME_BYTES): the page
 * sends them without deriving the limit from the contract's schemas (see [Note: Names without
 * schemas]), and loads that only for a larger frame.
 */
export const SMALL_REQUEST_FRAME_BYTES = 64 * 1024;

/** Path of the bridge socket on the web shell's origin. */
export const WEB_BRIDGE_PATH = '/bridge';
