import { AppError } from '../../shared/errors';
import type { ActionHistory, ActionResult } from '../../shared/ipc/contract';
import type { EventLog } from '../eventlog/event-log';
import type { EventHub } from '../ipc/event-hub';
import type { LibraryRepo } from '../library/library-repo';
import type { LibraryService } from '../library/library-service';
import type { Logger } from '../log/logger';
import { systemClock, type Clock } from '../photoprism/clock';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../sync/backoff';
import type { ConnectionService } from '../photoprism/connection-service';
import { intentOf, resolvedAppends, type ActionIntents } from './action-intents';
import { unique } from './batching';
import { ExecutorKit, type Outcome } from './executor';
import { send } from './executors';
import { labelOf, type Operation } from './operations';
import { UndoHistory } from './undo-history';
import type { MetadataEdit, PhotoMetadata } from '../../shared/library/metadata';
import { readMetadata } from './executors/edit-metadata';

export interface ActionServiceOptions {
  readonly repo: LibraryRepo;
  readonly connection: Pick<ConnectionService, 'active' | 'status' | 'reportFailure'>;
  readonly eventLog: EventLog;
  /** The journal of changes sent whose outcome is not recorded yet. See [Note: Action intents]. */
  readonly intents: ActionIntents;
  /** Refreshes what a lost answer may have changed; told of every committed change (item guard). */
  readonly library: Pick<LibraryService, 'refresh' | 'refreshByUid' | 'noteLocalChanges'>;
  /** Read per action: sync on ⇒ events are `pending`, off ⇒ `local-only` (never pushed later). */
  readonly syncEnabled: () => boolean;
  readonly events: EventHub;
  readonly log: Logger;
  /** Per-photo requests in flight at once (like/unlike, PUT). */
  readonly concurrency?: number;
  /** UIDs per batch request (archive, restore, album membership). */
  readonly batchSize?: number;
  readonly historyLimit?: number;
  /** Timers for re-checking lost answers (the library's clock). */
  readonly clock?: Clock;
}

/** Per-photo requests in flight at once: like the browser's 6–8 sockets per host, and the transport's pool of 8. */
export const DEFAULT_CONCURRENCY = 8;
/**
 * UIDs per batch request. PhotoPrism takes any number, but 500 keeps a request body ~10 KB and a
 * failure mid-way cheap to account for (a 5,000-photo archive is 10 requests).
 */
export const DEFAULT_BATCH_SIZE = 500;

/**
 * Curation actions: favourite, private, archive, title, album membership, album create / rename
 * / delete — and undo/redo of each.
 *
 * Every action follows the same path (architecture.md, "One action, end to end"), run by its
 * executor (main/actions/executors/, see [Note: One skeleton for every executor]): call
 * PhotoPrism; on success, in ONE SQLite transaction update the cache rows and append the event
 * (see [Note: Event log and cache in one transaction]); then tell the renderer which rows
 * changed. On failure nothing is written and the result says what failed and why. Actions run
 * one at a time, in the order they were asked for, so the state an inverse is computed from is
 * the state the action really started from.
 *
 * [Note: Action events]
 * Each action appends events named from PhotoPrism's vocabulary, carrying only UIDs, enough for
 * another device to converge by refreshing those UIDs from its own server:
 * - favourite, private/public, title → `photos.updated` [photos];
 * - approve (Review) → `photos.updated` [photos]: a receiver's refresh reads the new quality;
 * - archive → `photos.archived` [photos] + `albums.updated` [the albums they were in: the server
 *   hid them there, and refreshing only the photos would not drop those memberships];
 * - restore → `photos.restored` [photos] (+ `albums.updated` when an undo put them back);
 * - add to / remove from album → `photos.updated` [photos] (the Activity line "Added 3 photos to
 *   “Trip”" comes from this row) + `albums.updated` [album] (what makes a receiver re-list the
 *   members);
 * - create album → `albums.created` [album] (a receiver's refresh lists its members too);
 *   creating a title that exists returns the existing album (docs/photoprism-api.md §4.3): that is no creation,
 *   so only the membership events, if photos were added;
 * - rename → `albums.updated`; delete → `albums.deleted`.
 * An action over many items is one event per MAX_ENTITIES_PER_EVENT (200) UIDs
 * (shared/events/schema.ts); a 5,000-photo favourite is 25 `photos.updated` events, appended in
 * the same transaction.
 *
 * [Note: Partial failure]
 * What happened on the server DID happen. If the server dies after 3 of 10 batches, the cache
 * is updated and events appended for exactly the items the server accepted; the rest come back
 * in `failed`, grouped by reason, and the renderer rolls only those back. A request whose answer
 * was lost (a timeout, a reset) is not guessed at either: the cache stays as it was, the result
 * says the outcome is being checked, and the journalled intent is resolved against the server,
 * which appends the events if the change was made (see [Note: Action intents]). Nothing is retried automatically: like/unlike are
 * idempotent, but album membership and creation are not worth guessing about.
 *
 * [Note: Undo is an action]
 * Undo runs the recorded inverse as a new action — its own requests, cache update and events
 * (the log never rewrites history; another device converges on the undone state by the same
 * refresh). Inverses restore the state from BEFORE the action for the items it changed: undoing
 * "favourite 3" on a selection where one was already a favourite unfavourites two. Undo of
 * archive restores AND puts the photos back into the albums archiving removed them from. Undo
 * of deleting an album creates it again with its title and members: PhotoPrism restores the
 * soft-deleted album, usually with its old UID; if a new UID comes back, later history steps
 * that name the old one are redirected to it.
 */
