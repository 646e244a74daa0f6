import type { SyncStatus } from '../../shared/sync/state';
import { statusLine, type StatusTone } from '../../shared/sync/status-line';

/**
 * The menu-bar item as a pure function of the sync status: no Electron here.
 *
 * [Note: Menu-bar status]
 * One status line says the single most important thing; the icon says the same at a glance.
 * Which thing wins when several are true is decided once, in shared/sync/status-line.ts
 * ([Note: Sync status line]); its tone picks the icon here.
 *
 * Colour only when something is wrong: every icon is a macOS template image (black + alpha,
 * tinted by the system) except `attention`, which is drawn in colour.
 */
export type TrayIconState = 'up-to-date' | 'syncing' | 'paused' | 'attention' | 'offline';

/** The icon states, in a stable order (icon generation and tests iterate them). */
export const TRAY_ICON_STATES: readonly TrayIconState[] = ['up-to-date', 'syncing', 'paused', 'attention', 'offline'];

/** What a menu item asks for when clicked; the Electron layer maps each to an action. */
export type TrayCommand = 'sync-now' | 'pause-sync' | 'resume-sync' | 'open-window' | 'open-settings' | 'open-activity' | 'quit';

/** A menu item, shaped like the subset of Electron's MenuItemConstructorOptions we use. */
export type TrayMenuItem =
  | { readonly type: 'separator' }
  | {
      readonly type: 'normal';
      readonly label: string;
      readonly enabled: boolean;
      /** Absent for informational lines (status, pending count). */
      readonly command?: TrayCommand;
    };

/** The whole menu-bar presentation: icon, tooltip and menu. */
export interface TrayView {
  readonly icon: TrayIconState;
  /** The status line, also used as the tooltip and by the web shell's title-bar status. */
  readonly statusLine: string;
  readonly menu: readonly TrayMenuItem[];
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** The menu line when iCloud refused push: sync goes on, just not instantly. */
export const LIVE_UPDATES_UNAVAILABLE = 'Live updates unavailable — checking every few minutes';

/** Which icon shows a status line's tone (colour only when something is wrong). */
const ICON_BY_TONE: Readonly<Record<StatusTone, TrayIconState>> = {
  normal: 'up-to-date',
  busy: 'syncing',
  paused: 'paused',
  offline: 'offline',
  attention: 'attention',
};

/**
 * The icon and status line for a status. The wording is shared with the web shell's title bar
 * (see [Note: Sync status line] in shared/sync/status-line.ts), so the two cannot drift apart.
 */
export function describeStatus(status: SyncStatus, nowMs: number): { icon: TrayIconState; statusLine: string } {
  const line = statusLine(status, nowMs);
  return { icon: ICON_BY_TONE[line.tone], statusLine: line.text };
}

/**
 * The menu-bar item for a status: icon, status line and the menu.
 *
 * Menu: status line, changes waiting for PhotoPrism (the offline queue), pending count (when there is one), "Live updates unavailable" (when iCloud
 * refused push, [Note: Live updates are best-effort] in main/sync/sync-engine.ts), Sync Now,
 * Pause/Resume Sync, Open Photoflare, Settings…, Quit. Sync Now is greyed out when pressing it could not do anything
 * (sync off or paused, not signed in to iCloud, already syncing).
 */
export function buildTrayView(status: SyncStatus, nowMs: number, waitingForServer = 0): TrayView {
  const { icon, statusLine } = describeStatus(status, nowMs);
  const state = status.state.name;
  const syncOn = state !== 'disabled';
  const canSyncNow = syncOn && state !== 'paused' && state !== 'needs-sign-in' && state !== 'syncing';
  const menu: TrayMenuItem[] = [{ type: 'normal', label: statusLine, enabled: false }];
  // Curation actions made while PhotoPrism was unreachable (see [Note: The offline queue] in main/actions/offline-queue.ts).
  if (waitingForServer > 0) {
    menu.push({ type: 'normal', label: `${plural(waitingForServer, 'change', 'changes')} waiting for PhotoPrism`, enabled: false });
  }
  if (status.pendingCount > 0) {
    menu.push({
      type: 'normal',
      label: `${plural(status.pendingCount, 'change', 'changes')} waiting to sync`,
      enabled: false,
    });
  }
  if (status.liveUpdates === 'unavailable' && syncOn && state !== 'paused') {
    menu.push({ type: 'normal', label: LIVE_UPDATES_UNAVAILABLE, enabled: false });
  }
  const fix = fixFor(status);
  if (fix) menu.push({ type: 'normal', label: fix.label, enabled: true, command: fix.command });
  menu.push({ type: 'separator' });
  menu.push({ type: 'normal', label: 'Sync Now', enabled: canSyncNow, command: 'sync-now' });
  menu.push(
    state === 'paused'
      ? { type: 'normal', label: 'Resume Sync', enabled: true, command: 'resume-sync' }
      : { type: 'normal', label: 'Pause Sync', enabled: syncOn, command: 'pause-sync' },
  );
  menu.push({ type: 'separator' });
  menu.push({ type: 'normal', label: 'Open Photoflare', enabled: true, command: 'open-window' });
  menu.push({ type: 'normal', label: 'Settings…', enabled: true, command: 'open-settings' });
  menu.push({ type: 'separator' });
  menu.push({ type: 'normal', label: 'Quit Photoflare', enabled: true, command: 'quit' });
  return { icon, statusLine, menu };
}

/**
 * The one action that moves a state on, right under the status line (a status that names a
 * problem offers its way out): sign in, turn sync on, try again after an error, or see what is
 * being synced. None when nothing needs doing.
 */
function fixFor(status: SyncStatus): { label: string; command: TrayCommand } | null {
  switch (status.state.name) {
    case 'needs-sign-in':
      return { label: 'Sign In to iCloud…', command: 'open-settings' };
    case 'disabled':
      return { label: 'Turn On iCloud Sync', command: 'open-settings' };
    case 'error':
      return { label: 'Try Again', command: 'sync-now' };
    case 'syncing':
      return { label: 'Show Activity', command: 'open-activity' };
    default:
      return null;
  }
}

/** Icon file base names under main/tray/icons/ (`<base>.png` and `<base>@2x.png`). */
export const TRAY_ICON_FILES: Readonly<Record<TrayIconState, string>> = {
  'up-to-date': 'upToDateTemplate',
  syncing: 'syncingTemplate',
  paused: 'pausedTemplate',
  offline: 'offlineTemplate',
  // Not a template: macOS would tint it black/white, and this one is meant to stand out.
  attention: 'attention',
};
