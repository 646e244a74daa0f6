import { isPhotoEventName } from '../../shared/events/schema';
import type { SyncState, SyncStatus } from '../../shared/sync/state';
import type { CallerIdentity, CloudKitClient } from '../cloudkit/client';
import { CloudKitError, isCloudKitError, isRetryableCloudKitKind } from '../cloudkit/errors';
import type { EventLog } from '../eventlog/event-log';
import type { Logger } from '../log/logger';
import { SyncScheduler, type RunOutcome, type SchedulerClock, type SyncTrigger } from './scheduler';
import { fromCloudRecord, toCreateOperation } from './serializer';

/**
 * What replay needs from the library: refresh items from this device's own PhotoPrism server.
 * The server is the truth, so replay is idempotent and order-free.
 */
export interface LibraryReplayer {
  refreshPhotos(uids: readonly string[], signal: AbortSignal): Promise<void>;
  refreshAlbums(uids: readonly string[], signal: AbortSignal): Promise<void>;
  /** For a device away longer than the retention horizon: events it missed are gone. */
  refreshAll(signal: AbortSignal): Promise<void>;
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
  readonly clock?: SchedulerClock;
  readonly random?: () => number;
  readonly debounceMs?: number;
  readonly intervalMs?: number;
  readonly hiddenIntervalMs?: number;
  /** Subscription id for the zone's push notifications. */
  readonly subscriptionId?: string;
  /** Listen to the web courier for near-instant pulls (off in some tests). */
  readonly courier?: { run(options: { mint: () => Promise<{ webcourierUrl: string; expiresAtMs: number | undefined }>; onNotification: () => void; signal: AbortSignal }): Promise<void> };
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
} as const;

const DAY_MS = 24 * 60 * 60_000;
export const DEFAULT_RETENTION_MS = 30 * DAY_MS;
const PUSH_BATCH = 200;
/** UIDs per replay refresh call; the library batches its own server requests below this. */
const REPLAY_CHUNK = 5_000;

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
 * State machine (published to the UI and the menu bar as SyncStatus):
 *
 *   ┌──────────┐ enable            ┌───────────────┐ signed in  ┌──────┐ trigger ┌─────────┐
 *   │ disabled │──────────────────►│ needs-sign-in │───────────►│ idle │────────►│ syncing │
 *   └──────────┘◄── disable (any) ─└───────────────┘◄─ 401/421 ─└──────┘◄── ok ──└─────────┘
 *                                        ▲                          ▲  ▲            │  │  │
 *        pause ──► paused ── resume ─────┘ (or idle)                 │  └─ backoff ◄─┘  │  │ throttled, 5xx,
 *                                                                   │     (until, why)    │  │ network → offline
 *                                                                   └──── error ◄─────────┘  │ (retry with backoff)
 *                                         quota-full, zone-deleted, web-access-off, account-changed
 *
 * Errors (spec §5): auth → needs-sign-in; zone missing → recreate and resend; sync token
 * rejected → restart from no token (the log dedupes by record name); zone deleted by the user
 * → stop, keep local data, wait for "Upload again"; account switch → reset tokens and never push
 * one account's events to another; quota → stop pushing, keep the outbox, tell the user.
 * See [Note: One run at a time] for scheduling.
 */
export class SyncEngine {
  readonly #o: SyncEngineOptions;
  readonly #scheduler: SyncScheduler;
  readonly #retentionMs: number;
  #state: SyncState;
  #courier: AbortController | undefined;
  #identityChecked = false;
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
    return { state: this.#state, pendingCount: this.#o.eventLog.countPending(), photoprism: this.#o.photoprismStatus() };
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
    this.#courier?.abort();
    this.#courier = undefined;
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
    try {
      await this.#checkIdentity(signal);
      await this.#ensureZone(signal);
      // Database changes first: that is how we learn the user deleted our zone in iCloud
      // settings, before a push could mistake it for a vanished zone and recreate it.
      const database = await this.#fetchDatabaseChanges(signal);
      await this.#push(signal);
      await this.#pullZone(database, signal);
      await this.#replay(signal);
      await this.#applyRetention(signal);
      const now = this.#now();
      this.#o.eventLog.setMeta(META.lastSyncedAt, String(now));
      this.#transition({ name: 'idle', lastSyncedAt: now });
      return { kind: 'ok' };
    } catch (error) {
      return this.#fail(error, signal);
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
    if (this.#o.courier) await this.#o.cloud.ensureZoneSubscription(this.#subscriptionId(), { zoneName, signal });
    this.#o.eventLog.setMeta(META.zoneReady, zoneName);
  }

  async #push(signal: AbortSignal): Promise<void> {
    const log = this.#o.eventLog;
    const recordType = this.#o.cloud.config.recordType;
    let total = log.countPending();
    let done = 0;
    let recreated = false;
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
      let zoneMissing = false;
      let stuck = false;
      for (const result of results) {
        if (result.ok || result.error.kind === 'exists') {
          // EXISTS: an earlier attempt got through before its answer was lost.
          pushed.push(result.name);
          continue;
        }
        const kind = result.error.kind;
        if (kind === 'zone-not-found') zoneMissing = true;
        // Full iCloud or a passing failure ends this run; #fail decides what happens next.
        else if (kind === 'quota-exceeded' || isRetryableCloudKitKind(kind)) throw result.error;
        else {
          // A record iCloud will never take (a bug): leave it pending, tell the log, move on.
          this.#o.log.error('iCloud refused an event', { id: result.name, kind });
          stuck = true;
        }
      }
      log.markPushed(pushed);
      done += pushed.length;
      if (zoneMissing) {
        if (recreated) throw new CloudKitError('zone-not-found', { operation: 'records/modify' });
        // The zone vanished without the user deleting it (a reset on iCloud's side): recreate, resend.
        recreated = true;
        log.setMeta(META.zoneReady, undefined);
        this.#resetCursor();
        await this.#ensureZone(signal);
        continue;
      }
      if (stuck && pushed.length === 0) break;
      const left = log.countPending();
      if (left === 0) break;
      total = Math.max(total, done + left);
    }
  }

