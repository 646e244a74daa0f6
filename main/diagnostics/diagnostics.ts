import type { AppInfo } from '../../shared/ipc/contract';
import type { ConnectionStatus, LibraryCounts } from '../../shared/library/schemas';
import type { StartupNotice } from '../../shared/notices';
import type { Settings } from '../../shared/settings';
import type { SyncStatus } from '../../shared/sync/state';
import { fileStamp } from '../lifecycle/set-aside';
import { scrubDiagnosticText } from './scrub';

/** Everything a report is made of; gathered by compose() at the moment it is asked for. */
export interface DiagnosticsInput {
  readonly nowMs: number;
  readonly app: AppInfo;
  readonly runtime: { readonly node: string; readonly electron: string | undefined; readonly arch: string; readonly osRelease: string };
  readonly settings: Settings;
  readonly syncUndecided: boolean;
  readonly connection: ConnectionStatus;
  readonly library: LibraryCounts & { readonly albums: number };
  readonly sync: SyncStatus;
  /** Events in the local log by status (pending, pushed, …). */
  readonly events: Readonly<Record<string, number>>;
  readonly notices: readonly StartupNotice[];
  /** How the log file is doing: its lines, and a write error if the disk refused it. */
  readonly log: { readonly lines: readonly string[]; readonly lastError: string | undefined; readonly droppedLines: number } | undefined;
  /** Values this profile holds that must not appear (server URL and host, user name, album titles, home folder). */
  readonly known: readonly string[];
}

/** Most log lines a report carries (the newest). */
export const DIAGNOSTICS_LOG_LINES = 300;

/** `Photoflare-Diagnostics-2026-11-30T06-31-05-123Z.txt`: sortable, and no name of anything in it. */
export function diagnosticsFileName(nowMs: number): string {
  return `Photoflare-Diagnostics-${fileStamp(nowMs)}.txt`;
}

/**
 * A plain-text report for a bug report: version, states, counters, the newest log lines.
 *
 * [Note: What diagnostics may contain]
 * The person sends this file to someone else, so it holds only what describes the APP: versions,
 * state names, counts, error kinds, and log lines scrubbed by `scrubDiagnosticText`. Never a
 * token, a server address, a user name, a title or a file name, and never the profile's name
 * unless it is "default" (people name profiles after people). Free-text fields (error messages,
 * sync reasons) go through the same scrub. test/main/diagnostics/diagnostics.test.ts plants
 * each kind of value and proves none comes out.
 */
export function buildDiagnosticsReport(input: DiagnosticsInput): string {
  const scrub = (text: string) => scrubDiagnosticText(text, input.known);
  const { connection, sync, settings } = input;
  const lines = [
    'Photoflare diagnostics',
    `generated: ${new Date(input.nowMs).toISOString()}`,
    '',
    '[app]',
    `version: ${input.app.version}`,
    `shell: ${input.app.shell}`,
    `platform: ${input.app.platform} ${input.runtime.osRelease} ${input.runtime.arch}`,
    `node: ${input.runtime.node}`,
    `electron: ${input.runtime.electron ?? '-'}`,
    `profile: ${input.app.profile === 'default' ? 'default' : 'other (name withheld)'}`,
    '',
    '[settings]',
    `theme: ${settings.theme}`,
    `syncEnabled: ${settings.syncEnabled}${input.syncUndecided ? ' (undecided: the settings file could not be read)' : ''}`,
    `thumbnailCacheMiB: ${settings.thumbnailCacheMiB}`,
    '',
    '[photoprism]',
    `state: ${connection.state}`,
    `signedIn: ${connection.serverUrl !== null}`,
    `insecureHttp: ${connection.insecureHttp}`,
    `serverVersion: ${connection.serverVersion === null ? '-' : scrub(connection.serverVersion)}`,
    `lastError: ${connection.lastError ? `${connection.lastError.kind}: ${scrub(connection.lastError.message)}` : '-'}`,
    `indexing: ${connection.indexing ? `${connection.indexing.done}/${connection.indexing.total}` : '-'}`,
    `lastRefreshedAt: ${connection.lastRefreshedAt === null ? '-' : new Date(connection.lastRefreshedAt).toISOString()}`,
    '',
    '[library]',
    `photos: ${input.library.all}`,
    `favorites: ${input.library.favorites}`,
    `archived: ${input.library.archived}`,
    `albums: ${input.library.albums}`,
    '',
    '[sync]',
    `state: ${describeSyncState(sync.state, scrub)}`,
    `pending: ${sync.pendingCount}`,
    `photoprismLink: ${sync.photoprism}`,
    `events: ${
      Object.entries(input.events)
        .map(([status, n]) => `${status}=${n}`)
        .join(' ') || '-'
    }`,
    '',
    '[start-up notices]',
    ...(input.notices.length === 0 ? ['-'] : input.notices.map((notice) => `${notice.id}: ${scrub(notice.message)}`)),
    '',
    '[log]',
    ...(input.log
      ? [
          `writeError: ${input.log.lastError === undefined ? '-' : scrub(input.log.lastError)}`,
          `droppedLines: ${input.log.droppedLines}`,
          ...input.log.lines.slice(-DIAGNOSTICS_LOG_LINES).map(scrub),
        ]
      : ['(no log file in this run)']),
  ];
  return `${lines.join('\n')}\n`;
}

function describeSyncState(state: SyncStatus['state'], scrub: (text: string) => string): string {
  switch (state.name) {
    case 'needs-sign-in':
      return `needs-sign-in (${scrub(state.reason)})`;
    case 'idle':
      return `idle (last synced ${state.lastSyncedAt === null ? 'never' : new Date(state.lastSyncedAt).toISOString()})`;
    case 'syncing':
      return `syncing (${state.phase} ${state.done}/${state.total})`;
    case 'backoff':
      return `backoff (attempt ${state.attempt}, ${scrub(state.reason)})`;
    case 'error':
      return `error (${state.kind}: ${scrub(state.message)})`;
    default:
      return state.name;
  }
}
