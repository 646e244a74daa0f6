import { api } from './api';

/**
 * Tell main when this window is shown, hidden, brought to the front, or the network comes and
 * goes, so iCloud Sync can run at the right moments (main/sync/window-state.ts). Works the same
 * in Electron and in the web shell. Returns the function that stops reporting.
 */
export function reportWindowState(target: Window = window): () => void {
  const send = () => {
    const doc = target.document;
    void api
      .call('app.windowState', {
        visible: doc.visibilityState === 'visible',
        focused: doc.hasFocus(),
        online: target.navigator.onLine,
      })
      .catch(() => undefined);
  };
  const events = ['focus', 'blur', 'online', 'offline'] as const;
  for (const name of events) target.addEventListener(name, send);
  target.document.addEventListener('visibilitychange', send);
  send();
  return () => {
    for (const name of events) target.removeEventListener(name, send);
    target.document.removeEventListener('visibilitychange', send);
  };
}
