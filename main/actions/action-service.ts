import { randomUUID } from 'node:crypto';
import { AppError, type ErrorKind } from '../../shared/errors';
import { makeEvents, type EventName, type LocalAction } from '../../shared/events/schema';
import { AlbumUid } from '../../shared/ids';
import type { ActionFailure, ActionHistory, ActionResult } from '../../shared/ipc/contract';
import type { AlbumSummary } from '../../shared/library/schemas';
import type { EventLog } from '../eventlog/event-log';
import type { EventHub } from '../ipc/event-hub';
import type { LibraryRepo } from '../library/library-repo';
import type { LibraryService } from '../library/library-service';
import type { Logger } from '../log/logger';
import type { PhotoPrismClient } from '../photoprism/client';
import { systemClock, type Clock } from '../photoprism/clock';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../sync/backoff';
import type { ConnectionService } from '../photoprism/connection-service';
import type { AlbumEntity } from '../photoprism/schemas';
import { failureMessage, isItemError, kindOf, mayHaveBeenApplied, notOnlineError, unclearMessage } from './action-errors';
import { intentOf, resolvedAppends, type ActionIntents } from './action-intents';
import { runChunks, runEach, unique, type RunOutcome } from './batching';
import { labelOf, type Operation } from './operations';
import { UndoHistory } from './undo-history';

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
/** Above this many changed photos, `library.changed` says "everything" instead of listing them. */
const MAX_LISTED_CHANGES = 500;
const ALBUM_PAGE_SIZE = 1000;

/** What running an operation did, and the operation that would reverse it (if anything changed). */
interface Outcome {
  readonly result: ActionResult;
  readonly inverse: Operation | undefined;
}

/** One event (split at the cap by makeEvents) to append with an action's cache update. */
interface Append {
  readonly name: EventName;
  readonly uids: readonly string[];
  readonly action?: LocalAction | undefined;
  readonly detail?: string | undefined;
}

type PhotoFlagOp = Extract<Operation, { type: 'favorite' | 'private' }>;
type MembershipOp = Extract<Operation, { type: 'add' | 'remove' }>;

