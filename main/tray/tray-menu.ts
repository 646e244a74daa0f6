import { assertNever } from '../../shared/errors';
import type { SyncState, SyncStatus } from '../../shared/sync/state';

/**
 * The menu-bar item as a pure function of the sync status: no Electron here.
 *
 * [Note: Menu-bar status]
 * One status line says the single most important thing; the icon says the same at a glance.
 * What wins when several things are true (first match):
 *
 *   PhotoPrism needs sign-in        → attention  "Sign in to your PhotoPrism server"
 *   iCloud needs sign-in            → attention  "Sign in to iCloud to sync"
 *   sync error (quota, zone, …)     → attention  a sentence per kind
 *   PhotoPrism unreachable          → offline    "Can't reach your PhotoPrism server"
 *   iCloud unreachable              → offline    "Offline — changes will sync later"
 *   paused                          → paused     "Paused"
 *   syncing                         → syncing    "Syncing 12 events…"
 *   backoff (retry soon)            → syncing    "Waiting to retry — <reason>"
 *   PhotoPrism not set up           → paused     "Not connected to a PhotoPrism server"
 *   sync off                        → up-to-date "iCloud Sync is off"
 *   idle                            → up-to-date "Up to date — synced 2 min ago"
 *
 * Colour only when something is wrong: every icon is a macOS template image (black + alpha,
 * tinted by the system) except `attention`, which is drawn in colour.
 */
export type TrayIconState = 'up-to-date' | 'syncing' | 'paused' | 'attention' | 'offline';

/** The icon states, in a stable order (icon generation and tests iterate them). */
export const TRAY_ICON_STATES: readonly TrayIconState[] = ['up-to-date', 'syncing', 'paused', 'attention', 'offline'];

/** What a menu item asks for when clicked; the Electron layer maps each to an action. */
export type TrayCommand = 'sync-now' | 'pause-sync' | 'resume-sync' | 'open-window' | 'open-settings' | 'quit';

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

/** "just now", "2 min ago", "3 h ago", "2 days ago" for the "synced …" line. */
export function formatAgo(thenMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - thenMs) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

type ErrorState = Extract<SyncState, { name: 'error' }>;

/** The sentence for a sync error the user must act on. */
function errorLine(state: ErrorState): string {
  switch (state.kind) {
    case 'quota-full':
      return 'iCloud storage is full';
    case 'zone-deleted':
      return 'Sync data was removed from iCloud';
    case 'account-changed':
      return 'A different iCloud account is signed in';
    case 'web-access-off':
      return 'Turn on "Access iCloud Data on the Web"';
    case 'internal':
      return 'iCloud Sync stopped after an error';
    default:
      return assertNever(state.kind, 'sync error kind');
  }
}

/** The icon and status line for a status (the table in [Note: Menu-bar status]). */
export function describeStatus(status: SyncStatus, nowMs: number): { icon: TrayIconState; statusLine: string } {
  const state = status.state;
  if (status.photoprism === 'needs-sign-in') return { icon: 'attention', statusLine: 'Sign in to your PhotoPrism server' };
  if (state.name === 'needs-sign-in') return { icon: 'attention', statusLine: 'Sign in to iCloud to sync' };
  if (state.name === 'error') return { icon: 'attention', statusLine: errorLine(state) };
  if (status.photoprism === 'offline') return { icon: 'offline', statusLine: "Can't reach your PhotoPrism server" };
  switch (state.name) {
    case 'offline':
      return { icon: 'offline', statusLine: 'Offline — changes will sync later' };
    case 'paused':
      return { icon: 'paused', statusLine: 'Paused' };
    case 'syncing': {
      // "Syncing 12 events…": what is left of this run, or the run's size before it starts counting.
      const left = state.total > state.done ? state.total - state.done : state.total;
      return { icon: 'syncing', statusLine: left > 0 ? `Syncing ${plural(left, 'event', 'events')}…` : 'Syncing…' };
    }
    case 'backoff':
      return { icon: 'syncing', statusLine: `Waiting to retry — ${state.reason}` };
    case 'disabled':
    case 'idle':
      break;
    default:
      return assertNever(state, 'sync state');
  }
  if (status.photoprism === 'signed-out') return { icon: 'paused', statusLine: 'Not connected to a PhotoPrism server' };
  if (state.name === 'disabled') return { icon: 'up-to-date', statusLine: 'iCloud Sync is off' };
  const when = state.lastSyncedAt === null ? '' : ` — synced ${formatAgo(state.lastSyncedAt, nowMs)}`;
  return { icon: 'up-to-date', statusLine: `Up to date${when}` };
}

/**
 * The menu-bar item for a status: icon, status line and the menu.
 *
 * Menu: status line, pending count (when there is one), Sync Now, Pause/Resume Sync, Open
 * Photoflare, Settings…, Quit. Sync Now is greyed out when pressing it could not do anything
 * (sync off or paused, not signed in to iCloud, already syncing).
 */
export function buildTrayView(status: SyncStatus, nowMs: number): TrayView {
  const { icon, statusLine } = describeStatus(status, nowMs);
  const state = status.state.name;
  const syncOn = state !== 'disabled';
  const canSyncNow = syncOn && state !== 'paused' && state !== 'needs-sign-in' && state !== 'syncing';
  const menu: TrayMenuItem[] = [{ type: 'normal', label: statusLine, enabled: false }];
  if (status.pendingCount > 0) {
    menu.push({
      type: 'normal',
      label: `${plural(status.pendingCount, 'change', 'changes')} waiting to sync`,
      enabled: false,
    });
  }
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

/** Icon file base names under main/tray/icons/ (`<base>.png` and `<base>@2x.png`). */
export const TRAY_ICON_FILES: Readonly<Record<TrayIconState, string>> = {
  'up-to-date': 'upToDateTemplate',
  syncing: 'syncingTemplate',
  paused: 'pausedTemplate',
  offline: 'offlineTemplate',
  // Not a template: macOS would tint it black/white, and this one is meant to stand out.
  attention: 'attention',
};

/** The PhotoPrism link as the status cares about it, from the connection state (main/photoprism/). */
export function photoprismLink(
  state: 'signed-out' | 'connecting' | 'online' | 'offline' | 'needs-sign-in',
): SyncStatus['photoprism'] {
  // Connecting is not a problem worth a status line; it becomes online or offline in a moment.
  return state === 'connecting' ? 'online' : state;
}