export class ActionService {
  readonly #o: ActionServiceOptions;
  readonly #repo: LibraryRepo;
  readonly #log: Logger;
  readonly #history: UndoHistory;
  readonly #intents: ActionIntents;
  readonly #kit: ExecutorKit;
  #queue: Promise<unknown> = Promise.resolve();
  /** Failed attempts to resolve the intents in a row, and the timer of the next one. */
  #resolveAttempt = 0;
  #cancelResolveRetry: (() => void) | undefined;
  #disposed = false;

  constructor(options: ActionServiceOptions) {
    this.#o = options;
    this.#repo = options.repo;
    this.#log = options.log;
    this.#history = new UndoHistory(options.historyLimit);
    this.#intents = options.intents;
    this.#kit = new ExecutorKit({
      repo: options.repo,
      connection: options.connection,
      eventLog: options.eventLog,
      library: options.library,
      syncEnabled: options.syncEnabled,
      events: options.events,
      log: options.log,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    });
  }

  // --- the actions -----------------------------------------------------------------------

  setFavorite(uids: readonly string[], favorite: boolean): Promise<ActionResult> {
    return this.#act({ type: 'favorite', uids, value: favorite });
  }

  /** Uses `PUT /photos/:uid {"Private":…}`; never the batch call, which toggles (docs/photoprism-api.md §5). */
  setPrivate(uids: readonly string[], value: boolean): Promise<ActionResult> {
    return this.#act({ type: 'private', uids, value });
  }

  /**
   * Approve photos waiting in Review (`POST /batch/photos/approve`): they move into the library.
   * Not an undo step: PhotoPrism has no request that puts a photo back into Review.
   */
  approve(uids: readonly string[]): Promise<ActionResult> {
    return this.#act({ type: 'approve', uids });
  }

  setArchived(uids: readonly string[], archived: boolean): Promise<ActionResult> {
    return this.#act({ type: 'archive', uids, value: archived });
  }

  setTitle(uid: string, title: string): Promise<ActionResult> {
    return this.#act({ type: 'title', titles: [{ uid, title }] });
  }

  addToAlbum(albumUid: string, uids: readonly string[]): Promise<ActionResult> {
    return this.#act({ type: 'add', albumUid, uids });
  }

  removeFromAlbum(albumUid: string, uids: readonly string[]): Promise<ActionResult> {
    return this.#act({ type: 'remove', albumUid, uids });
  }

  /** Create an album (or get the existing one of that title) and add `uids`: one undo step. */
  createAlbum(title: string, uids: readonly string[] = []): Promise<ActionResult> {
    return this.#act({ type: 'create-album', title, uids });
  }

  renameAlbum(albumUid: string, title: string): Promise<ActionResult> {
    return this.#act({ type: 'rename-album', albumUid, title });
  }

  deleteAlbum(albumUid: string): Promise<ActionResult> {
    return this.#act({ type: 'delete-album', albumUid });
  }

  /** Set metadata fields on photos (one `PUT` each; the same fields on all of them): one undo step. */
  editMetadata(uids: readonly string[], edit: MetadataEdit): Promise<ActionResult> {
    return this.#act({ type: 'edit', edits: unique(uids).map((uid) => ({ uid, edit })) });
  }

  /** The editable fields of photos, fresh from the server (the inspector; never from the cache). */
  readMetadata(uids: readonly string[]): Promise<PhotoMetadata[]> {
    const client = this.#kit.client();
    if (client instanceof AppError) return Promise.reject(client);
    return readMetadata(client, unique(uids), this.#kit.concurrency).catch((error: unknown) => {
      this.#kit.report(error);
      throw error;
    });
  }

  /** Undo the last action (itself an action: requests, cache, events). */
  undo(): Promise<ActionResult> {
    return this.#exclusive(async () => {
      const entry = this.#history.peekUndo();
      if (!entry) throw new AppError('validation', 'There is nothing to undo.');
      const outcome = await this.#execute(entry.op);
      // Nothing went through (server down): keep the step, so ⌘Z can be tried again.
      if (outcome.result.applied.length > 0 || outcome.result.failed.length === 0) {
        this.#history.undone(outcome.inverse ? { label: entry.label, op: outcome.inverse } : undefined);
        this.#emitHistory();
      }
      return outcome.result;
    });
  }

  /** Redo the last undone action. */
  redo(): Promise<ActionResult> {
    return this.#exclusive(async () => {
      const entry = this.#history.peekRedo();
      if (!entry) throw new AppError('validation', 'There is nothing to redo.');
      const outcome = await this.#execute(entry.op);
      if (outcome.result.applied.length > 0 || outcome.result.failed.length === 0) {
        this.#history.redone(outcome.inverse ? { label: entry.label, op: outcome.inverse } : undefined);
        this.#emitHistory();
      }
      return outcome.result;
    });
  }

  /** What the Edit menu shows for Undo/Redo. */
  history(): ActionHistory {
    return this.#history.snapshot();
  }

  /** Forget the history (sign-out, another server: the old steps name someone else's library). */
  clearHistory(): void {
    this.#history.clear();
    this.#kit.aliases.clear();
    this.#emitHistory();
  }

  // --- plumbing ----------------------------------------------------------------------------

  #act(op: Operation): Promise<ActionResult> {
    return this.#exclusive(async () => {
      const outcome = await this.#execute(op);
      if (outcome.inverse) {
        this.#history.record({ label: labelOf(op), op: outcome.inverse });
        this.#emitHistory();
      }
      return outcome.result;
    });
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Run one operation with its intent journalled around it (see [Note: Action intents]): written
   * before any request when online, deleted when the outcome is clear, narrowed to the items
   * whose answer was lost otherwise, and then resolved against the server.
   */
  async #execute(op: Operation): Promise<Outcome> {
    const online = this.#o.connection.active() !== undefined;
    const namedAlbum = 'albumUid' in op ? this.#repo.albumByUid(this.#kit.resolveAlbum(op.albumUid))?.title : undefined;
    const intent = intentOf(op, namedAlbum);
    let id: number | undefined;
    if (online) {
      try {
        id = this.#intents.record(intent);
      } catch (error) {
        // Without the journal the action still runs, exactly as before it existed.
        this.#log.error('could not journal an action before sending it', { error });
      }
    }
    this.#kit.beginRun();
    const outcome = await send(op, this.#kit);
    const { unclear, lost } = this.#kit.endRun();
    if (id === undefined) return outcome;
    try {
      if (!lost) this.#intents.delete(id);
      else {
        this.#intents.narrow(id, { ...intent, photos: intent.photos.filter((uid) => unclear.has(uid)) });
        // Queued behind this action; a no-op while offline (resolved again when back online).
        void this.resolveIntents();
      }
    } catch (error) {
      this.#log.error('could not update an action intent', { error });
    }
    return outcome;
  }

  /**
   * Resolve every journalled intent against the server: refresh its UIDs, then append the
   * events the server's state shows and delete the intent, in one transaction. Runs in the
   * action queue; does nothing while offline (intents wait for the next time online). Never throws.
   */
  resolveIntents(): Promise<void> {
    this.#cancelResolveRetry?.();
    this.#cancelResolveRetry = undefined;
    return this.#exclusive(async () => {
      if (this.#disposed) return;
      try {
        const intents = this.#intents.all();
        if (intents.length === 0 || this.#o.connection.active() === undefined) return;
        // A created album's UID never reached us: list albums to find it by its title.
        if (intents.some(({ intent }) => intent.type === 'create-album')) await this.#o.library.refresh();
        const uids = unique(intents.flatMap(({ intent }) => [...intent.photos, ...intent.albums]));
        const result = uids.length > 0 ? await this.#o.library.refreshByUid(uids) : undefined;
        if (this.#o.connection.active() === undefined) return;
        const changed = new Set(result?.changed ?? []);
        for (const { id, intent } of intents) {
          const failure = this.#kit.commit({
            write: () => this.#intents.delete(id),
            appends: resolvedAppends(intent, this.#repo, changed),
            photos: [],
            albums: false,
            uids: [],
          });
          if (failure) return this.#retryResolve();
        }
        this.#resolveAttempt = 0;
      } catch (error) {
        this.#log.info('could not check changes whose answer was lost; trying again', { error });
        this.#retryResolve();
      }
    });
  }

  /** Stop the re-check timer (teardown). */
  dispose(): void {
    this.#disposed = true;
    this.#cancelResolveRetry?.();
    this.#cancelResolveRetry = undefined;
  }

  /**
   * Still online but the check failed (a 5xx, the database): try again with the app's one
   * backoff. Offline, going online again triggers the check (actions-module), so no timer.
   */
  #retryResolve(): void {
    if (this.#disposed || this.#o.connection.active() === undefined) return;
    const delayMs = backoffDelayMs(++this.#resolveAttempt, DEFAULT_BACKOFF, Math.random);
    this.#cancelResolveRetry = (this.#o.clock ?? systemClock).setTimeout(() => {
      this.#cancelResolveRetry = undefined;
      void this.resolveIntents();
    }, delayMs);
  }

  /** Forget the unchecked changes (signed in to another server or as someone else). */
  forgetUnchecked(): void {
    try {
      for (const { id } of this.#intents.all()) this.#intents.delete(id);
    } catch (error) {
      this.#log.error('could not forget unchecked changes', { error });
    }
  }

  /** How many changes still wait to be checked against the server (their answer was lost). */
  uncheckedCount(): number {
    return this.#intents.count();
  }

  #emitHistory(): void {
    this.#o.events.emit('actions.history', this.#history.snapshot());
  }
}