/**
 * Curation actions: favourite, private, archive, title, album membership, album create / rename
 * / delete — and undo/redo of each.
 *
 * Every action follows the same path (architecture.md, "One action, end to end"): call
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
  readonly #concurrency: number;
  readonly #batchSize: number;
  /** Album UIDs that came back different after an undo re-created an album. */
  readonly #aliases = new Map<string, string>();
  #queue: Promise<unknown> = Promise.resolve();
  /**
   * UIDs of the running operation whose request went out but whose answer was lost (filled by
   * #failAll / #failures). Operations run one at a time, so one set serves them all.
   */
  #unclear = new Set<string>();
  /** Some request of the running operation lost its answer (even one naming no item: a new album). */
  #answerLost = false;
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
    this.#concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.#batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
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
    this.#aliases.clear();
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
    const namedAlbum = 'albumUid' in op ? this.#repo.albumByUid(this.#resolveAlbum(op.albumUid))?.title : undefined;
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
    this.#unclear = new Set();
    this.#answerLost = false;
    const outcome = await this.#run(op);
    const unclear = this.#unclear;
    const lost = this.#answerLost;
    this.#unclear = new Set();
    this.#answerLost = false;
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
          const failure = this.#commit({
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

  #run(op: Operation): Promise<Outcome> {
    switch (op.type) {
      case 'favorite':
      case 'private':
        return this.#setFlag(op);
      case 'approve':
        return this.#approve(op.uids);
      case 'title':
        return this.#setTitles(op.titles);
      case 'archive':
        return this.#archive(op.uids, op.value, op.memberships);
      case 'add':
      case 'remove':
        return this.#membership(op);
      case 'create-album':
        return this.#createAlbum(op.title, op.uids, op.replaces);
      case 'rename-album':
        return this.#renameAlbum(this.#resolveAlbum(op.albumUid), op.title);
      case 'delete-album':
        return this.#deleteAlbum(this.#resolveAlbum(op.albumUid));
    }
  }

  /** The signed-in client, or why there is none (offline → network, signed out → auth). */
  #client(): PhotoPrismClient | AppError {
    return this.#o.connection.active()?.client ?? notOnlineError(this.#o.connection.status().state);
  }

  #resolveAlbum(uid: string): string {
    let current = uid;
    // Bounded walk: aliases form chains (deleted, re-created, deleted, re-created …), never cycles.
    for (let i = 0; i < 100; i++) {
      const next = this.#aliases.get(current);
      if (next === undefined || next === current) return current;
      current = next;
    }
    return current;
  }

  /** Connection-level failures change the connection state (401 → sign in; refused → offline). */
  #report(error: unknown): void {
    const kind = kindOf(error);
    if (kind === 'network' || kind === 'tls' || kind === 'auth') this.#o.connection.reportFailure(error);
    if (kind === 'internal') this.#log.error('action failed unexpectedly', { error });
  }

  #failAll(uids: readonly string[], error: unknown, subject: 'photo' | 'album'): Outcome {
    this.#report(error);
    const kind = kindOf(error);
    const unclear = mayHaveBeenApplied(error);
    if (unclear) {
      this.#answerLost = true;
      for (const uid of uids) this.#unclear.add(uid);
    }
    const message = unclear ? unclearMessage(uids.length, subject) : failureMessage(kind, { count: uids.length, partial: false, subject });
    return { result: { applied: [], failed: [{ uids: [...uids], kind, message }] }, inverse: undefined };
  }

  /** Group a run's failures by kind; photos the server does not know are returned as `gone`. */
  #failures(run: RunOutcome<string>, appliedCount: number): { failed: ActionFailure[]; gone: string[] } {
    const groups = new Map<ErrorKind, string[]>();
    const gone: string[] = [];
    // Sent, but the answer was lost: the server may have made these changes (see [Note: Action intents]).
    const unclear: string[] = [];
    const add = (kind: ErrorKind, uids: readonly string[]) => groups.set(kind, [...(groups.get(kind) ?? []), ...uids]);
    for (const { item, error } of run.failed) {
      const kind = kindOf(error);
      if (kind === 'not-found') gone.push(item);
      if (kind === 'internal') this.#log.error('action request failed unexpectedly', { error });
      if (mayHaveBeenApplied(error)) {
        unclear.push(item);
        this.#unclear.add(item);
        this.#answerLost = true;
      } else add(kind, [item]);
    }
    if (run.stoppedBy !== undefined) {
      this.#report(run.stoppedBy);
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

  /**
   * Update the cache and append the events in ONE transaction, then tell the renderer. Answers
   * a failure if the database refused (the server did change: the next refresh shows it).
   */
  #commit(params: {
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
      this.#log.error('could not record an action the server accepted', { error });
      return {
        uids: [...params.uids],
        kind: 'db',
        message: 'Your PhotoPrism server made the change, but Photoflare could not record it. It will show after the next refresh.',
      };
    }
    this.#emitChanged(params.photos, params.albums);
    return undefined;
  }

  #emitChanged(photoUids: readonly string[], albums: boolean): void {
    if (photoUids.length === 0 && !albums) return;
    const uids = unique(photoUids);
    const full = uids.length > MAX_LISTED_CHANGES;
    this.#o.events.emit('library.changed', { uids: full ? [] : uids, albums, full });
  }

  #emitHistory(): void {
    this.#o.events.emit('actions.history', this.#history.snapshot());
  }

  #albumSummary(uid: string): AlbumSummary | undefined {
    return this.#repo.albums().find((album) => album.uid === uid);
  }

  /** The outcome when the database refused: nothing recorded, nothing to undo. */
  #dbFailed(failure: ActionFailure, failed: readonly ActionFailure[]): Outcome {
    return { result: { applied: [], failed: [failure, ...failed] }, inverse: undefined };
  }

  // --- photos ------------------------------------------------------------------------------

  async #setFlag(op: PhotoFlagOp): Promise<Outcome> {
    const uids = unique(op.uids);
    const client = this.#client();
    if (client instanceof AppError) return this.#failAll(uids, client, 'photo');
    const flag = op.type;
    const prior = this.#repo.photosByUid(uids);
    const run = await runEach(
      uids,
      this.#concurrency,
      async (uid) => {
        if (flag === 'favorite') await (op.value ? client.likePhoto(uid) : client.unlikePhoto(uid));
        else await client.updatePhoto(uid, { Private: op.value });
      },
      isItemError,
    );
    const done = new Set(run.done);
    const applied = uids.filter((uid) => done.has(uid));
    const { failed, gone } = this.#failures(run, applied.length);
    const action: LocalAction = flag === 'favorite' ? (op.value ? 'favourite' : 'unfavourite') : op.value ? 'make-private' : 'make-public';
    const dbFailure = this.#commit({
      write: () => {
        this.#repo.setPhotoFlag(flag, applied, op.value);
        this.#repo.deletePhotos(gone);
      },
      appends: [{ name: 'photos.updated', uids: applied, action }],
      photos: [...applied, ...gone],
      albums: gone.length > 0,
      uids: applied,
    });
    if (dbFailure) return this.#dbFailed(dbFailure, failed);
    const changed = applied.filter((uid) => prior.get(uid)?.[flag] !== op.value);
    return {
      result: { applied, failed },
      inverse: changed.length > 0 ? { type: flag, uids: changed, value: !op.value } : undefined,
    };
  }

  async #setTitles(titles: ReadonlyArray<{ uid: string; title: string }>): Promise<Outcome> {
    const wanted = new Map(titles.map((t) => [t.uid, t.title]));
    const uids = [...wanted.keys()];
    const client = this.#client();
    if (client instanceof AppError) return this.#failAll(uids, client, 'photo');
    const prior = this.#repo.photosByUid(uids);
    const stored = new Map<string, string>();
    const run = await runEach(
      uids,
      this.#concurrency,
      async (uid) => {
        // TitleSrc manual: otherwise PhotoPrism may regenerate the title (docs/photoprism-api.md §2.7).
        const entity = await client.updatePhoto(uid, { Title: wanted.get(uid) ?? '', TitleSrc: 'manual' });
        stored.set(uid, entity.Title);
      },
      isItemError,
    );
    const applied = uids.filter((uid) => stored.has(uid));
    const { failed, gone } = this.#failures(run, applied.length);
    const dbFailure = this.#commit({
      write: () => {
        for (const [uid, title] of stored) this.#repo.setPhotoTitle(uid, title);
        this.#repo.deletePhotos(gone);
      },
      // No LocalAction names a title edit: the Activity view reads "Changed 1 photo".
      appends: [{ name: 'photos.updated', uids: applied }],
      photos: [...applied, ...gone],
      albums: gone.length > 0,
      uids: applied,
    });
    if (dbFailure) return this.#dbFailed(dbFailure, failed);
    const previous = applied.flatMap((uid) => {
      const before = prior.get(uid)?.title;
      return before !== undefined && before !== stored.get(uid) ? [{ uid, title: before }] : [];
    });
    return { result: { applied, failed }, inverse: previous.length > 0 ? { type: 'title', titles: previous } : undefined };
  }

  async #approve(input: readonly string[]): Promise<Outcome> {
    const uids = unique(input);
    const client = this.#client();
    if (client instanceof AppError) return this.#failAll(uids, client, 'photo');
    const run = await runChunks(uids, this.#batchSize, (chunk) => client.approvePhotos(chunk));
    const applied = run.done;
    const { failed } = this.#failures(run, applied.length);
    const dbFailure = this.#commit({
      write: () => void this.#repo.setApproved(applied),
      appends: [{ name: 'photos.updated', uids: applied, action: 'approve' }],
      photos: applied,
      albums: false,
      uids: applied,
    });
    if (dbFailure) return this.#dbFailed(dbFailure, failed);
    return { result: { applied, failed }, inverse: undefined };
  }

  async #archive(
    input: readonly string[],
    archived: boolean,
    memberships: ReadonlyMap<string, readonly string[]> | undefined,
  ): Promise<Outcome> {
    const uids = unique(input);
    const client = this.#client();
    if (client instanceof AppError) return this.#failAll(uids, client, 'photo');
    const prior = this.#repo.photosByUid(uids);
    // Archiving hides the photos in every album on the server (docs/photoprism-api.md §5): remember where they were.
    const albumsBefore = archived ? this.#repo.albumsOfPhotos(uids) : new Map<string, string[]>();
    const run = await runChunks(uids, this.#batchSize, (chunk) => (archived ? client.archivePhotos(chunk) : client.restorePhotos(chunk)));
    const applied = run.done;
    const { failed } = this.#failures(run, applied.length);

    // The undo of an archive: put the restored photos back where archiving took them from.
    const readded = new Map<string, string[]>();
    if (!archived && memberships && applied.length > 0) {
      const restored = new Set(applied);
      for (const [rawAlbum, photos] of memberships) {
        const albumUid = this.#resolveAlbum(rawAlbum);
        const back = photos.filter((uid) => restored.has(uid));
        if (back.length === 0) continue;
        const added = await runChunks(back, this.#batchSize, async (chunk) => {
          await client.addPhotosToAlbum(albumUid, chunk);
        });
        if (added.done.length > 0) readded.set(albumUid, added.done);
        // A 404 means the album is gone: there is nothing to put the photos back into.
        if (added.stoppedBy !== undefined && kindOf(added.stoppedBy) !== 'not-found') {
          this.#report(added.stoppedBy);
          const missed = [...added.failed.map((f) => f.item), ...added.notAttempted];
          const kind = kindOf(added.stoppedBy);
          failed.push({
            uids: missed,
            kind,
            message: `Restored, but not put back into an album: ${failureMessage(kind, { count: missed.length, partial: true, subject: 'photo' })}`,
          });
        }
      }
    }

    const albums = archived ? unique(applied.flatMap((uid) => albumsBefore.get(uid) ?? [])) : [...readded.keys()];
    const dbFailure = this.#commit({
      write: () => {
        this.#repo.setArchived(applied, archived);
        for (const [albumUid, photos] of readded) this.#repo.addAlbumMembers(albumUid, photos);
      },
      appends: [
        { name: archived ? 'photos.archived' : 'photos.restored', uids: applied, action: archived ? 'archive' : 'restore' },
        { name: 'albums.updated', uids: albums },
      ],
      photos: applied,
      albums: albums.length > 0,
      uids: applied,
    });
    if (dbFailure) return this.#dbFailed(dbFailure, failed);

    const changed = applied.filter((uid) => prior.get(uid)?.archived !== archived);
    let inverse: Operation | undefined;
    if (changed.length > 0 && archived) {
      const byAlbum = new Map<string, string[]>();
      for (const uid of changed) {
        for (const albumUid of albumsBefore.get(uid) ?? []) byAlbum.set(albumUid, [...(byAlbum.get(albumUid) ?? []), uid]);
      }
      inverse = { type: 'archive', uids: changed, value: false, memberships: byAlbum };
    } else if (changed.length > 0) {
      inverse = { type: 'archive', uids: changed, value: true };
    }
    return { result: { applied, failed }, inverse };
  }

  // --- albums ------------------------------------------------------------------------------

  async #membership(op: MembershipOp): Promise<Outcome> {
    const albumUid = this.#resolveAlbum(op.albumUid);
    const uids = unique(op.uids);
    const client = this.#client();
    if (client instanceof AppError) return this.#failAll(uids, client, 'photo');
    const before = this.#repo.albumMembers(albumUid);
    const title = this.#repo.albumByUid(albumUid)?.title;
    const resolved = new Set<string>();
    const run = await runChunks(uids, this.#batchSize, async (chunk) => {
      const res = op.type === 'add' ? await client.addPhotosToAlbum(albumUid, chunk) : await client.removePhotosFromAlbum(albumUid, chunk);
      for (const uid of res.photos) resolved.add(uid);
    });
    return this.#finishMembership(op.type, albumUid, title, run, resolved, before);
  }

  /**
   * Record a membership change: cache rows, events, the inverse. `resolved` is what the server
   * said it matched: when adding, photos it did not match are gone from the server (docs/photoprism-api.md §4.6).
   */
  #finishMembership(
    type: 'add' | 'remove',
    albumUid: string,
    title: string | undefined,
    run: RunOutcome<string>,
    resolved: ReadonlySet<string>,
    before: ReadonlySet<string>,
  ): Outcome {
    const albumGone = run.stoppedBy !== undefined && kindOf(run.stoppedBy) === 'not-found';
    const applied = type === 'add' ? run.done.filter((uid) => resolved.has(uid)) : run.done;
    const gone = type === 'add' ? run.done.filter((uid) => !resolved.has(uid)) : [];
    let failed: ActionFailure[];
    if (albumGone) {
      const missed = [...run.failed.map((f) => f.item), ...run.notAttempted];
      failed = [
        {
          uids: missed,
          kind: 'not-found',
          message: failureMessage('not-found', { count: missed.length, partial: false, subject: 'album' }),
        },
      ];
    } else {
      failed = this.#failures(run, applied.length).failed;
    }
    if (gone.length > 0) {
      failed.push({
        uids: gone,
        kind: 'not-found',
        message: failureMessage('not-found', { count: gone.length, partial: applied.length > 0, subject: 'photo' }),
      });
    }
    const dbFailure = this.#commit({
      write: () => {
        if (type === 'add') this.#repo.addAlbumMembers(albumUid, applied);
        else this.#repo.removeAlbumMembers(albumUid, applied);
        this.#repo.deletePhotos(gone);
        if (albumGone) this.#repo.deleteAlbums([albumUid]);
      },
      appends: [
        { name: 'photos.updated', uids: applied, action: type === 'add' ? 'add-to-album' : 'remove-from-album', detail: title },
        { name: 'albums.updated', uids: applied.length > 0 ? [albumUid] : [] },
      ],
      photos: [...applied, ...gone],
      albums: applied.length > 0 || albumGone,
      uids: applied,
    });
    if (dbFailure) return this.#dbFailed(dbFailure, failed);
    const album = this.#albumSummary(albumUid);
    const result: ActionResult = { applied, failed, ...(album ? { album } : {}) };
    if (type === 'add') {
      const added = applied.filter((uid) => !before.has(uid));
      return { result, inverse: added.length > 0 ? { type: 'remove', albumUid, uids: added } : undefined };
    }
    const removed = applied.filter((uid) => before.has(uid));
    return { result, inverse: removed.length > 0 ? { type: 'add', albumUid, uids: removed } : undefined };
  }

  /** Every live manual album's UID, to tell a real creation from PhotoPrism's dedupe (docs/photoprism-api.md §4.3). */
  async #liveAlbumUids(client: PhotoPrismClient): Promise<Set<string>> {
    const uids = new Set<string>();
    for (let offset = 0; ;) {
      const page = await client.searchAlbums({ type: 'album', count: ALBUM_PAGE_SIZE, offset });
      for (const album of page.results) uids.add(album.UID);
      const limit = Number.isFinite(page.limit) ? page.limit : ALBUM_PAGE_SIZE;
      if (page.count <= 0 || page.count < limit || page.results.length === 0) return uids;
      offset += page.count;
    }
  }

  async #createAlbum(rawTitle: string, input: readonly string[], replaces: string | undefined): Promise<Outcome> {
    const title = rawTitle.trim();
    const uids = unique(input);
    const client = this.#client();
    if (client instanceof AppError) return this.#failAll(uids, client, 'album');
    let entity: AlbumEntity;
    let existing: Set<string>;
    try {
      // POST /albums returns an existing album of the same title instead of creating one, and
      // the response does not say which happened: look first. Undoing a "create" that only
      // found an existing album must not delete that album.
      existing = await this.#liveAlbumUids(client);
      entity = await client.createAlbum(title);
    } catch (error) {
      return this.#failAll(uids, error, 'album');
    }
    if (!AlbumUid.safeParse(entity.UID).success) {
      return this.#failAll(uids, new AppError('server', 'The server answered with an album UID Photoflare does not understand.'), 'album');
    }
    const albumUid = entity.UID;
    if (replaces !== undefined && replaces !== albumUid) this.#aliases.set(replaces, albumUid);
    const isNew = !existing.has(albumUid);
    const before = this.#repo.albumMembers(albumUid);
    const resolved = new Set<string>();
    const run =
      uids.length === 0
        ? { done: [], failed: [], notAttempted: [], stoppedBy: undefined }
        : await runChunks(uids, this.#batchSize, async (chunk) => {
            for (const uid of (await client.addPhotosToAlbum(albumUid, chunk)).photos) resolved.add(uid);
          });
    const applied = run.done.filter((uid) => resolved.has(uid));
    const gone = run.done.filter((uid) => !resolved.has(uid));
    const { failed } = this.#failures(run, applied.length);
    if (gone.length > 0) {
      failed.push({
        uids: gone,
        kind: 'not-found',
        message: failureMessage('not-found', { count: gone.length, partial: applied.length > 0, subject: 'photo' }),
      });
    }
    const appends: Append[] = isNew
      ? [{ name: 'albums.created', uids: [albumUid], action: 'create-album', detail: entity.Title }]
      : [
          { name: 'photos.updated', uids: applied, action: 'add-to-album', detail: entity.Title },
          { name: 'albums.updated', uids: applied.length > 0 ? [albumUid] : [] },
        ];
    const dbFailure = this.#commit({
      write: () => {
        if (!this.#repo.albumByUid(albumUid)) {
          this.#repo.upsertAlbums([
            {
              uid: albumUid,
              title: entity.Title,
              favorite: entity.Favorite,
              thumbHash: entity.Thumb,
              serverPhotoCount: before.size + applied.length,
              serverUpdatedAt: entity.UpdatedAt,
            },
          ]);
        }
        this.#repo.addAlbumMembers(albumUid, applied);
        this.#repo.deletePhotos(gone);
      },
      appends,
      photos: [...applied, ...gone],
      albums: true,
      uids: [albumUid, ...applied],
    });
    if (dbFailure) return this.#dbFailed(dbFailure, failed);
    const album = this.#albumSummary(albumUid);
    const result: ActionResult = { applied: [albumUid, ...applied], failed, ...(album ? { album } : {}) };
    if (isNew) return { result, inverse: { type: 'delete-album', albumUid } };
    const added = applied.filter((uid) => !before.has(uid));
    return { result, inverse: added.length > 0 ? { type: 'remove', albumUid, uids: added } : undefined };
  }

  /** A single-album request failed: a 404 means the album is gone, so the cache drops it. */
  #albumFailed(albumUid: string, error: unknown): Outcome {
    if (kindOf(error) === 'not-found') {
      this.#repo.deleteAlbums([albumUid]);
      this.#emitChanged([], true);
    }
    return this.#failAll([albumUid], error, 'album');
  }

  async #renameAlbum(albumUid: string, rawTitle: string): Promise<Outcome> {
    const title = rawTitle.trim();
    const client = this.#client();
    if (client instanceof AppError) return this.#failAll([albumUid], client, 'album');
    const prior = this.#repo.albumByUid(albumUid);
    let entity: AlbumEntity;
    try {
      entity = await client.updateAlbum(albumUid, { Title: title });
    } catch (error) {
      return this.#albumFailed(albumUid, error);
    }
    const dbFailure = this.#commit({
      write: () => {
        if (prior) this.#repo.setAlbumTitle(albumUid, entity.Title);
        else {
          this.#repo.upsertAlbums([
            {
              uid: albumUid,
              title: entity.Title,
              favorite: entity.Favorite,
              thumbHash: entity.Thumb,
              serverPhotoCount: 0,
              serverUpdatedAt: entity.UpdatedAt,
            },
          ]);
        }
      },
      appends: [{ name: 'albums.updated', uids: [albumUid], action: 'rename-album', detail: entity.Title }],
      photos: [],
      albums: true,
      uids: [albumUid],
    });
    if (dbFailure) return this.#dbFailed(dbFailure, []);
    const album = this.#albumSummary(albumUid);
    return {
      result: { applied: [albumUid], failed: [], ...(album ? { album } : {}) },
      inverse: prior && prior.title !== entity.Title ? { type: 'rename-album', albumUid, title: prior.title } : undefined,
    };
  }

  async #deleteAlbum(albumUid: string): Promise<Outcome> {
    const client = this.#client();
    if (client instanceof AppError) return this.#failAll([albumUid], client, 'album');
    const prior = this.#repo.albumByUid(albumUid);
    const members = [...this.#repo.albumMembers(albumUid)];
    let entity: AlbumEntity;
    try {
      entity = await client.deleteAlbum(albumUid);
    } catch (error) {
      return this.#albumFailed(albumUid, error);
    }
    const title = entity.Title || prior?.title || '';
    const dbFailure = this.#commit({
      write: () => {
        this.#repo.deleteAlbums([albumUid]);
      },
      appends: [{ name: 'albums.deleted', uids: [albumUid], action: 'delete-album', detail: title }],
      photos: [],
      albums: true,
      uids: [albumUid],
    });
    if (dbFailure) return this.#dbFailed(dbFailure, []);
    return {
      result: { applied: [albumUid], failed: [] },
      inverse: title !== '' ? { type: 'create-album', title, uids: members, replaces: albumUid } : undefined,
    };
  }
}
