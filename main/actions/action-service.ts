import { AppError } from '../../shared/errors';
import type { ActionHistory, ActionResult, PendingChanges } from '../../shared/ipc/contract';
import type { EventLog } from '../eventlog/event-log';
import type { EventHub } from '../ipc/event-hub';
import type { LibraryRepo } from '../library/library-repo';
import type { LibraryService } from '../library/library-service';
import type { Logger } from '../log/logger';
import { systemClock, type Clock } from '../platform/clock';
import { backoffDelayMs, PHOTOPRISM_BACKOFF } from '../platform/backoff';
import type { ConnectionService } from '../photoprism/connection-service';
import { intentOf, resolvedAppends, type ActionIntents, type QueuedAction } from './action-intents';
import { unique } from './batching';
import { ExecutorKit, type LocalOutcome, type Outcome } from './executor';
import { executorOf, send } from './executors';
import {
  checkAgainstServer,
  conflictReason,
  isTransient,
  joinParts,
  photosOf,
  restrict,
  summaryOf,
  type Refused,
  type ServerCheck,
} from './offline-queue';
import { labelOf, type Operation } from './operations';
import { UndoHistory, type HistoryEntry } from './undo-history';
import { photoTypesFor, type EditChoices, type MetadataEdit, type PhotoMetadata } from '../../shared/library/metadata';
import { cachedMetadata, readMetadata } from './executors/edit-metadata';
import { SerialQueue } from '../platform/serial-queue';

export interface ActionServiceOptions {
  readonly repo: LibraryRepo;
  readonly connection: Pick<ConnectionService, 'active' | 'status' | 'reportFailure'>;
  readonly eventLog: EventLog;
  /** The journal of changes sent whose outcome is not recorded yet. See [Note: Action intents]. */
  readonly intents: ActionIntents;
  /** Refreshes what a lost answer may have changed; told of every committed change (item guard). */
  readonly library: Pick<LibraryService, 'refresh' | 'refreshByUid' | 'noteLocalChanges' | 'holdsChanged' | 'relistAlbums'>;
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
  readonly #serial = new SerialQueue();
  /** Failed attempts to resolve the intents in a row, and the timer of the next one. */
  #resolveAttempt = 0;
  #cancelResolveRetry: (() => void) | undefined;
  /** Failed attempts to send the queue in a row, and the timer of the next one. */
  #drainAttempt = 0;
  #cancelDrainRetry: (() => void) | undefined;
  /** Photo and album UIDs named by queued actions (read by the library's refresh guard). */
  #pendingUids = new Set<string>();
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
    // What a previous run left queued is held from the first refresh on.
    this.#reloadPending();
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
    // A type the server's release does not know would be stored as an unknown word (the form binds any string).
    const types = photoTypesFor(this.#o.connection.status().serverVersion);
    if (edit.type !== undefined && !types.includes(edit.type)) {
      return Promise.reject(
        new AppError('validation', `Your PhotoPrism server’s version does not know the type “${edit.type}”. Choose ${types.join(', ')}.`),
      );
    }
    return this.#act({ type: 'edit', edits: unique(uids).map((uid) => ({ uid, edit })) });
  }

  /** Make one version of a stack its primary one: one undo step (its inverse chooses the old one). See [Note: Stack actions]. */
  choosePrimary(uid: string, fileUid: string): Promise<ActionResult> {
    return this.#act({ type: 'primary', uid, fileUid });
  }

  /** Move one version out of its stack into a photo of its own. Not an undo step: PhotoPrism cannot stack files again. */
  unstack(uid: string, fileUid: string): Promise<ActionResult> {
    return this.#act({ type: 'unstack', uid, fileUid });
  }

