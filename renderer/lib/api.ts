import { AppError } from '../../shared/errors';
import type { PhotoflareBridge } from '../../shared/ipc/bridge';
import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import { createWebBridge } from './web-bridge';

/**
 * The renderer's typed client: the only module that touches `window.photoflare`.
 *
 * Components and state classes call `api.call('channel', request)` and get the value, or an
 * AppError with the Result's kind and message. In Electron the bridge comes from the preload;
 * in the web shell there is no preload, so we build the WebSocket bridge here.
 */
let bridge: PhotoflareBridge | undefined;

function getBridge(): PhotoflareBridge {
  bridge ??= window.photoflare ?? createWebBridge();
  return bridge;
}

/** Replace the bridge (renderer unit tests). */
export function setBridgeForTests(next: PhotoflareBridge | undefined): void {
  bridge = next;
}

export const api = {
  async call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const result = await getBridge().invoke(channel, request);
    if (result.ok) return result.value;
    throw new AppError(result.error.kind, result.error.message);
  },
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return getBridge().on(event, listener);
  },
  /** The path of a file dropped from Finder (the Mac app), or undefined where the page has none (the web shell). */
  pathForFile(file: File): string | undefined {
    const read = getBridge().pathForFile;
    return read ? read(file) : undefined;
  },
};
