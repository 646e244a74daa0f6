import { randomUUID } from 'node:crypto';
import type { AppError, ErrorKind } from '../../shared/errors';
import { makeEvents, type EventName, type LocalAction } from '../../shared/events/schema';
import type { ActionFailure, ActionResult } from '../../shared/ipc/contract';
import type { AlbumSummary } from '../../shared/library/schemas';
import type { EventLog } from '../eventlog/event-log';
import type { EventHub } from '../ipc/event-hub';
import type { LibraryRepo } from '../library/library-repo';
import type { LibraryService } from '../library/library-service';
import type { Logger } from '../log/logger';
import type { PhotoPrismClient } from '../photoprism/client';
import type { ConnectionService } from '../photoprism/connection-service';
import { failureMessage, kindOf, mayHaveBeenApplied, notOnlineError, unclearMessage } from './action-errors';
import type { RunOutcome } from './batching';
import { unique } from './batching';
import type { Operation } from './operations';

/**
 * [Note: One skeleton for every executor]
 * Each kind of operation (main/actions/executors/) is an `Executor`: which items it names, how it
 * sends itself to PhotoPrism and records what the server accepted, and (for the ones that may
 * wait in the offline queue) how it writes its effect to the cache alone. Everything they share
 * lives here in `ExecutorKit`: the signed-in client or why there is none, grouping failures by
 * reason, noticing answers that were lost, and the ONE transaction that writes the cache rows
 * and appends the events. Adding an action = an `Operation` variant + one executor file + its
 * line in executors/index.ts.
 */

/** What running an operation did, and the operation that would reverse it (if anything changed). */
export interface Outcome {
  readonly result: ActionResult;
  readonly inverse: Operation | undefined;
}

/** What writing an operation to the cache alone did (offline): what reverses it, what changed. */
export interface LocalOutcome {
  /** The items the cache now shows changed, for the result (an album operation: its album first). */
  readonly applied: readonly string[];
  /** Puts the cache back as it was (the undo of a queued action). */
  readonly inverse: Operation | undefined;
  /** The operation to queue; differs from the one asked for when it needed a local UID (a new album). */
  readonly queued: Operation;
  /** Photo rows written, and whether albums changed: what `library.changed` names. */
  readonly photos: readonly string[];
  readonly albums: boolean;
  /** The album the operation created, renamed or changed, if any. */
  readonly albumUid?: string | undefined;
}

export interface Executor<O extends Operation> {
  /** What a failure before any request names: a photo operation's photos, an album operation's album. */
  readonly subject: 'photo' | 'album';
  items(op: O, kit: ExecutorKit): readonly string[];
  /** Send to PhotoPrism; record exactly what the server accepted. See [Note: Partial failure]. */
  send(op: O, client: PhotoPrismClient, kit: ExecutorKit): Promise<Outcome>;
  /**
   * Offline: write the effect to the cache only (no event; the caller's transaction). Absent: this
   * action is not queued. See [Note: The offline queue].
   */
  applyLocally?(op: O, kit: ExecutorKit): LocalOutcome;
}

/** One event (split at the cap by makeEvents) to append with an action's cache update. */
export interface Append {
  readonly name: EventName;
  readonly uids: readonly string[];
  readonly action?: LocalAction | undefined;
  readonly detail?: string | undefined;
}

/** Above this many changed photos, `library.changed` says "everything" instead of listing them. */
const MAX_LISTED_CHANGES = 500;

export interface ExecutorKitOptions {
  readonly repo: LibraryRepo;
  readonly connection: Pick<ConnectionService, 'active' | 'status' | 'reportFailure'>;
  readonly eventLog: EventLog;
  readonly library: Pick<LibraryService, 'noteLocalChanges'>;
  readonly syncEnabled: () => boolean;
  readonly events: EventHub;
  readonly log: Logger;
  readonly concurrency: number;
  readonly batchSize: number;
}

/** The plumbing every executor shares. One per ActionService; operations run one at a time. */
export class ExecutorKit {
  readonly repo: LibraryRepo;
  readonly log: Logger;
  readonly concurrency: number;
  readonly batchSize: number;
  /** Album UIDs that came back different after an album was (re-)created. */
  readonly aliases = new Map<string, string>();
  readonly #o: ExecutorKitOptions;
  /** UIDs of the running operation whose request went out but whose answer was lost. */
  #unclear = new Set<string>();
  /** Some request of the running operation lost its answer (even one naming no item: a new album). */
  #answerLost = false;

  constructor(options: ExecutorKitOptions) {
    this.#o = options;
    this.repo = options.repo;
    this.log = options.log;
    this.concurrency = options.concurrency;
    this.batchSize = options.batchSize;
  }

  /** Start counting lost answers for one operation. */
  beginRun(): void {
    this.#unclear = new Set();
    this.#answerLost = false;
  }

