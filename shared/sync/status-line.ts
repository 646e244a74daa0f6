import { assertNever } from '../errors';
import type { SyncState, SyncStatus } from './state';

/**
 * [Note: Sync status line]
 *
 * The one sentence that says how iCloud Sync is doing, as a pure function of `SyncStatus` and
 * the time, so the web shell's title bar and the Mac menu-bar item cannot word it differently.
 *
 * When several things are true, the first match wins (the most useful thing to know first):
 *
 *   PhotoPrism needs sign-in        → attention  "Sign in to your PhotoPrism server"
 *   iCloud needs sign-in            → attention  "Sign in to iCloud to sync"
 *   sync error (quota, zone, …)     → attention  a short sentence per kind
 *   PhotoPrism unreachable          → offline    "Can't reach your PhotoPrism server"
 *   iCloud unreachable              → offline    "Offline — changes will sync later"
 *   paused                          → paused     "Paused"
 *   syncing                         → busy       "Syncing 12 events…" (per phase)
 *   backoff                         → busy       "Waiting to retry in 2 min…"
 *   PhotoPrism not set up           → paused     "Not connected to a PhotoPrism server" (off or idle)
 *   sync off                        → normal     "iCloud Sync is off"
 *   idle                            → normal     "Up to date — synced 2 min ago" / "Up to date"
 *
 * The PhotoPrism link outranks a healthy (or switched-off) sync because nothing new can be
 * shown or changed without the server; sync problems the user must fix outrank it because
 * they do not fix themselves. Colour belongs to `attention` (and `offline`) only: surfaces show
 * `normal`, `busy` and `paused` in the plain text colour, as menu-bar apps do.
 */
export type StatusTone = 'normal' | 'busy' | 'attention' | 'offline' | 'paused';

/** The status line: the sentence and how loudly to show it. */
export interface StatusLine {
  readonly text: string;
  readonly tone: StatusTone;
}

const numberFormat = new Intl.NumberFormat('en-US');

function plural(count: number, one: string, many: string): string {
  return `${numberFormat.format(count)} ${count === 1 ? one : many}`;
}

/**
 * How long ago, for "synced … ago": "1 min ago", "3 hours ago", "yesterday", "4 days ago".
 * Under a minute (or a clock that runs behind) is `null`: "Up to date" says enough.
 */
export function agoLabel(thenMs: number, nowMs: number): string | null {
  const minutes = Math.floor((nowMs - thenMs) / 60_000);
  if (minutes < 1) return null;
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${plural(hours, 'hour', 'hours')} ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? 'yesterday' : `${plural(days, 'day', 'days')} ago`;
}

/** How long until a moment, for "retry in …": "in 20 s", "in 3 min", "in 2 hours"; null when due. */
export function inLabel(untilMs: number, nowMs: number): string | null {
  const seconds = Math.ceil((untilMs - nowMs) / 1000);
  if (seconds <= 0) return null;
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `in ${minutes} min`;
  return `in ${plural(Math.ceil(minutes / 60), 'hour', 'hours')}`;
}

type ErrorState = Extract<SyncState, { name: 'error' }>;

/** A short sentence for a sync error the user must act on (Settings explains what to do). */
export function syncErrorLine(kind: ErrorState['kind']): string {
  switch (kind) {
    case 'quota-full':
      return 'iCloud storage is full';
    case 'zone-deleted':
      return 'Sync data was removed from iCloud';
    case 'account-changed':
      return 'A different iCloud account is signed in';
    case 'web-access-off':
      return 'Turn on Access iCloud Data on the Web';
    case 'container-not-set-up':
      return 'The iCloud container is not set up for Photoflare';
    case 'internal':
      return 'iCloud Sync stopped after an error';
    default:
      return assertNever(kind, 'sync error kind');
  }
}

type SyncingState = Extract<SyncState, { name: 'syncing' }>;

/** "Syncing 12 events…" while pushing; pulling and replaying say what they do. */
function syncingLine(state: SyncingState): string {
  // What is left of this run; before the run starts counting, its size.
  const left = state.total > state.done ? state.total - state.done : 0;
  switch (state.phase) {
    case 'pushing':
      return left > 0 ? `Syncing ${plural(left, 'event', 'events')}…` : 'Syncing…';
    case 'pulling':
      return left > 0 ? `Receiving ${plural(left, 'event', 'events')}…` : 'Checking iCloud for changes…';
    case 'replaying':
      return left > 0 ? `Applying ${plural(left, 'change', 'changes')}…` : 'Applying changes…';
    default:
      return assertNever(state.phase, 'sync phase');
  }
}

/**
 * The status line for a status at `nowMs` (epoch ms). Pure: pass a fake `nowMs` in tests and
 * re-call it on a timer for "synced 2 min ago" to age.
 */
export function statusLine(status: SyncStatus, nowMs: number): StatusLine {
  const state = status.state;
  if (status.photoprism === 'needs-sign-in') return { text: 'Sign in to your PhotoPrism server', tone: 'attention' };
  if (state.name === 'needs-sign-in') return { text: 'Sign in to iCloud to sync', tone: 'attention' };
  if (state.name === 'error') return { text: syncErrorLine(state.kind), tone: 'attention' };
  if (status.photoprism === 'offline') return { text: "Can't reach your PhotoPrism server", tone: 'offline' };
  switch (state.name) {
    case 'offline':
      return { text: 'Offline — changes will sync later', tone: 'offline' };
    case 'paused':
      return { text: 'Paused', tone: 'paused' };
    case 'syncing':
      return { text: syncingLine(state), tone: 'busy' };
    case 'backoff': {
      const when = inLabel(state.until, nowMs);
      return { text: when ? `Waiting to retry ${when}…` : 'Retrying…', tone: 'busy' };
    }
    case 'disabled':
      if (status.photoprism === 'signed-out') return { text: 'Not connected to a PhotoPrism server', tone: 'paused' };
      return { text: 'iCloud Sync is off', tone: 'normal' };
    case 'idle': {
      if (status.photoprism === 'signed-out') return { text: 'Not connected to a PhotoPrism server', tone: 'paused' };
      const ago = state.lastSyncedAt === null ? null : agoLabel(state.lastSyncedAt, nowMs);
      return { text: ago ? `Up to date — synced ${ago}` : 'Up to date', tone: 'normal' };
    }
    default:
      return assertNever(state, 'sync state');
  }
}
