/**
 * The Electron IPC channel that carries main → renderer events (preload/ and main/ipc/).
 *
 * Requests use the contract's channel names directly with `ipcRenderer.invoke`; events share
 * this one channel, tagged by event name, so the preload needs a single listener per
 * subscription.
 */
export const IPC_EVENT_CHANNEL = 'photoflare:event';
