import { isPhotoEventName } from '../../shared/events/schema';
import type { SyncState, SyncStatus } from '../../shared/sync/state';
import { recordQuerySubscription, zoneSubscription, type CallerIdentity, type CloudKitClient } from '../cloudkit/client';
import type { CourierNotification } from '../cloudkit/courier';
import { CloudKitError, isCloudKitError, isRetryableCloudKitKind } from '../cloudkit/errors';
import type { EventLog, StoredEvent } from '../eventlog/event-log';
import type { Logger } from '../log/logger';
import type { Clock } from '../platform/clock';
import { describeRemoteEvents, type CacheSnapshot } from './remote-activity';
import { SyncScheduler, type RunOutcome, type SyncTrigger } from './scheduler';
import { fromCloudRecord, holdsEvent, toCreateOperation } from './serializer';

/**
 * What replay needs from the library: refresh items from this device's own PhotoPrism server.
 * The server is the truth, so replay is idempotent and order-free.
 */
export interface LibraryReplayer {
  refreshPhotos(uids: readonly string[], signal: AbortSignal): Promise<void>;
  refreshAlbums(uids: readonly string[], signal: AbortSignal): Promise<void>;
  /** For a device away longer than the retention horizon: events it missed are gone. */
  refreshAll(signal: AbortSignal): Promise<void>;
  /**
   * After `photos.restored`: re-list the albums whose members moved (a restored photo is back in
   * whichever albums the server has it in; the cache had none for it while archived).
   */
  relistAlbums(signal: AbortSignal): Promise<void>;
  /** The cache's state of these items, read before and after a refresh (see [Note: What happened on another device]). */
  snapshot?(photoUids: readonly string[], albumUids: readonly string[]): CacheSnapshot;
}

export interface SyncEngineOptions {
  readonly eventLog: EventLog;
  readonly cloud: CloudKitClient;
  readonly replayer: LibraryReplayer;
  readonly log: Logger;
  /** Settings' syncEnabled: off ⇒ the engine makes zero requests. */
  readonly isEnabled: () => boolean;
  /** The PhotoPrism link, for the status line ("Can't reach your PhotoPrism server"). */
  readonly photoprismStatus: () => SyncStatus['photoprism'];
  readonly onStatus: (status: SyncStatus) => void;
  /** Events older than this are deleted from iCloud (default 30 days). */
  readonly retentionMs?: number;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly debounceMs?: number;
  readonly intervalMs?: number;
  readonly hiddenIntervalMs?: number;
  /** This app's version: after an upgrade, quarantined records are checked again. */
  readonly appVersion?: string;
  /** Subscription id for the zone's push notifications (default `<zone>-changes`). */
  readonly subscriptionId?: string;
  /** Listen to the web courier for near-instant pulls (off in some tests). */
  readonly courier?: {
    run(options: {
      mint: () => Promise<{ webcourierUrl: string; expiresAtMs: number | undefined }>;
      onNotification: (notification: Pick<CourierNotification, 'kind' | 'zoneName'>) => void;
      onGap?: () => void;
      signal: AbortSignal;
    }): Promise<void>;
  };
}

/** Keys of the engine's cursor in the event log's sync_meta table. */
const META = {
  user: 'userRecordName',
  zoneReady: 'zoneReady',
  zoneDeleted: 'zoneDeletedByUser',
  dbToken: 'databaseSyncToken',
  zoneToken: 'zoneSyncToken',
  lastSyncedAt: 'lastSyncedAt',
  lastRetentionAt: 'lastRetentionAt',
  paused: 'paused',
  quarantineCheckedBy: 'quarantineCheckedByVersion',
} as const;
/** The cursor's keys, for the salvage of a damaged database (main/db/salvage.ts). */
export { META as SYNC_META };

const DAY_MS = 24 * 60 * 60_000;
export const DEFAULT_RETENTION_MS = 30 * DAY_MS;
const PUSH_BATCH = 200;
/** Remote events applied per batch (so UIDs per refresh call); the library batches its own server requests below this. */
const REPLAY_BATCH = 5_000;
/**
 * [Note: Stale sync token behind a server error]
 * How many runs in a row a changes/* request made with a stored token may fail with a server-side
 * error (5xx, INTERNAL_ERROR, TRY_AGAIN_LATER, an unreadable answer) before the token itself is
 * suspected. Web Services documents no code for an expired token (Apple: CloudKit Web Services
 * Reference, "Error Codes" lists none; CloudKit's native CKError.changeTokenExpired says to refetch
 * from scratch), so a stale token may come back as a server error forever. Fetching from no token
 * is always safe: the log dedupes by record name.
 */
const TOKEN_SUSPECT_AFTER_FAILURES = 3;
/** After iCloud refused our subscriptions, ask again this much later (not on every run). */
const SUBSCRIPTION_RETRY_MS = 60 * 60_000;

/**
 * Who the `users/caller` identity is: its userRecordName. One accessor, so a change in how the
 * client returns the identity touches one line.
 */
function userRecordNameOf(caller: CallerIdentity): string {
  return caller.userRecordName;
}

/** A run stops early with this when the user must act; the state says why. */
class Halt extends Error {
  constructor(readonly state: SyncState) {
    super(state.name);
  }
}