  /** Which zones changed since our database token; halts if the user deleted our zone. */
  async #fetchDatabaseChanges(signal: AbortSignal): Promise<{ zoneChanged: boolean; dbToken: string | undefined }> {
    const log = this.#o.eventLog;
    const zoneName = this.#o.cloud.config.zoneName;
    let dbToken = log.getMeta(META.dbToken);
    let zoneChanged = log.getMeta(META.zoneToken) === undefined;
    this.#transition({ name: 'syncing', phase: 'pulling', done: 0, total: 0 });
    for (;;) {
      let page;
      try {
        page = await this.#o.cloud.fetchDatabaseChanges({ syncToken: dbToken, signal });
      } catch (error) {
        if (isCloudKitError(error) && error.kind === 'sync-token-expired' && dbToken !== undefined) {
          dbToken = undefined;
          zoneChanged = true;
          continue;
        }
        throw error;
      }
      for (const zone of page.zones) {
        if (zone.zoneName !== zoneName) continue;
        if (zone.deleted) {
          log.setMeta(META.zoneDeleted, '1');
          log.setMeta(META.zoneReady, undefined);
          this.#resetCursor();
          throw new Halt(zoneDeletedState());
        }
        zoneChanged = true;
      }
      dbToken = page.syncToken;
      if (!page.moreComing) break;
    }
    return { zoneChanged, dbToken };
  }

  /** The zone's records, page by page; each page's events and its token in one transaction. */
  async #pullZone(database: { zoneChanged: boolean; dbToken: string | undefined }, signal: AbortSignal): Promise<void> {
    const log = this.#o.eventLog;
    const zoneName = this.#o.cloud.config.zoneName;
    // No zone token: first pull, or the push just recreated the zone and reset the cursor.
    if (database.zoneChanged || log.getMeta(META.zoneToken) === undefined) {
      let zoneToken = log.getMeta(META.zoneToken);
      let received = 0;
      for (;;) {
        let page;
        try {
          page = await this.#o.cloud.fetchZoneChanges({ zoneName, syncToken: zoneToken, signal });
        } catch (error) {
          if (isCloudKitError(error) && error.kind === 'sync-token-expired' && zoneToken !== undefined) {
            // Start over from no token; insertRemote dedupes by record name.
            zoneToken = undefined;
            continue;
          }
          if (isCloudKitError(error) && error.kind === 'zone-not-found') {
            // Reset on iCloud's side without a deletion record: recreate it on the next run.
            log.setMeta(META.zoneReady, undefined);
            this.#resetCursor();
          }
          throw error;
        }
        const incoming = page.records.filter((r) => !r.deleted).map((r) => fromCloudRecord(r, this.#o.cloud.config.recordType));
        log.transaction(() => {
          const result = log.insertRemote(incoming);
          received += result.inserted.length;
          log.setMeta(META.zoneToken, page.syncToken);
        });
        zoneToken = page.syncToken;
        this.#transition({ name: 'syncing', phase: 'pulling', done: received, total: received });
        if (!page.moreComing) break;
      }
    }
    // The database token goes last: if we crash before this, the next run re-reads the zone.
    log.setMeta(META.dbToken, database.dbToken);
  }

  async #replay(signal: AbortSignal): Promise<void> {
    const log = this.#o.eventLog;
    const events = log.unapplied();
    if (events.length === 0) return;
    const lastSyncedAt = this.#lastSyncedAt();
    this.#transition({ name: 'syncing', phase: 'replaying', done: 0, total: events.length });
    if (lastSyncedAt !== null && this.#now() - lastSyncedAt > this.#retentionMs) {
      // Away longer than the horizon: events we never saw are gone, so refresh everything.
      await this.#o.replayer.refreshAll(signal);
    } else {
      // Coalesce: each UID is refreshed once, however many events name it.
      const photos = new Set<string>();
      const albums = new Set<string>();
      for (const { event } of events) {
        const target = isPhotoEventName(event.event) ? photos : albums;
        for (const entity of event.data.entities) target.add(entity.UID);
      }
      const photoUids = [...photos];
      for (let i = 0; i < photoUids.length; i += REPLAY_CHUNK) {
        await this.#o.replayer.refreshPhotos(photoUids.slice(i, i + REPLAY_CHUNK), signal);
        this.#transition({ name: 'syncing', phase: 'replaying', done: Math.min(i + REPLAY_CHUNK, photoUids.length), total: photoUids.length });
      }
      if (albums.size > 0) await this.#o.replayer.refreshAlbums([...albums], signal);
    }
    log.markApplied(events.map((e) => e.id));
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

  #startCourier(): void {
    const courier = this.#o.courier;
    if (!courier || this.#courier) return;
    const controller = new AbortController();
    this.#courier = controller;
    void courier
      .run({
        mint: async () => {
          const token = await this.#o.cloud.createApnsToken({ signal: controller.signal });
          return { webcourierUrl: token.webcourierUrl, expiresAtMs: token.expiresAtMs };
        },
        onNotification: () => this.trigger('courier'),
        signal: controller.signal,
      })
      .catch((error: unknown) => this.#o.log.warn('courier stopped', { error }));
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

function zoneDeletedState(): SyncState {
  return {
    name: 'error',
    kind: 'zone-deleted',
    message:
      "Photoflare's data was deleted from iCloud (in iCloud settings). Nothing was lost on this Mac. Choose “Upload again” to start syncing afresh.",
  };
}
