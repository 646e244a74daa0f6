import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { CHANNELS } from '../../shared/ipc/contract';
import { IPC_EVENT_CHANNEL } from '../../shared/ipc/electron-channels';
import type { Logger } from '../log/logger';
import { isAppUrl } from '../window/navigation-policy';
import type { EventHub } from './event-hub';
import type { Dispatch, SenderInfo } from './handle';

/** What the IPC layer needs to know about the app window. */
export interface TrustedWindow {
  readonly webContents: WebContents;
  /** Null once the window is gone. */
  readonly mainFrame: WebFrameMain | null;
}

/** The sender frame's URL without query or fragment, for logs. */
function describeFrame(frame: WebFrameMain | null): string {
  if (!frame) return 'no frame (navigated away or destroyed)';
  try {
    const url = new URL(frame.url);
    return `frame ${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return 'frame with an unparsable URL';
  }
}

/**
 * Decide whether an IPC request came from our window's main frame on our origin.
 *
 * All three must hold: the sender is our window's webContents (not another window, not a
 * sign-in window), the frame is its top frame (not an iframe someone injected), and that frame
 * shows app://photoflare (not a page it was somehow navigated to). The dispatcher refuses
 * anything untrusted before parsing the payload (main/ipc/handle.ts). See [Note: Window security].
 */
export function senderInfo(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, window: TrustedWindow | undefined): SenderInfo {
  const frame = event.senderFrame;
  const description = describeFrame(frame);
  if (!window || !frame) return { trusted: false, description };
  const mainFrame = window.mainFrame;
  const trusted =
    event.sender.id === window.webContents.id &&
    mainFrame !== null &&
    frame.processId === mainFrame.processId &&
    frame.routingId === mainFrame.routingId &&
    isAppUrl(frame.url);
  return { trusted, description };
}

export interface ElectronIpcOptions {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  readonly dispatch: Dispatch;
  /** The app window, when there is one. */
  readonly getWindow: () => TrustedWindow | undefined;
}

/**
 * Register one `ipcMain.handle` per contract channel, derived from CHANNELS (never listed by
 * hand). Each checks the sender and hands the rest to the validated dispatcher.
 * Returns a disposer that removes the handlers.
 */
export function registerIpcHandlers(options: ElectronIpcOptions): () => void {
  for (const channel of CHANNELS) {
    options.ipcMain.handle(channel, (event, request: unknown) =>
      options.dispatch(channel, request, senderInfo(event, options.getWindow())),
    );
  }
  return () => {
    for (const channel of CHANNELS) options.ipcMain.removeHandler(channel);
  };
}

/**
 * Forward core events to the app window on IPC_EVENT_CHANNEL as `(name, payload)`.
 *
 * A closed or crashed window is skipped, never an error. Returns the detach function.
 */
export function attachWindowEvents(events: EventHub, getWindow: () => TrustedWindow | undefined, log: Logger): () => void {
  return events.attach((event, payload) => {
    const window = getWindow();
    if (!window || window.webContents.isDestroyed()) return;
    try {
      window.webContents.send(IPC_EVENT_CHANNEL, event, payload);
    } catch (error) {
      // [Note: Catching exception during .send]: a renderer mid-reload can make send throw.
      log.warn('could not push an event to the window', { event, error });
    }
  });
}
