import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from './contract';
// The names only, not the contract's schemas: see [Note: Names without schemas].
import { isChannel, isEventName } from './names';
import { err, type IpcResult } from './result';

/**
 * How a bridge moves bytes: Electron IPC in the preload, a WebSocket in the web shell.
 *
 * Both transports carry the same two things, so the bridge itself is written once.
 */
export interface BridgeTransport {
  invoke(channel: Channel, request: unknown): Promise<unknown>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
  /**
   * The Mac app only (Electron's `webUtils.getPathForFile`): the path of a file the person dropped
   * from Finder, '' for anything else. A web page never learns paths, so the web shell has none.
   */
  pathForFile?: (file: unknown) => string;
}

/**
 * What the renderer sees as `window.photoflare`: typed from the contract, nothing raw.
 *
 * Only contract channels can be invoked and only contract events subscribed; everything else
 * answers `unknown-channel` without reaching the transport.
 */
export interface PhotoflareBridge {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<IpcResult<ResponseOf<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** See BridgeTransport.pathForFile: present in the Mac app only. */
  pathForFile?: (file: unknown) => string;
}

/** Global name under which the bridge is exposed to the renderer. */
export const BRIDGE_GLOBAL = 'photoflare';

/** Build the bridge over a transport. The only place the bridge's behaviour is written. */
export function buildBridge(transport: BridgeTransport): PhotoflareBridge {
  return {
    async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<IpcResult<ResponseOf<C>>> {
      if (!isChannel(channel)) {
        return err('unknown-channel', `Unknown channel: ${String(channel)}`);
      }
      try {
        // Main validates the envelope it sends (main/ipc/handle.ts); the transport only moves it.
        return (await transport.invoke(channel, request)) as IpcResult<ResponseOf<C>>;
      } catch (cause) {
        const message = cause instanceof Error ? cause.message : String(cause);
        return err('network', `The app's core did not answer: ${message}`);
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      if (!isEventName(event)) throw new Error(`Unknown event: ${String(event)}`);
      return transport.subscribe(event, (payload) => listener(payload as EventPayload<E>));
    },
    ...(transport.pathForFile ? { pathForFile: pathForFileOf(transport.pathForFile) } : {}),
  };
}

/** Never throws into the page: a File that is not on disk (or not a File at all) has no path. */
function pathForFileOf(read: (file: unknown) => string): (file: unknown) => string {
  return (file) => {
    try {
      const path = read(file);
      return typeof path === 'string' ? path : '';
    } catch {
      return '';
    }
  };
}