  /** What lost its answer in the operation that just ran. */
  endRun(): { readonly unclear: ReadonlySet<string>; readonly lost: boolean } {
    const out = { unclear: this.#unclear, lost: this.#answerLost };
    this.beginRun();
    return out;
  }

  /** The signed-in client, or why there is none (offline → network, signed out → auth). */
  client(): PhotoPrismClient | AppError {
    return this.#o.connection.active()?.client ?? notOnlineError(this.#o.connection.status().state);
  }

  resolveAlbum(uid: string): string {
    let current = uid;
    // Bounded walk: aliases form chains (deleted, re-created, deleted, re-created …), never cycles.
    for (let i = 0; i < 100; i++) {
      const next = this.aliases.get(current);
      if (next === undefined || next === current) return current;
      current = next;
    }
    return current;
  }

  /** Connection-level failures change the connection state (401 → sign in; refused → offline). */
  report(error: unknown): void {
    const kind = kindOf(error);
    if (kind === 'network' || kind === 'tls' || kind === 'auth') this.#o.connection.reportFailure(error);
    if (kind === 'internal') this.log.error('action failed unexpectedly', { error });
  }

  failAll(uids: readonly string[], error: unknown, subject: 'photo' | 'album'): Outcome {
    this.report(error);
    const kind = kindOf(error);
    const unclear = mayHaveBeenApplied(error);
    if (unclear) {
      this.#answerLost = true;
      for (const uid of uids) this.#unclear.add(uid);
    }
    const message = unclear ? unclearMessage(uids.length, subject) : failureMessage(kind, { count: uids.length, partial: false, subject });
    return { result: { applied: [], failed: [{ uids: [...uids], kind, message }] }, inverse: undefined };
  }

  /** A single-album request failed: a 404 means the album is gone, so the cache drops it. */
  albumFailed(albumUid: string, error: unknown): Outcome {
    if (kindOf(error) === 'not-found') {
      this.repo.deleteAlbums([albumUid]);
      this.emitChanged([], true);
    }
    return this.failAll([albumUid], error, 'album');
  }

  /** Group a run's failures by kind; photos the server does not know are returned as `gone`. */
  failures(run: RunOutcome<string>, appliedCount: number): { failed: ActionFailure[]; gone: string[] } {
    const groups = new Map<ErrorKind, string[]>();
    const gone: string[] = [];
    // Sent, but the answer was lost: the server may have made these changes (see [Note: Action intents]).
    const unclear: string[] = [];
    const add = (kind: ErrorKind, uids: readonly string[]) => groups.set(kind, [...(groups.get(kind) ?? []), ...uids]);
    for (const { item, error } of run.failed) {
      const kind = kindOf(error);
      if (kind === 'not-found') gone.push(item);
      if (kind === 'internal') this.log.error('action request failed unexpectedly', { error });
      if (mayHaveBeenApplied(error)) {
        unclear.push(item);
        this.#unclear.add(item);
        this.#answerLost = true;
      } else add(kind, [item]);
    }
    if (run.stoppedBy !== undefined) {
      this.report(run.stoppedBy);
      if (run.notAttempted.length > 0) add(kindOf(run.stoppedBy), run.notAttempted);
    }
    const failed: ActionFailure[] = [...groups].map(([kind, uids]) => ({
      uids,
      kind,
      message: failureMessage(kind, { count: uids.length, partial: appliedCount > 0, subject: 'photo' as const }),
    }));
    if (unclear.length > 0) failed.unshift({ uids: unclear, kind: 'network', message: unclearMessage(unclear.length, 'photo') });
    return { failed, gone };
  }

  /** A `not-found` failure for photos the server no longer has. */
  goneFailure(gone: readonly string[], partial: boolean): ActionFailure {
    return { uids: [...gone], kind: 'not-found', message: failureMessage('not-found', { count: gone.length, partial, subject: 'photo' }) };
  }

  /**
   * Update the cache and append the events in ONE transaction, then tell the renderer. Answers
   * a failure if the database refused (the server did change: the next refresh shows it).
   * See [Note: Event log and cache in one transaction].
   */
  commit(params: {
    write: () => void;
    appends: readonly Append[];
    photos: readonly string[];
    albums: boolean;
    uids: readonly string[];
  }): ActionFailure | undefined {
    const syncEnabled = this.#o.syncEnabled();
    // One id for every event of this action: the Activity view shows them as one line.
    const groupId = randomUUID();
    try {
      this.#o.eventLog.transaction(() => {
        params.write();
        for (const append of params.appends) {
          if (append.uids.length === 0) continue;
          this.#o.eventLog.appendLocal(makeEvents(append.name, append.uids), {
            syncEnabled,
            groupId,
            ...(append.action !== undefined ? { action: append.action } : {}),
            ...(append.detail !== undefined ? { detail: append.detail } : {}),
          });
        }
      });
      // A refresh that asked the server before this commit must not write over it.
      this.#o.library.noteLocalChanges([...params.photos, ...params.uids, ...params.appends.flatMap((a) => a.uids)]);
    } catch (error) {
      this.log.error('could not record an action the server accepted', { error });
      return {
        uids: [...params.uids],
        kind: 'db',
        message: 'Your PhotoPrism server made the change, but Photoflare could not record it. It will show after the next refresh.',
      };
    }
    this.emitChanged(params.photos, params.albums);
    return undefined;
  }

  /** Run `fn` in one transaction of the library database (the cache, the event log and the ledger share it). */
  transaction<T>(fn: () => T): T {
    let out: T | undefined;
    this.#o.eventLog.transaction(() => {
      out = fn();
    });
    return out as T;
  }

  /** The outcome when the database refused: nothing recorded, nothing to undo. */
  dbFailed(failure: ActionFailure, failed: readonly ActionFailure[]): Outcome {
    return { result: { applied: [], failed: [failure, ...failed] }, inverse: undefined };
  }

  emitChanged(photoUids: readonly string[], albums: boolean): void {
    if (photoUids.length === 0 && !albums) return;
    const uids = unique(photoUids);
    const full = uids.length > MAX_LISTED_CHANGES;
    this.#o.events.emit('library.changed', { uids: full ? [] : uids, albums, full });
  }

  albumSummary(uid: string): AlbumSummary | undefined {
    return this.repo.albums().find((album) => album.uid === uid);
  }
}
