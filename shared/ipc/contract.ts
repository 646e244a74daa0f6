import { z } from 'zod';
import { Settings, SettingsPatch } from '../settings';

/**
 * [Note: The IPC contract]
 *
 * The one source of truth for every request the renderer can make and every event main can
 * push. Everything else is derived from these two maps:
 * - main/ipc/handle.ts: validates sender + request, calls the handler, returns a Result;
 * - preload/index.ts and renderer/lib/web-bridge.ts: expose `buildBridge()` (shared/ipc/bridge.ts)
 *   over Electron IPC or the web shell's WebSocket;
 * - renderer/lib/api.ts: the typed client, the only renderer module that touches the bridge.
 *
 * Adding a channel = one entry here + one handler in main (the handler map is typed against
 * this object, so a missing handler is a compile error). Requests are `.strict()`: an extra key
 * is a bad request, not something silently ignored.
 */

/** A request that takes no arguments. */
const NoArgs = z.object({}).strict();

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  /** The profile this instance runs as (`--profile NAME`); two profiles = two "devices". */
  profile: z.string(),
  /** Which shell hosts the core: Electron, or the web shell in a local browser. */
  shell: z.enum(['electron', 'web']),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const contract = {
  /** Who am I talking to: name, version, profile, shell. */
  'app.info': { request: NoArgs, response: AppInfo },
  /** Current settings. */
  'settings.get': { request: NoArgs, response: Settings },
  /** Change some settings; answers with all of them. */
  'settings.update': { request: SettingsPatch, response: Settings },
} as const satisfies Record<string, ChannelSpec>;

/** Events pushed from main to the renderer (no reply). */
export const events = {
  /** Settings changed (from this window, the menu, or another window). */
  'settings.changed': Settings,
} as const satisfies Record<string, z.ZodType>;

/** One request channel: what the renderer sends, what main answers. */
export interface ChannelSpec {
  readonly request: z.ZodType;
  readonly response: z.ZodType;
}

export type Contract = typeof contract;
export type Channel = keyof Contract;
/** What a caller passes (before defaults are applied). */
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
/** What a handler receives (after parsing). */
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
/** What the renderer gets back. */
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const CHANNELS = Object.keys(contract) as readonly Channel[];
export const EVENT_NAMES = Object.keys(events) as readonly EventName[];

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(contract, value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(events, value);
}
