import { buildBridge, type PhotoflareBridge } from '../../shared/ipc/bridge';
import type { Channel, EventName } from '../../shared/ipc/contract';
import { err } from '../../shared/ipc/result';
import type { RequestFrame } from '../../shared/ipc/request-frame';
import { parseServerFrame, SMALL_REQUEST_FRAME_BYTES, WEB_BRIDGE_PATH } from '../../shared/ipc/wire';

/**
 * The web shell's bridge: the same `PhotoflareBridge` as the preload's, over a WebSocket.
 *
 * The socket authenticates with the HttpOnly cookie the web shell set when the page was first
 * opened (see [Note: Web shell secret]); the page never sees the secret. If the socket drops,
 * pending requests fail with a `network` Result and the bridge reconnects with backoff.
 */
export function createWebBridge(location: Location = window.location): PhotoflareBridge {
  const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${WEB_BRIDGE_PATH}`;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let opened: Promise<WebSocket> | undefined;
  let retryMs = 250;

  const connect = (): Promise<WebSocket> => {
    opened ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => {
        retryMs = 250;
        socket = ws;
        resolve(ws);
      });
      ws.addEventListener('message', (message: MessageEvent<unknown>) => {
        const frame = parseServerFrame(typeof message.data === 'string' ? safeJson(message.data) : undefined);
        if (!frame) return;
        if (frame.type === 'reply') {
          pending.get(frame.id)?.resolve(frame.result);
          pending.delete(frame.id);
        } else {
          for (const listener of listeners.get(frame.event as EventName) ?? []) listener(frame.payload);
        }
      });
      ws.addEventListener('close', () => {
        const wasOpen = socket === ws;
        socket = undefined;
        opened = undefined;
        for (const request of pending.values()) request.reject(new Error('connection to Photoflare closed'));
        pending.clear();
        if (!wasOpen) reject(new Error('could not connect to Photoflare'));
        // Keep event subscriptions alive across restarts of the socket.
        if (listeners.size > 0) {
          setTimeout(() => void connect().catch(() => undefined), retryMs);
          retryMs = Math.min(retryMs * 2, 10_000);
        }
      });
    });
    return opened;
  };

  return buildBridge({
    invoke: async (channel: Channel, request: unknown) => {
      const id = nextId++;
      const frame: RequestFrame = { type: 'request', id, channel, request };
      const text = JSON.stringify(frame);
      // UTF-8 takes at most 3 bytes per UTF-16 unit: most frames are known to be small without encoding them.
      const bytes = text.length * 3 <= SMALL_REQUEST_FRAME_BYTES ? 0 : new TextEncoder().encode(text).length;
      if (bytes > SMALL_REQUEST_FRAME_BYTES) {
        // The limit comes from the contract's schemas, which the page loads only now (see [Note: Names without schemas]).
        const { MAX_REQUEST_FRAME_BYTES } = await import('../../shared/ipc/frame-limit');
        if (bytes > MAX_REQUEST_FRAME_BYTES) {
          // The web shell would close the socket on it ([Note: Bridge frame limit]); say why instead.
          return err(
            'bad-request',
            `This request is too large (${bytes} bytes; the most any request can be is ${MAX_REQUEST_FRAME_BYTES}).`,
          );
        }
      }
      const ws = socket ?? (await connect());
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(text);
      });
    },
    subscribe: (event, listener) => {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      void connect().catch(() => undefined);
      return () => {
        set.delete(listener);
      };
    },
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