  /**
   * The editable fields of photos, fresh from the server (the inspector). Offline (signed in, the
   * server out of reach) from the cache instead, each marked with the fields it does not hold, so
   * an edit can still be made and queued.
   */
  readMetadata(uids: readonly string[]): Promise<PhotoMetadata[]> {
    const client = this.#kit.client();
    if (client instanceof AppError) {
      if (this.#o.connection.status().state === 'signed-out') return Promise.reject(client);
      const cached = cachedMetadata(this.#repo, unique(uids));
      if (cached.length === 0) {
        return Promise.reject(
          new AppError('network', 'This Mac has no offline copy of these photos. Connect to your PhotoPrism server to edit them.'),
        );
      }
      return Promise.resolve(cached);
    }
    return readMetadata(client, unique(uids), this.#kit.concurrency).catch((error: unknown) => {
      this.#kit.report(error);
      throw error;
    });
  }

  /**
   * What the inspector's menus offer: the cameras and lenses of the server's config (read now, and
   * kept for offline use), else this Mac's copy of the last ones; and the media types the server's
   * version knows (photoTypesFor). Never fails: without any list the menus say why.
   */
  async editChoices(): Promise<EditChoices> {
    const types = [...photoTypesFor(this.#o.connection.status().serverVersion)];
    const client = this.#kit.client();
    if (!(client instanceof AppError)) {
      try {
        const { devices } = await client.libraryFeatures();
        if (devices) {
          this.#repo.setDeviceLists(devices);
          return { ...devices, types, source: 'server' };
        }
      } catch (error) {
        this.#log.warn('could not read the camera and lens lists; using this Mac’s copy', { error });
      }
    }
    const cached = this.#repo.deviceLists();
    return cached ? { ...cached, types, source: 'cache' } : { cameras: [], lenses: [], types, source: 'none' };
  }

  /** Undo the last action (itself an action: requests, cache, events; or, still queued, its cancellation). */
  undo(): Promise<ActionResult> {
    return this.#exclusive(async () => {
      const entry = this.#history.peekUndo();
      if (!entry) throw new AppError('validation', 'There is nothing to undo.');
      const { result, next, done } = await this.#step(entry);
      // Nothing went through (server down): keep the step, so ⌘Z can be tried again.
      if (done) {
        this.#history.undone(next);
        this.#emitHistory();
      }
      return result;
    });
  }

  /** Redo the last undone action. */
  redo(): Promise<ActionResult> {
    return this.#exclusive(async () => {
      const entry = this.#history.peekRedo();
      if (!entry) throw new AppError('validation', 'There is nothing to redo.');
      const { result, next, done } = await this.#step(entry);
      if (done) {
        this.#history.redone(next);
        this.#emitHistory();
      }
      return result;
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
      const { result, next } = await this.#perform({ label: labelOf(op), op });
      if (next) {
        this.#history.record(next);
        this.#emitHistory();
      }
      return result;
    });
  }

  /** Run a history step: cancel it if its action still waits in the queue, otherwise perform its operation. */
  async #step(entry: HistoryEntry): Promise<{ result: ActionResult; next: HistoryEntry | undefined; done: boolean }> {
    if (entry.queuedId !== undefined) {
      const cancelled = this.#cancelQueued(entry.queuedId, entry.op, entry.label);
      if (cancelled && entry.sent) {
        // Sent in part: the parts the server has are reversed too; redo does the whole action again.
        const { result, next } = await this.#perform({ label: entry.label, op: entry.sent });
        const redo = joinParts(cancelled.next?.op, next?.op);
        return {
          result: { ...result, applied: unique([...cancelled.result.applied, ...result.applied]) },
          next: redo ? { label: entry.label, op: redo } : undefined,
          done: true,
        };
      }
      if (cancelled) return { ...cancelled, done: true };
    }
    // No longer queued (the rest went meanwhile): the parts sent are what there is to reverse.
    if (entry.sent) entry = { label: entry.label, op: entry.sent };
    const { result, next } = await this.#perform(entry);
    return { result, next, done: result.applied.length > 0 || result.failed.length === 0 };
  }

  /**
   * Send an operation now, or queue it (offline, or behind actions already queued); answers the
   * result and the history step that reverses it. See [Note: The offline queue].
   */
  async #perform(entry: HistoryEntry): Promise<{ result: ActionResult; next: HistoryEntry | undefined }> {
    const { op, label } = entry;
    const executor = executorOf(op);
    if (executor.applyLocally && this.#mustQueue()) {
      const local = this.#enqueue(op, executor.applyLocally.bind(executor));
      if (local) {
        const album = local.albumUid !== undefined ? this.#kit.albumSummary(local.albumUid) : undefined;
        return {
          result: { applied: [...local.applied], failed: [], queued: true, ...(album ? { album } : {}) },
          next: local.inverse ? { label, op: local.inverse, queuedId: local.id } : undefined,
        };
      }
    }
    const outcome = await this.#execute(op);
    return { result: outcome.result, next: outcome.inverse ? { label, op: outcome.inverse } : undefined };
  }

  /** Queue, don't send: not online (but signed in somewhere), or older actions still wait. */
  #mustQueue(): boolean {
    const state = this.#o.connection.status().state;
    if (state === 'signed-out') return false;
    try {
      return this.#o.connection.active() === undefined || this.#intents.queuedCount() > 0;
    } catch (error) {
      this.#log.error('could not read the offline queue', { error });
      return false;
    }
  }

  /**
   * Write the operation's effect to the cache and append it to the queue, in ONE transaction.
   * Undefined if the database refused (then the caller sends it as usual, which fails with why).
   */
  #enqueue(op: Operation, applyLocally: (op: Operation, kit: ExecutorKit) => LocalOutcome): (LocalOutcome & { id: number }) | undefined {
    const namedAlbum = 'albumUid' in op ? this.#repo.albumByUid(this.#kit.resolveAlbum(op.albumUid))?.title : undefined;
    let queued: (LocalOutcome & { id: number }) | undefined;
    try {
      queued = this.#kit.transaction(() => {
        const local = applyLocally(op, this.#kit);
        const id = this.#intents.enqueue(local.queued, intentOf(local.queued, namedAlbum), summaryOf(local.queued, namedAlbum));
        return { ...local, id };
      });
    } catch (error) {
      this.#log.error('could not queue an action', { error });
      return undefined;
    }
    this.#queueChanged();
    this.#kit.emitChanged(queued.photos, queued.albums);
    // Online but behind older queued actions: send them all now, in order.
    if (this.#o.connection.active() !== undefined) void this.drainQueue();
    return queued;
  }

  /** Cancel a queued action (its undo): put the cache back with `rollback`, drop the row. Undefined if it is no longer queued. */
  #cancelQueued(id: number, rollback: Operation, label: string): { result: ActionResult; next: HistoryEntry | undefined } | undefined {
    const executor = executorOf(rollback);
    if (!executor.applyLocally) return undefined;
    let local: LocalOutcome | undefined;
    // An edit's redo is the edit as queued: the cache cannot say what it set in the fields it does not hold (keywords, …).
    let original: Operation | undefined;
    try {
      local = this.#kit.transaction(() => {
        if (rollback.type === 'edit') original = this.#intents.queued().find((row) => row.id === id)?.op;
        return this.#intents.cancel(id) ? executor.applyLocally?.(rollback, this.#kit) : undefined;
      });
    } catch (error) {
      this.#log.error('could not cancel a queued action', { error });
      return undefined;
    }
    if (!local) return undefined;
    this.#queueChanged();
    this.#kit.emitChanged(local.photos, local.albums);
    const album = local.albumUid !== undefined ? this.#kit.albumSummary(local.albumUid) : undefined;
    return {
      result: { applied: [...local.applied], failed: [], ...(album ? { album } : {}) },
      // Redo performs the original operation again (sent, or queued again while offline).
      next: original ? { label, op: original } : local.inverse ? { label, op: local.inverse } : undefined,
    };
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#serial.run(fn);
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
    this.#afterSend(op, outcome);
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

  // --- the offline queue (see [Note: The offline queue]) ------------------------------------

  /** Everything that waits for the server: lost answers to check, then queued actions to send. Never throws. */
  async catchUp(): Promise<void> {
    await this.resolveIntents();
    await this.drainQueue();
  }

  /**
   * Send the queued actions, in order, while online. Stops at the first failure that says "not
   * now" (the rest keep their place); refuses per item what the server no longer allows. Never throws.
   */
  drainQueue(): Promise<void> {
    return this.#exclusive(async () => {
      if (this.#disposed || this.#o.connection.active() === undefined) return;
      try {
        if (await this.#drain()) this.#drainAttempt = 0;
        else this.#retryLater();
      } catch (error) {
        this.#log.info('could not send the queued changes; trying again', { error });
        this.#retryLater();
      }
    });
  }

  /** True when the queue is empty (or only waits for the connection), false when a retry is due. */
  async #drain(): Promise<boolean> {
    const rows = this.#intents.queued();
    if (rows.length === 0) return true;
    // One look at every photo the queue names: deleted or archived there meanwhile? Held photos are not written.
    const photos = unique(rows.flatMap((row) => photosOf(row.op)));
    const found = photos.length > 0 ? await this.#o.library.refreshByUid(photos) : undefined;
    const check = { archived: new Set(found?.archived ?? []), absent: new Set(found?.absent ?? []) } satisfies ServerCheck;
    const toRefresh: string[] = [];
    try {
      for (const row of rows) {
        if (this.#disposed || this.#o.connection.active() === undefined) return true;
        const verdict = await this.#sendQueued(row, check);
        toRefresh.push(...verdict.refused);
        // The server took something: it is up, so a failure after this waits the first step again.
        if (verdict.sent || verdict.applied.length > 0) this.#drainAttempt = 0;
        // Each action is checked against the server as the ones before it leave it: a photo the
        // person restored and then favourited offline is not "archived meanwhile".
        if (row.op.type === 'archive') {
          for (const uid of verdict.applied) {
            if (row.op.value) check.archived.add(uid);
            else check.archived.delete(uid);
          }
        }
        if (!verdict.sent) return false;
      }
      return true;
    } finally {
      // Refused items: the cache shows what the person did; the server's state puts it back
      // (no longer held, unless a later queued action names them too).
      this.#reloadPending();
      if (toRefresh.length > 0 && this.#o.connection.active() !== undefined) {
        await this.#o.library
          .refreshByUid(unique(toRefresh))
          .catch((error: unknown) => this.#log.info('could not refresh refused changes', { error }));
      }
      this.#queueChanged();
    }
  }

  /**
   * Send one queued action through its executor (which commits what the server accepted, with
   * its events). `sent` false: a transient failure, the row keeps its place with what is left.
   */
  async #sendQueued(row: QueuedAction, check: ServerCheck): Promise<{ sent: boolean; refused: string[]; applied: readonly string[] }> {
    const { sendable, refused } = checkAgainstServer(row.op, check);
    const conflicts: Refused[] = [...refused];
    let outcome: Outcome | undefined;
    if (sendable) {
      this.#kit.beginRun();
      outcome = await send(sendable, this.#kit);
      this.#kit.endRun();
      this.#afterSend(sendable, outcome);
    }
    const failed = outcome?.result.failed ?? [];
    const transient = failed.filter(isTransient);
    for (const failure of failed) {
      if (isTransient(failure)) continue;
      if (failure.kind === 'db') this.#log.error('a queued change reached the server but was not recorded', { id: row.id });
      else conflicts.push({ uids: failure.uids, reason: failure.message.replace(/\.$/, '') });
    }
    const albumUid = outcome?.result.album?.uid;
    const refusedUids = conflicts.flatMap((c) => c.uids);
    if (transient.length > 0 && sendable) {
      // Still to send: only what did not go through (a new album that was made: add to it instead).
      const left = new Set(transient.flatMap((f) => f.uids));
      let rest = restrict(sendable, left) ?? sendable;
      if (rest.type === 'create-album' && albumUid !== undefined && outcome && outcome.result.applied.includes(albumUid)) {
        rest = { type: 'add', albumUid, uids: rest.uids };
      }
      const namedAlbum = 'albumUid' in rest ? this.#repo.albumByUid(rest.albumUid)?.title : undefined;
      this.#intents.requeue(row.id, rest, intentOf(rest, namedAlbum), row.summary);
      this.#settleHistory(row.id, outcome?.result.applied ?? [], outcome?.inverse, rest);
      return { sent: false, refused: refusedUids, applied: outcome?.result.applied ?? [] };
    }
    // A new album got its real UID: later actions (and history steps) naming the local one follow it.
    if (row.op.type === 'create-album' && row.op.replaces !== undefined && albumUid !== undefined && albumUid !== row.op.replaces) {
      this.#kit.aliases.set(row.op.replaces, albumUid);
      this.#intents.renameAlbum(row.op.replaces, albumUid);
    }
    if (conflicts.length > 0) this.#intents.refuse(row.id, conflictReason(conflicts));
    else this.#intents.delete(row.id);
    this.#settleHistory(row.id, outcome?.result.applied ?? [], outcome?.inverse);
    const albums = 'albumUid' in row.op ? [row.op.albumUid] : [];
    return { sent: true, refused: conflicts.length > 0 ? [...refusedUids, ...albums] : [], applied: outcome?.result.applied ?? [] };
  }

  /** What the cache learns from the server after an operation went through. */
  #afterSend(op: Operation, outcome: Outcome): void {
    // Restored photos are back in whichever albums the server has them in (see LibraryService.relistAlbums).
    if (op.type === 'archive' && !op.value && outcome.result.applied.length > 0) {
      this.#o.library.relistAlbums().catch((error: unknown) => this.#log.info('could not re-list albums after a restore', { error }));
    }
  }

  /**
   * A queued action was sent: its history step stops being a cancellation and undoes what the
   * server accepted. The step's operation was computed from the cache before the action (the
   * server's answer cannot be: the cache already showed the change), narrowed to `applied`.
   * An edit is the exception: its executor read each photo from the server before the PUT, so
   * its inverse (`sent`) names every edited field, also those the cache does not hold.
   */
  #settleHistory(id: number, applied: readonly string[], sent: Operation | undefined, rest?: Operation): void {
    const accepted = new Set(applied);
    // Album steps (delete the album, make it again, rename it back) stand or fall with the album.
    const albumLevel = (op: Operation) => photosOf(op).length === 0 || op.type === 'create-album';
    const narrow = (op: Operation): Operation | undefined => {
      if (op.type === 'edit') return sent?.type === 'edit' ? sent : undefined;
      return albumLevel(op) ? op : restrict(op, accepted);
    };
    this.#history.settle(id, (entry) => {
      // Parts sent before this one are reversed by the same step.
      const reverse = joinParts(entry.sent, narrow(entry.op));
      if (rest === undefined) return reverse ? { label: entry.label, op: reverse } : undefined;
      // Sent in part, the rest queued again: the step still cancels the rest (its cache rollback,
      // for the photos still waiting) and also reverses the parts sent, so no part loses its undo.
      const waiting = new Set(photosOf(rest));
      const rollback = albumLevel(entry.op) ? entry.op : (restrict(entry.op, waiting) ?? entry.op);
      return { label: entry.label, op: rollback, queuedId: id, ...(reverse ? { sent: reverse } : {}) };
    });
    this.#emitHistory();
  }

  /** The queue as the status, the menu bar and Activity show it. */
  pending(): PendingChanges {
    try {
      const waiting = this.#intents.queued();
      const refused = this.#intents.refused();
      return {
        waiting: waiting.length,
        items: [
          ...waiting.map((row) => ({ id: row.id, state: 'waiting' as const, summary: row.summary, reason: null, at: row.createdAt })),
          ...refused.map((row) => ({
            id: row.id,
            state: 'conflict' as const,
            summary: row.summary,
            reason: row.reason,
            at: row.createdAt,
          })),
        ],
      };
    } catch (error) {
      this.#log.error('could not read the offline queue', { error });
      return { waiting: 0, items: [] };
    }
  }

  /** The person read a refused change: forget it. */
  dismissConflict(id: number): PendingChanges {
    this.#intents.dismiss(id);
    this.#queueChanged();
    return this.pending();
  }

  /** Is this photo or album named by a queued action? (The library holds it: see LibraryService.holdWhilePending.) */
  isPending = (uid: string): boolean => this.#pendingUids.has(uid);

  /** The queue changed: re-read what it holds, tell the renderer (status, menu bar, Activity). */
  #queueChanged(): void {
    this.#reloadPending();
    // Items the queue held may be free now: the library reads what it skipped for them again.
    this.#o.library.holdsChanged();
    this.#o.events.emit('actions.pending', this.pending());
  }

  #reloadPending(): void {
    try {
      this.#pendingUids = new Set(this.#intents.queued().flatMap((row) => [...row.intent.photos, ...row.intent.albums]));
    } catch (error) {
      this.#log.error('could not read the offline queue', { error });
    }
  }

  /** Still online but the queue could not be sent (a 5xx, a lost answer): try again with the app's one backoff. */
  #retryLater(): void {
    if (this.#disposed || this.#cancelDrainRetry || this.#o.connection.active() === undefined) return;
    const delayMs = backoffDelayMs(++this.#drainAttempt, PHOTOPRISM_BACKOFF, Math.random);
    this.#cancelDrainRetry = (this.#o.clock ?? systemClock).setTimeout(() => {
      this.#cancelDrainRetry = undefined;
      void this.drainQueue();
    }, delayMs);
  }

  /** Stop the re-check timer (teardown). */
  dispose(): void {
    this.#disposed = true;
    this.#cancelResolveRetry?.();
    this.#cancelResolveRetry = undefined;
    this.#cancelDrainRetry?.();
    this.#cancelDrainRetry = undefined;
  }

  /**
   * Still online but the check failed (a 5xx, the database): try again with the app's one
   * backoff. Offline, going online again triggers the check (actions-module), so no timer.
   */
  #retryResolve(): void {
    if (this.#disposed || this.#o.connection.active() === undefined) return;
    const delayMs = backoffDelayMs(++this.#resolveAttempt, PHOTOPRISM_BACKOFF, Math.random);
    this.#cancelResolveRetry = (this.#o.clock ?? systemClock).setTimeout(() => {
      this.#cancelResolveRetry = undefined;
      void this.resolveIntents();
    }, delayMs);
  }

  /**
   * Forget the unchecked and queued changes (signed in to another server or as someone else:
   * they name the old library, and sending them to this one would change the wrong photos).
   */
  forgetUnchecked(): void {
    try {
      const queued = this.#intents.queuedCount();
      if (queued > 0) this.#log.warn('dropped queued changes: signed in to another library', { queued });
      this.#intents.clear();
    } catch (error) {
      this.#log.error('could not forget unchecked changes', { error });
    }
    this.#queueChanged();
  }

  /** How many changes still wait to be checked against the server (their answer was lost). */
  uncheckedCount(): number {
    return this.#intents.count();
  }

  #emitHistory(): void {
    this.#o.events.emit('actions.history', this.#history.snapshot());
  }
}