/**
 * The iCloud Sync engine, modelled on CKSyncEngine: push the outbox, pull the zone's changes,
 * replay remote events by refreshing from PhotoPrism.
 *
 * State machine (published to the UI and the menu bar as SyncStatus). Every state of
 * shared/sync/state.ts, and what enters it:
 *
 *   ┌──────────┐ enable            ┌───────────────┐ signed in  ┌──────┐ trigger ┌─────────┐
 *   │ disabled │──────────────────►│ needs-sign-in │───────────►│ idle │────────►│ syncing │
 *   └──────────┘◄── disable (any) ─└───────────────┘◄─ 401/421 ─└──────┘◄── ok ──└─────────┘
 *                                                                ▲  ▲  ▲            │  │  │
 *        pause ──► paused ── resume ─────────────────────────────┘  │  └─ backoff ◄─┘  │  │ throttled, 5xx, PhotoPrism
 *                                                                   │     (until, why)    │  │ down during replay
 *                          confirmAccountSwitch, uploadAgain ───────┤                     │  │
 *                                                                   │   offline ◄─────────┘  │ iCloud unreachable
 *                                                                   │   (retry with backoff)  │
 *                                                                   └──── error ◄─────────────┘
 *   error kinds: quota-full, web-access-off, container-not-set-up (stop until a trigger);
 *   zone-deleted (left by "Upload again", uploadAgain → idle); account-changed (a different
 *   Apple ID; left by sync.confirmAccountSwitch → idle); internal (an unexpected iCloud error,
 *   retried with backoff).
 *
 * Errors (docs/cloudkit.md §5): auth → needs-sign-in; zone missing → on a device that synced with it, the
 * user deleted it ([Note: Zone deleted elsewhere]), else create it; sync token
 * rejected → restart from no token (the log dedupes by record name); zone deleted by the user
 * → stop, keep local data, wait for "Upload again"; account switch → reset tokens and never push
 * one account's events to another; quota → stop pushing, keep the outbox, tell the user; records
 * refused for a missing schema → stop, keep the outbox ([Note: Container without a schema]).
 * See [Note: One run at a time] for scheduling.
 */
