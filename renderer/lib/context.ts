import { getContext, setContext } from 'svelte';
import type { ActivityState } from './state/activity.svelte';
import type { AppState } from './state/app-state.svelte';
import type { ConnectionState } from './state/connection.svelte';
import type { CurationState } from './state/curation.svelte';
import type { LibraryState } from './state/library.svelte';
import type { SyncState } from './state/sync.svelte';
import type { ToastState } from './state/toasts.svelte';
import type { UiState } from './state/ui.svelte';
import type { ViewerState } from './state/viewer.svelte';

/**
 * Typed context pairs for the window's state objects.
 *
 * The shell creates them once (App.svelte) and components read them with `getX()`, so nothing
 * is threaded through five layers of props and tests can hand a component its own instances
 * (`contextMap(...)` for @testing-library's `context` option).
 */
const LIBRARY = Symbol('library');
const VIEWER = Symbol('viewer');
const CONNECTION = Symbol('connection');
const CURATION = Symbol('curation');
const TOASTS = Symbol('toasts');
const UI = Symbol('ui');
const SYNC = Symbol('sync');
const ACTIVITY = Symbol('activity');
const APP = Symbol('app');

export function setLibrary(library: LibraryState): void {
  setContext(LIBRARY, library);
}

export function getLibrary(): LibraryState {
  return required<LibraryState>(LIBRARY, 'LibraryState');
}

export function setViewer(viewer: ViewerState): void {
  setContext(VIEWER, viewer);
}

export function getViewer(): ViewerState {
  return required<ViewerState>(VIEWER, 'ViewerState');
}

export function setConnection(connection: ConnectionState): void {
  setContext(CONNECTION, connection);
}

export function getConnection(): ConnectionState {
  return required<ConnectionState>(CONNECTION, 'ConnectionState');
}

export function setCuration(curation: CurationState): void {
  setContext(CURATION, curation);
}

export function getCuration(): CurationState {
  return required<CurationState>(CURATION, 'CurationState');
}

export function setToasts(toasts: ToastState): void {
  setContext(TOASTS, toasts);
}

export function getToasts(): ToastState {
  return required<ToastState>(TOASTS, 'ToastState');
}

export function setUi(ui: UiState): void {
  setContext(UI, ui);
}

export function getUi(): UiState {
  return required<UiState>(UI, 'UiState');
}

export function setSync(sync: SyncState): void {
  setContext(SYNC, sync);
}

export function getSync(): SyncState {
  return required<SyncState>(SYNC, 'SyncState');
}

export function setActivity(activity: ActivityState): void {
  setContext(ACTIVITY, activity);
}

export function getActivity(): ActivityState {
  return required<ActivityState>(ACTIVITY, 'ActivityState');
}

export function setApp(app: AppState): void {
  setContext(APP, app);
}

export function getApp(): AppState {
  return required<AppState>(APP, 'AppState');
}

/** The same contexts as a Map, for mounting a component on its own (tests). */
export function contextMap(states: {
  library?: LibraryState;
  viewer?: ViewerState;
  connection?: ConnectionState;
  curation?: CurationState;
  toasts?: ToastState;
  ui?: UiState;
  sync?: SyncState;
  activity?: ActivityState;
  app?: AppState;
}): Map<symbol, unknown> {
  const map = new Map<symbol, unknown>();
  const pairs: [symbol, unknown][] = [
    [LIBRARY, states.library],
    [VIEWER, states.viewer],
    [CONNECTION, states.connection],
    [CURATION, states.curation],
    [TOASTS, states.toasts],
    [UI, states.ui],
    [SYNC, states.sync],
    [ACTIVITY, states.activity],
    [APP, states.app],
  ];
  for (const [key, value] of pairs) if (value !== undefined) map.set(key, value);
  return map;
}

function required<T>(key: symbol, name: string): T {
  const value = getContext<T | undefined>(key);
  if (value === undefined) throw new Error(`${name} context is missing: set it in App.svelte.`);
  return value;
}
