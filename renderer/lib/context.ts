import { getContext, setContext } from 'svelte';
import type { ConnectionState } from './state/connection.svelte';
import type { LibraryState } from './state/library.svelte';
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

/** The same contexts as a Map, for mounting a component on its own (tests). */
export function contextMap(states: {
  library?: LibraryState;
  viewer?: ViewerState;
  connection?: ConnectionState;
}): Map<symbol, unknown> {
  const map = new Map<symbol, unknown>();
  if (states.library) map.set(LIBRARY, states.library);
  if (states.viewer) map.set(VIEWER, states.viewer);
  if (states.connection) map.set(CONNECTION, states.connection);
  return map;
}

function required<T>(key: symbol, name: string): T {
  const value = getContext<T | undefined>(key);
  if (value === undefined) throw new Error(`${name} context is missing: set it in App.svelte.`);
  return value;
}