export class SyncEngine {
  readonly #o: SyncEngineOptions;
  readonly #scheduler: SyncScheduler;
  readonly #retentionMs: number;
  #state: SyncState;
  #courier: AbortController | undefined;
  #identityChecked = false;
  /** Consecutive server-side failures of a changes/* request made with the stored token. */
  readonly #tokenFailures = { db: 0, zone: 0 };
  /** See [Note: Live updates are best-effort]. `unknown` until first tried. */
  readonly #live: { subscriptions: 'unknown' | 'ok' | 'failed'; courier: 'unknown' | 'ok' | 'failed' } = {
    subscriptions: 'unknown',
    courier: 'unknown',
  };
  #subscriptionsRetryAt = 0;
  /** A different iCloud user than this device synced with, waiting for the person's yes. */
  #switchOffered: string | undefined;
  /** The user the person said yes to; the switch happens on the next run. */
  #switchConfirmed: string | undefined;
  #unsubscribeLog: (() => void) | undefined;

  constructor(options: SyncEngineOptions) {
    this.#o = options;
    this.#retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.#scheduler = new SyncScheduler({
      run: (signal) => this.#run(signal),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
      ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
      ...(options.hiddenIntervalMs !== undefined ? { hiddenIntervalMs: options.hiddenIntervalMs } : {}),
      onBackoff: (until, reason, attempt) => {
        if (this.#state.name !== 'offline') this.#transition({ name: 'backoff', until, reason, attempt });
      },
    });
    this.#state = this.#restingState();
  }

  get state(): SyncState {
    return this.#state;
  }

  status(): SyncStatus {
    const liveUpdates = this.#liveUpdates();
    return {
      state: this.#state,
      pendingCount: this.#o.eventLog.countPending(),
      photoprism: this.#o.photoprismStatus(),
      ...(liveUpdates ? { liveUpdates } : {}),
    };
  }

  /** Start if enabled: the first run, the courier, the triggers. Safe to call repeatedly. */
  start(): void {
    this.#unsubscribeLog ??= this.#o.eventLog.onAppend(() => {
      this.#publish();
      this.trigger('local-change');
    });
    if (!this.#o.isEnabled() || this.#isPaused()) {
      this.#transition(this.#restingState());
      return;
    }
    this.#scheduler.start();
    this.#startCourier();
  }

  /** Stop everything: no timers, no requests in flight. */
  stop(): void {
    this.#scheduler.stop();
    this.#stopCourier();
  }

  dispose(): void {
    this.stop();
    this.#unsubscribeLog?.();
  }

  /** Settings changed (sync turned on or off). */
  settingsChanged(): void {
    if (this.#o.isEnabled()) this.start();
    else {
      this.stop();
      this.#transition({ name: 'disabled' });
    }
  }

  trigger(reason: SyncTrigger): void {
    if (!this.#o.isEnabled() || this.#isPaused()) return;
    this.#scheduler.trigger(reason);
  }

  /** "Sync Now" from the menu bar or Settings. */
  syncNow(): void {
    if (this.#state.name === 'error' && this.#state.kind === 'zone-deleted') return;
    this.trigger('manual');
  }

  setWindowVisible(visible: boolean): void {
    this.#scheduler.setVisible(visible);
    if (visible) this.trigger('focus');
  }

  pause(): void {
    this.#o.eventLog.setMeta(META.paused, '1');
    this.stop();
    this.#transition({ name: 'paused' });
  }

  resume(): void {
    this.#o.eventLog.setMeta(META.paused, undefined);
    this.#transition(this.#restingState());
    this.start();
  }

  /** Run the sign-in flow (the shell opens Apple's page and captures the token), then sync. */
  async signIn(): Promise<void> {
    await this.#o.cloud.signIn();
    this.#identityChecked = false;
    this.#transition({ name: 'idle', lastSyncedAt: this.#lastSyncedAt() });
    this.start();
    this.trigger('manual');
  }

  /**
   * The person confirmed the different iCloud account sync now finds (state `account-changed`):
   * start over with it. This device's unsent events stay local-only.
   */
  confirmAccountSwitch(): void {
    if (this.#switchOffered === undefined) return;
    this.#switchConfirmed = this.#switchOffered;
    this.#identityChecked = false;
    this.#transition({ name: 'idle', lastSyncedAt: this.#lastSyncedAt() });
    this.start();
    this.trigger('manual');
  }

  /** Forget the iCloud token. Local data stays. */
  signOut(): void {
    this.stop();
    this.#o.cloud.signOut();
    this.#transition(this.#o.isEnabled() ? { name: 'needs-sign-in', reason: 'Signed out of iCloud.' } : { name: 'disabled' });
  }

  /**
   * After the user deleted Photoflare's data in iCloud settings: upload the events still within
   * the retention horizon again, into a fresh zone. Only on the user's word.
   */
  async uploadAgain(): Promise<void> {
    const log = this.#o.eventLog;
    log.setMeta(META.zoneDeleted, undefined);
    this.#resetCursor();
    log.requeuePushedSince(this.#now() - this.#retentionMs);
    this.#transition({ name: 'idle', lastSyncedAt: this.#lastSyncedAt() });
    this.start();
    this.trigger('manual');
  }

  /** "View iCloud data": every record in our zone, fetched from iCloud now. */
  async fetchCloudEvents(): Promise<Array<{ recordName: string; payload: unknown }>> {
    if (!this.#o.isEnabled()) return [];
    const out: Array<{ recordName: string; payload: unknown }> = [];
    try {
      for await (const page of this.#o.cloud.iterateZoneChanges({})) {
        for (const record of page.records) {
          if (record.deleted) continue;
          out.push({ recordName: record.recordName, payload: fromCloudRecord(record, this.#o.cloud.config.recordType).payload });
        }
      }
    } catch (error) {
      if (isCloudKitError(error) && error.kind === 'zone-not-found') return [];
      throw error;
    }
    return out;
  }

  /**
   * "Delete iCloud data": delete our zone (every record with it) and turn nothing back on by
   * itself. Afterwards the container holds nothing of ours.
   */
  async deleteCloudData(): Promise<void> {
    this.stop();
    await this.#o.cloud.deleteZone();
    this.#resetCursor();
    this.#o.eventLog.setMeta(META.zoneReady, undefined);
  }

  /**
   * One run right now, outside the scheduler: for tests and benchmarks that want to step the
   * engine deterministically. Never mix with start().
   */
  runOnce(signal: AbortSignal = new AbortController().signal): Promise<RunOutcome> {
    return this.#run(signal);
  }

  // --- One run -----------------------------------------------------------------------------

  async #run(signal: AbortSignal): Promise<RunOutcome> {
    if (!this.#o.isEnabled()) {
      this.#transition({ name: 'disabled' });
      return { kind: 'halt' };
    }
    if (this.#o.eventLog.getMeta(META.zoneDeleted)) {
      this.#transition(zoneDeletedState());
      return { kind: 'halt' };
    }
    if (!this.#o.cloud.hasWebAuthToken()) {
      this.#transition({ name: 'needs-sign-in', reason: 'Sign in to iCloud to sync.' });
      return { kind: 'halt' };
    }
    // iCloud answered part of this run: a later failure is a passing one ([Note: A backoff per dependency]).
    let progressed = false;
    try {
      await this.#checkIdentity(signal);
      await this.#ensureZone(signal);
      await this.#ensureSubscriptions(signal);
      // Database changes first: that is how we learn the user deleted our zone in iCloud
      // settings, before a push could mistake it for a vanished zone and recreate it.
      const database = await this.#fetchDatabaseChanges(signal);
      progressed = true;
      await this.#push(signal);
      await this.#pullZone(database, signal);
      await this.#recheckQuarantine(signal);
      const replayFailure = await this.#replay(signal).then(
        () => undefined,
        (error: unknown) => {
          if (signal.aborted || isCloudKitError(error)) throw error;
          return error;
        },
      );
      await this.#applyRetention(signal);
      if (replayFailure !== undefined) {
        // Pushed and pulled: only PhotoPrism is behind, on its own backoff ([Note: A backoff per dependency]).
        this.#o.log.warn('replay failed; remote events are kept for later', { error: replayFailure });
        const reason = replayFailure instanceof Error ? replayFailure.message : 'PhotoPrism cannot be reached';
        return { kind: 'retry', dependency: 'photoprism', reason };
      }
      const now = this.#now();
      this.#o.eventLog.setMeta(META.lastSyncedAt, String(now));
      this.#transition({ name: 'idle', lastSyncedAt: now });
      return { kind: 'ok' };
    } catch (error) {
      const outcome = this.#fail(error, signal);
      return outcome.kind === 'retry' && progressed ? { ...outcome, progressed } : outcome;
    }
  }

  #fail(error: unknown, signal: AbortSignal): RunOutcome {
    if (error instanceof Halt) {
      this.#transition(error.state);
      return { kind: 'halt' };
    }
    if (signal.aborted || (isCloudKitError(error) && error.kind === 'aborted')) {
      this.#transition(this.#restingState());
      return { kind: 'halt' };
    }
    if (!isCloudKitError(error)) {
      // Replay failures (PhotoPrism down) and bugs: keep the data, try again later.
      this.#o.log.warn('sync run failed', { error });
      return { kind: 'retry', reason: error instanceof Error ? error.message : 'unexpected error' };
    }
    switch (error.kind) {
      case 'auth-required':
      case 'auth-failed':
      case 'sign-in-failed':
        this.#identityChecked = false;
        // Deaf until signed in again: a notification could only wake a run that fails the same way.
        this.#stopCourier();
        this.#transition({ name: 'needs-sign-in', reason: 'Your iCloud sign-in expired. Sign in again to keep syncing.' });
        return { kind: 'halt' };
      case 'access-denied':
        this.#transition({
          name: 'error',
          kind: 'web-access-off',
          message:
            'iCloud refused access. Turn on “Access iCloud Data on the Web” in iCloud settings (it is off with Advanced Data Protection), then sign in again.',
        });
        return { kind: 'halt' };
      case 'quota-exceeded':
        this.#transition({
          name: 'error',
          kind: 'quota-full',
          message: 'Your iCloud storage is full. Your changes are kept on this Mac and will sync when there is space again.',
        });
        return { kind: 'halt' };
      case 'network':
        this.#transition({ name: 'offline' });
        return { kind: 'retry', reason: 'iCloud cannot be reached' };
      default:
        if (isRetryableCloudKitKind(error.kind)) {
          return {
            kind: 'retry',
            reason: error.kind === 'throttled' ? 'iCloud asked us to slow down' : 'iCloud is busy',
            ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
          };
        }
        this.#o.log.error('sync run failed with an unexpected iCloud error', { kind: error.kind, code: error.serverErrorCode });
        this.#transition({ name: 'error', kind: 'internal', message: error.message });
        return { kind: 'retry', reason: error.kind };
    }
  }

  /**
   * Detect an account switch behind the same token (or a sign-in as someone else, or a forged
   * sign-in: [Note: iCloud callback nonce]): ask the person before using the new account, and
   * never push one account's events to another.
   */
  async #checkIdentity(signal: AbortSignal): Promise<void> {
    if (this.#identityChecked) return;
    const caller = userRecordNameOf(await this.#o.cloud.getCaller({ signal }));
    const known = this.#o.eventLog.getMeta(META.user);
    if (known !== undefined && known !== caller) {
      if (this.#switchConfirmed !== caller) {
        // Nothing is pushed to (or pulled from) the new account until the person says yes.
        this.#switchOffered = caller;
        throw new Halt({
          name: 'error',
          kind: 'account-changed',
          message: 'iCloud is signed in with a different Apple ID than the one this device synced with.',
        });
      }
      const kept = this.#o.eventLog.demotePendingToLocalOnly();
      this.#resetCursor();
      this.#o.eventLog.setMeta(META.zoneReady, undefined);
      this.#o.eventLog.setMeta(META.zoneDeleted, undefined);
      this.#o.log.warn('iCloud account changed; starting over with the new account', { keptLocalOnly: kept });
    }
    this.#switchOffered = undefined;
    this.#switchConfirmed = undefined;
    this.#o.eventLog.setMeta(META.user, caller);
    this.#identityChecked = true;
  }

  async #ensureZone(signal: AbortSignal): Promise<void> {
    const zoneName = this.#o.cloud.config.zoneName;
    if (this.#o.eventLog.getMeta(META.zoneReady) === zoneName) return;
    await this.#o.cloud.ensureZone(zoneName, { signal });
    this.#o.eventLog.setMeta(META.zoneReady, zoneName);
    // The zone is new (or new to us): its subscriptions may be missing too.
    this.#live.subscriptions = 'unknown';
    this.#subscriptionsRetryAt = 0;
  }

  /**
   * [Note: Live updates are best-effort]
   * Subscriptions and the web courier only make other devices' events arrive sooner; pushing and
   * pulling never depend on them. If iCloud refuses `subscriptions/modify` or `tokens/create`
   * (a container without the schema's index, a quirk of the live service, docs/cloudkit.md §7.3), the timer and
   * window-focus pulls carry sync and the status says live updates are unavailable. We ask for
   * two subscriptions with fixed IDs (re-creating one with its own ID is a no-op, docs/cloudkit.md §7.3): a query
   * subscription on `create` of our record type, the kind seen live on the courier (docs/cloudkit.md §7.2), and a
   * zone subscription, in case zone notifications reach it too (docs/cloudkit.md §10.11).
   */
  async #ensureSubscriptions(signal: AbortSignal): Promise<void> {
    if (!this.#o.courier || this.#live.subscriptions === 'ok' || this.#now() < this.#subscriptionsRetryAt) return;
    const { zoneName, recordType } = this.#o.cloud.config;
    try {
      const results = await this.#o.cloud.ensureSubscriptions(
        [
          recordQuerySubscription(`${recordType}-created`, { recordType, zoneName, firesOn: ['create'] }),
          zoneSubscription(this.#subscriptionId(), zoneName),
        ],
        { signal },
      );
      const refused = results.filter((result) => !result.ok);
      // The query subscription is the one known to reach the courier; without it, no live updates.
      if (results[0]?.ok !== true) throw refused[0]?.ok === false ? refused[0].error : new CloudKitError('unexpected-response');
      for (const result of refused)
        if (!result.ok) this.#o.log.warn('iCloud refused a subscription', { id: result.name, kind: result.error.kind });
      this.#setLive('subscriptions', 'ok');
    } catch (error) {
      if (signal.aborted || (isCloudKitError(error) && (error.kind === 'auth-required' || error.kind === 'auth-failed'))) throw error;
      this.#o.log.warn('iCloud refused the subscriptions; live updates are unavailable', {
        kind: isCloudKitError(error) ? error.kind : 'internal',
      });
      this.#subscriptionsRetryAt = this.#now() + SUBSCRIPTION_RETRY_MS;
      this.#setLive('subscriptions', 'failed');
    }
  }

  #setLive(part: 'subscriptions' | 'courier', value: 'ok' | 'failed'): void {
    if (this.#live[part] === value) return;
    this.#live[part] = value;
    this.#publish();
  }

  #liveUpdates(): SyncStatus['liveUpdates'] {
    if (!this.#o.courier || !this.#o.isEnabled()) return undefined;
    if (this.#live.subscriptions === 'failed' || this.#live.courier === 'failed') return 'unavailable';
    if (this.#live.subscriptions === 'ok' && this.#live.courier === 'ok') return 'on';
    return undefined;
  }

  async #push(signal: AbortSignal): Promise<void> {
    const log = this.#o.eventLog;
    const recordType = this.#o.cloud.config.recordType;
    let total = log.countPending();
    let done = 0;
    let zoneRecovered = false;
    while (total > 0) {
      const batch = log.pending(PUSH_BATCH);
      if (batch.length === 0) break;
      this.#transition({ name: 'syncing', phase: 'pushing', done, total });
      let results;
      try {
        results = await this.#o.cloud.modifyRecords(
          batch.map((event) => toCreateOperation(event, recordType)),
          { signal },
        );
      } catch (error) {
        if (!isCloudKitError(error) || error.kind !== 'zone-not-found') throw error;
        // The whole request was refused because the zone is missing: same as per-record below.
        results = batch.map((event) => ({ ok: false as const, name: event.id, error }));
      }
      const pushed: string[] = [];
      const refused: CloudKitError[] = [];
      const taken: string[] = [];
      let zoneMissing = false;
      for (const result of results) {
        if (result.ok) {
          pushed.push(result.name);
          continue;
        }
        if (result.error.kind === 'exists') {
          // EXISTS: maybe an earlier attempt got through before its answer was lost; checked below.
          taken.push(result.name);
          continue;
        }
        const kind = result.error.kind;
        if (kind === 'zone-not-found') zoneMissing = true;
        // Full iCloud or a passing failure ends this run; #fail decides what happens next.
        else if (kind === 'quota-exceeded' || isRetryableCloudKitKind(kind)) throw result.error;
        else {
          // A record iCloud will never take: leave it pending, tell the log, move on.
          this.#o.log.error('iCloud refused an event', { id: result.name, kind, reason: result.error.reason });
          refused.push(result.error);
        }
      }
      pushed.push(...(await this.#ownRecords(taken, batch, signal)));
      log.markPushed(pushed);
      done += pushed.length;
      if (zoneMissing) {
        if (zoneRecovered) throw new CloudKitError('zone-not-found', { operation: 'records/modify' });
        zoneRecovered = true;
        await this.#zoneMissing(signal);
        continue;
      }
      if (isSchemaMissing(refused, pushed.length)) throw new Halt(containerNotSetUpState());
      if (refused.length > 0 && pushed.length === 0) break;
      const left = log.countPending();
      if (left === 0) break;
      total = Math.max(total, done + left);
    }
  }

  /**
   * Of the events whose `create` answered EXISTS, the ones iCloud really holds (same two fields):
   * an earlier attempt of ours got through. A different record under our name means our event was
   * never stored: it gets a fresh name and stays in the outbox for the next batch.
   */
  async #ownRecords(taken: readonly string[], batch: readonly StoredEvent[], signal: AbortSignal): Promise<string[]> {
    if (taken.length === 0) return [];
    const recordType = this.#o.cloud.config.recordType;
    const byId = new Map(batch.map((event) => [event.id, event]));
    const ours: string[] = [];
    for (const result of await this.#o.cloud.lookupRecords(taken, { signal })) {
      const stored = byId.get(result.name);
      if (!stored) continue;
      if (result.ok && holdsEvent(result.value, stored, recordType)) ours.push(result.name);
      else if (result.ok) {
        const renamed = this.#o.eventLog.renamePending(stored.id);
        this.#o.log.warn('iCloud holds another record under an event’s name; pushing the event under a new name', {
          id: stored.id,
          renamed,
        });
      } else if (result.error.kind !== 'not-found') throw result.error;
      // NOT_FOUND: deleted since (retention elsewhere): it stays pending and is created again.
    }
    return ours;
  }

  /**
   * [Note: Zone deleted elsewhere]
   * ZONE_NOT_FOUND for our zone. On a device that has synced with it, the zone was there and is
   * gone: the user deleted Photoflare's data (iCloud settings, "Delete iCloud Data" on another
   * device), even when `changes/database` did not report the deletion. Re-creating it silently
   * would undo their choice, so: if a lookup confirms it is gone, stop and ask ("Upload again" or
   * turn sync off); if it is there after all (a passing error), resend. A device that never synced
   * creates the zone, as on first run.
   */
  async #zoneMissing(signal: AbortSignal): Promise<void> {
    const log = this.#o.eventLog;
    const zoneName = this.#o.cloud.config.zoneName;
    const hadSynced = log.getMeta(META.zoneReady) === zoneName && this.#lastSyncedAt() !== null;
    if (hadSynced) {
      const [found] = await this.#o.cloud.lookupZones([zoneName], { signal });
      if (found?.ok) return;
      if (found && found.error.kind !== 'zone-not-found') throw found.error;
      this.#haltZoneDeleted();
    }
    log.setMeta(META.zoneReady, undefined);
    this.#resetCursor();
    await this.#ensureZone(signal);
  }

  #haltZoneDeleted(): never {
    const log = this.#o.eventLog;
    log.setMeta(META.zoneDeleted, '1');
    log.setMeta(META.zoneReady, undefined);
    this.#resetCursor();
    throw new Halt(zoneDeletedState());
  }

  /** Which zones changed since our database token; halts if the user deleted our zone. */
  async #fetchDatabaseChanges(signal: AbortSignal): Promise<{ zoneChanged: boolean; dbToken: string | undefined; fromScratch: boolean }> {
    const log = this.#o.eventLog;
    const zoneName = this.#o.cloud.config.zoneName;
    let dbToken = log.getMeta(META.dbToken);
    let zoneChanged = log.getMeta(META.zoneToken) === undefined;
    let fromScratch = false;
    this.#transition({ name: 'syncing', phase: 'pulling', done: 0, total: 0 });
    for (;;) {
      let page;
      try {
        page = await this.#o.cloud.fetchDatabaseChanges({ syncToken: dbToken, signal });
      } catch (error) {
        if (dbToken !== undefined && this.#tokenLooksStale('db', error)) {
          // A stale database token means the zone token is from the same past: drop both.
          dbToken = undefined;
          zoneChanged = true;
          fromScratch = true;
          continue;
        }
        throw error;
      }
      this.#tokenFailures.db = 0;
      for (const zone of page.zones) {
        if (zone.zoneName !== zoneName) continue;
        if (zone.deleted) this.#haltZoneDeleted();
        zoneChanged = true;
      }
      if (page.moreComing && page.syncToken === dbToken) throw repeatedTokenError('changes/database');
      dbToken = page.syncToken;
      if (!page.moreComing) break;
    }
    return { zoneChanged, dbToken, fromScratch };
  }

  /** The zone's records, page by page; each page's events and its token in one transaction. */
  async #pullZone(
    database: { zoneChanged: boolean; dbToken: string | undefined; fromScratch: boolean },
    signal: AbortSignal,
  ): Promise<void> {
    const log = this.#o.eventLog;
    const zoneName = this.#o.cloud.config.zoneName;
    // No zone token: first pull, or the push just recreated the zone and reset the cursor.
    if (database.zoneChanged || log.getMeta(META.zoneToken) === undefined) {
      let zoneToken = database.fromScratch ? undefined : log.getMeta(META.zoneToken);
      let received = 0;
      let zoneRecovered = false;
      for (;;) {
        let page;
        try {
          page = await this.#o.cloud.fetchZoneChanges({ zoneName, syncToken: zoneToken, signal });
        } catch (error) {
          if (zoneToken !== undefined && this.#tokenLooksStale('zone', error)) {
            // Start over from no token; insertRemote dedupes by record name.
            zoneToken = undefined;
            continue;
          }
          if (isCloudKitError(error) && error.kind === 'zone-not-found' && !zoneRecovered) {
            zoneRecovered = true;
            await this.#zoneMissing(signal);
            zoneToken = undefined;
            continue;
          }
          throw error;
        }
        this.#tokenFailures.zone = 0;
        const incoming = page.records.filter((r) => !r.deleted).map((r) => fromCloudRecord(r, this.#o.cloud.config.recordType));
        log.transaction(() => {
          const result = log.insertRemote(incoming);
          received += result.inserted.length;
          log.setMeta(META.zoneToken, page.syncToken);
        });
        if (page.moreComing && page.syncToken === zoneToken) throw repeatedTokenError('changes/zone');
        zoneToken = page.syncToken;
        this.#transition({ name: 'syncing', phase: 'pulling', done: received, total: received });
        if (!page.moreComing) break;
      }
    }
    // The database token goes last: if we crash before this, the next run re-reads the zone.
    log.setMeta(META.dbToken, database.dbToken);
  }

  /**
   * Apply every pulled event, a bounded batch at a time (memory and each refresh call stay
   * small), with progress over the whole backlog; a run ends only when nothing is left to apply.
   */
  async #replay(signal: AbortSignal): Promise<void> {
    const log = this.#o.eventLog;
    const total = log.countUnapplied();
    if (total === 0) return;
    const lastSyncedAt = this.#lastSyncedAt();
    let done = 0;
    this.#transition({ name: 'syncing', phase: 'replaying', done, total });
    if (lastSyncedAt !== null && this.#now() - lastSyncedAt > this.#retentionMs) {
      // Away longer than the horizon: events we never saw are gone, so refresh everything.
      await this.#o.replayer.refreshAll(signal);
      for (let events = log.unapplied(REPLAY_BATCH); events.length > 0; events = log.unapplied(REPLAY_BATCH)) {
        log.markApplied(events.map((e) => e.id));
      }
      this.#transition({ name: 'syncing', phase: 'replaying', done: total, total });
      return;
    }
    for (let events = log.unapplied(REPLAY_BATCH); events.length > 0; events = log.unapplied(REPLAY_BATCH)) {
      signal.throwIfAborted();
      // Coalesce: each UID is refreshed once per batch, however many events name it.
      const photos = new Set<string>();
      const albums = new Set<string>();
      for (const { event } of events) {
        const target = isPhotoEventName(event.event) ? photos : albums;
        for (const entity of event.data.entities) target.add(entity.UID);
      }
      const replayer = this.#o.replayer;
      const before = replayer.snapshot?.([...photos], [...albums]);
      if (photos.size > 0) await replayer.refreshPhotos([...photos], signal);
      if (albums.size > 0) await replayer.refreshAlbums([...albums], signal);
      if (events.some(({ event }) => event.event === 'photos.restored')) await replayer.relistAlbums(signal);
      const after = replayer.snapshot?.([...photos], [...albums]);
      log.transaction(() => {
        if (before && after) log.describeRemote(describeRemoteEvents(events, before, after));
        log.markApplied(events.map((e) => e.id));
      });
      done += events.length;
      this.#transition({ name: 'syncing', phase: 'replaying', done, total: Math.max(total, done) });
    }
  }

  /**
   * Once per app version: records an older version quarantined are fetched again from iCloud and
   * validated with this version's schema (a newer app may understand a newer event). Those that
   * pass are applied like any pulled event; the rest stay quarantined. Fetched anew rather than
   * re-read from the kept raw payload, which is truncated for diagnosis.
   */
  async #recheckQuarantine(signal: AbortSignal): Promise<void> {
    const version = this.#o.appVersion;
    const log = this.#o.eventLog;
    if (version === undefined || log.getMeta(META.quarantineCheckedBy) === version) return;
    const ids = log.quarantinedIds();
    if (ids.length > 0) {
      const recordType = this.#o.cloud.config.recordType;
      const found = await this.#o.cloud.lookupRecords(ids, { signal });
      const requalified = log.requalify(found.flatMap((result) => (result.ok ? [fromCloudRecord(result.value, recordType)] : [])));
      if (requalified.length > 0) this.#o.log.info('quarantined events understood by this version', { count: requalified.length, version });
    }
    log.setMeta(META.quarantineCheckedBy, version);
  }

  /** Once a day, delete events older than the horizon from iCloud (and from this log). */
  async #applyRetention(signal: AbortSignal): Promise<void> {
    const log = this.#o.eventLog;
    const now = this.#now();
    const last = Number(log.getMeta(META.lastRetentionAt) ?? 0);
    if (now - last < DAY_MS) return;
    const cutoff = now - this.#retentionMs;
    for (;;) {
      const old = log.olderThan(cutoff, PUSH_BATCH).filter((e) => e.status !== 'pending');
      if (old.length === 0) break;
      const inCloud = old.filter((e) => e.status === 'pushed' || e.origin === 'remote');
      if (inCloud.length > 0) {
        const results = await this.#o.cloud.modifyRecords(
          inCloud.map((e) => ({ operationType: 'forceDelete' as const, recordName: e.id })),
          { signal },
        );
        const failed = results.find((r) => !r.ok && r.error.kind !== 'not-found');
        if (failed && !failed.ok) throw failed.error;
      }
      log.delete(old.map((e) => e.id));
    }
    log.setMeta(META.lastRetentionAt, String(now));
  }

  // --- Helpers -----------------------------------------------------------------------------

  #stopCourier(): void {
    this.#courier?.abort();
    this.#courier = undefined;
    this.#live.courier = 'unknown';
  }

  #startCourier(): void {
    const courier = this.#o.courier;
    if (!courier || this.#courier) return;
    const controller = new AbortController();
    this.#courier = controller;
    void courier
      .run({
        mint: async () => {
          try {
            const token = await this.#o.cloud.createApnsToken({ signal: controller.signal });
            this.#setLive('courier', 'ok');
            return { webcourierUrl: token.webcourierUrl, expiresAtMs: token.expiresAtMs };
          } catch (error) {
            if (isCloudKitError(error) && (error.kind === 'auth-required' || error.kind === 'auth-failed')) {
              // No token for the courier without a sign-in: a run finds out and says so.
              this.#stopCourier();
              this.trigger('courier');
            }
            // The poller backs off and asks again; meanwhile timer and focus pulls carry sync.
            else if (!controller.signal.aborted) this.#setLive('courier', 'failed');
            throw error;
          }
        },
        // Both kinds (ck.qry for our record type, ck.fet for our zone) mean "pull now".
        onNotification: (notification) => {
          if (notification.zoneName === undefined || notification.zoneName === this.#o.cloud.config.zoneName) this.trigger('courier');
        },
        // The courier was unreachable or silent: a frame may be lost with the connection, so pull.
        // It re-parks after a failure, so iCloud may be back: that cuts a backoff like the network coming back.
        onGap: () => this.trigger('network'),
        signal: controller.signal,
      })
      .catch((error: unknown) => this.#o.log.warn('courier stopped', { error }));
  }

  /**
   * Whether a changes/* failure with a stored token means "start over from no token": the
   * client classified it as an expired token, or a server-side error has now repeated
   * [Note: Stale sync token behind a server error] times in a row. Counts the failure.
   */
  #tokenLooksStale(feed: 'db' | 'zone', error: unknown): boolean {
    if (!isCloudKitError(error)) return false;
    if (error.kind === 'sync-token-expired') {
      this.#tokenFailures[feed] = 0;
      return true;
    }
    if (error.kind !== 'server' && error.kind !== 'try-again-later' && error.kind !== 'unexpected-response') return false;
    this.#tokenFailures[feed] += 1;
    if (this.#tokenFailures[feed] < TOKEN_SUSPECT_AFTER_FAILURES) return false;
    this.#o.log.warn('a sync token kept failing with server errors; fetching changes again from the start', { feed, kind: error.kind });
    this.#tokenFailures[feed] = 0;
    return true;
  }

  #subscriptionId(): string {
    return this.#o.subscriptionId ?? `${this.#o.cloud.config.zoneName}-changes`;
  }

  #resetCursor(): void {
    this.#o.eventLog.setMeta(META.dbToken, undefined);
    this.#o.eventLog.setMeta(META.zoneToken, undefined);
  }

  #isPaused(): boolean {
    return this.#o.eventLog.getMeta(META.paused) === '1';
  }

  #lastSyncedAt(): number | null {
    const raw = this.#o.eventLog.getMeta(META.lastSyncedAt);
    return raw === undefined ? null : Number(raw);
  }

  #restingState(): SyncState {
    if (!this.#o.isEnabled()) return { name: 'disabled' };
    if (this.#isPaused()) return { name: 'paused' };
    if (this.#o.eventLog.getMeta(META.zoneDeleted)) return zoneDeletedState();
    if (!this.#o.cloud.hasWebAuthToken()) return { name: 'needs-sign-in', reason: 'Sign in to iCloud to sync.' };
    return { name: 'idle', lastSyncedAt: this.#lastSyncedAt() };
  }

  #now(): number {
    return this.#o.clock?.now() ?? Date.now();
  }

  #transition(next: SyncState): void {
    if (JSON.stringify(next) === JSON.stringify(this.#state) && next.name !== 'syncing') return;
    if (this.#state?.name !== next.name) this.#o.log.info(`sync: ${this.#state?.name ?? 'start'} → ${next.name}`);
    this.#state = next;
    this.#publish();
  }

  #publish(): void {
    if (this.#state) this.#o.onStatus(this.status());
  }
}

/**
 * [Note: Container without a schema]
 * CloudKit Web Services creates no record types or fields on write: production always rejects
 * unknown ones (Apple: CKRecord, "the production schema"), and a development container did not
 * create them either (docs/cloudkit.md §4). A container that was never set up from docs/cloudkit-schema.ckdb
 * answers every record with a per-record BAD_REQUEST ("Did not find record type", "Field … not
 * found in …", "Cannot create new type …"). That is not a passing failure nor one bad record:
 * sync stops and says so, instead of a pending count that only grows.
 */
const SCHEMA_MISSING_REASON = /record type|not found in|cannot create new type|schema/i;

function isSchemaMissing(refused: readonly CloudKitError[], pushedCount: number): boolean {
  const badRequests = refused.filter((error) => error.kind === 'bad-request');
  if (badRequests.length === 0) return false;
  // Every record of the batch refused as a bad request, or a reason that names the schema.
  return (
    (pushedCount === 0 && badRequests.length === refused.length) ||
    badRequests.some((error) => SCHEMA_MISSING_REASON.test(error.reason ?? ''))
  );
}

/**
 * A page that says "more coming" but hands back the token it was asked with would make the pull
 * ask for the same page forever. What it brought is kept; the run ends as a passing server
 * failure (backoff), and repeated failures make the token suspect
 * ([Note: Stale sync token behind a server error]).
 */
function repeatedTokenError(operation: string): CloudKitError {
  return new CloudKitError('unexpected-response', { operation, reason: 'the server repeated the sync token it was given' });
}

function containerNotSetUpState(): SyncState {
  return {
    name: 'error',
    kind: 'container-not-set-up',
    message:
      'The iCloud container is not set up for Photoflare: iCloud refused its records because the container has no Photoflare schema. Your changes are kept on this Mac.',
  };
}

function zoneDeletedState(): SyncState {
  return {
    name: 'error',
    kind: 'zone-deleted',
    message:
      "Photoflare's data was deleted from iCloud (in iCloud settings, or from another device). Nothing was lost on this Mac. Choose “Upload Again” to start syncing afresh, or turn iCloud Sync off.",
  };
}
