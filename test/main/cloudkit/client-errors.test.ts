import { afterEach, describe, expect, it } from 'vitest';
import { recordQuerySubscription } from '../../../main/cloudkit/client';
import { CloudKitError, type CloudKitErrorKind } from '../../../main/cloudkit/errors';
import { CourierPoller } from '../../../main/cloudkit/courier';
import { stringField, stringListField } from '../../../main/cloudkit/fields';
import { createMemoryLogger } from '../../../main/log/logger';
import type { FaultKind } from '../../emulators/cloudkit/index';
import { startHarness, type Harness } from './emulator-harness';

/**
 * Every error kind the client classifies, produced by the emulator over real HTTP, with the action
 * the spec prescribes (docs/cloudkit.md §5). Token-sensitive cases run in both token modes.
 */

const event = (name: string) => ({
  operationType: 'create' as const,
  recordName: name,
  fields: { event: stringField('photos.updated'), entities: stringListField(['u1']) },
});

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function failure(promise: Promise<unknown>): Promise<CloudKitError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CloudKitError)) throw new Error(`expected a CloudKitError, got ${String(error)}`);
  return error;
}

describe.each(['lenient', 'strict'] as const)('whole-request failures (%s tokens)', (tokenMode) => {
  const cases: ReadonlyArray<[FaultKind, CloudKitErrorKind, string, number | undefined]> = [
    ['throttled', 'throttled', 'retry-later', 429],
    ['try-again-later', 'try-again-later', 'retry-later', 503],
    ['server-error', 'server', 'retry-later', 500],
    ['service-unavailable-html', 'try-again-later', 'retry-later', 503],
    ['drop-connection', 'network', 'retry-later', undefined],
    ['quota-exceeded', 'quota-exceeded', 'stop-and-tell-user', 413],
    ['auth-failed', 'auth-failed', 'sign-in', 401],
    ['auth-required', 'auth-required', 'sign-in', 421],
    ['zone-not-found', 'zone-not-found', 'recreate-zone', 404],
    ['bad-request', 'bad-request', 'fix-request', 400],
  ];

  it.each(cases)('fault %s → %s (%s)', async (fault, kind, action, status) => {
    h = await startHarness({ tokenMode });
    await h.client.ensureZone();
    // The Fetch standard resends a request once on a new connection after any 421, so the
    // AUTHENTICATION_REQUIRED fault (HTTP 421) must fire twice to reach the client.
    const times = fault === 'auth-required' ? 2 : 1;
    h.emulator.admin.injectFault({ operation: 'records/modify', kind: fault, times, retryAfterSeconds: 7 });
    const error = await failure(h.client.modifyRecords([event('evt-1')]));
    expect(error.kind).toBe(kind);
    expect(error.action).toBe(action);
    expect(error.status).toBe(status);
    expect(error.operation).toBe('records/modify');
    expect(error.message).not.toMatch(/127\.0\.0\.1|ckWebAuthToken/);
    if (kind === 'throttled' || kind === 'try-again-later') {
      if (fault !== 'service-unavailable-html') expect(error.retryAfterMs).toBe(7000);
    }
    if (kind === 'auth-required') expect(error.redirectUrl).toMatch(/^http:\/\/127\.0\.0\.1/);

    if (kind === 'auth-failed' || kind === 'auth-required') {
      // The rejected token is discarded (docs/cloudkit.md §5); a fresh sign-in gets going again.
      expect(h.client.hasWebAuthToken()).toBe(false);
      h.client.setWebAuthToken(h.emulator.signIn('alice'));
    }
    // The session survives the failure: the token adopted from the error response (or kept) works.
    const retry = await h.client.modifyRecords([event('evt-1')]);
    expect(retry.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual(['ok']);
  });

  it('a dropped response after the server committed: the retry sees exists (lenient) or needs sign-in (strict)', async () => {
    h = await startHarness({ tokenMode });
    await h.client.ensureZone();
    h.emulator.admin.injectFault({ operation: 'records/modify', kind: 'drop-after-commit', times: 1 });
    expect((await failure(h.client.modifyRecords([event('evt-1')]))).kind).toBe('network');
    expect(h.emulator.admin.records('alice', 'PhotoflareEvents').map((r) => r.recordName)).toEqual(['evt-1']);
    const retry = h.client.modifyRecords([event('evt-1')]);
    if (tokenMode === 'lenient') {
      const results = await retry;
      expect(results.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual(['exists']);
    } else {
      // The single-use token was spent on the lost response (docs/cloudkit.md §2.3 "expect to sign in again").
      const error = await failure(retry);
      expect(error.action).toBe('sign-in');
      expect(h.client.hasWebAuthToken()).toBe(false);
    }
  });

  it('expired web auth sessions → sign-in, and the stale token is discarded', async () => {
    h = await startHarness({ tokenMode });
    h.emulator.admin.expireWebAuthTokens();
    const error = await failure(h.client.listZones());
    expect(['auth-required', 'auth-failed']).toContain(error.kind);
    expect(error.action).toBe('sign-in');
    expect(h.client.hasWebAuthToken()).toBe(false);
  });
});

describe('account and access state', () => {
  it('web access off → access-denied (stop and tell the user)', async () => {
    h = await startHarness();
    h.emulator.admin.setWebAccess(false, 'alice');
    const error = await failure(h.client.listZones());
    expect(error).toMatchObject({ kind: 'access-denied', action: 'stop-and-tell-user', status: 403 });
    expect(error.toAppError().kind).toBe('permission');
  });

  it('an account switch shows up as a different caller (docs/cloudkit.md §8 "Account change")', async () => {
    h = await startHarness();
    const before = await h.client.getCaller();
    h.emulator.admin.switchAccount('alice', 'mallory');
    const after = await h.client.getCaller();
    expect(after.userRecordName).not.toBe(before.userRecordName);
    expect(after.userRecordName).toBe(h.emulator.admin.userRecordName('mallory'));
  });

  it('web auth token TTL: a token past its lifetime needs sign-in', async () => {
    let nowMs = Date.UTC(2026, 0, 1);
    h = await startHarness({ now: () => nowMs, webAuthTokenTtlMs: 60_000 });
    await h.client.listZones();
    nowMs += 61_000;
    expect((await failure(h.client.listZones())).action).toBe('sign-in');
  });
});

describe.each(['request', 'per-zone'] as const)('sync tokens (invalid token reported per %s)', (scope) => {
  it('an expired zone token → sync-token-expired; refetching from no token recovers', async () => {
    h = await startHarness({ changesZoneTokenErrorScope: scope });
    await h.client.ensureZone();
    await h.client.modifyRecords([event('evt-1')]);
    const first = await h.client.fetchZoneChanges();
    h.emulator.admin.expireSyncTokens();
    const error = await failure(h.client.fetchZoneChanges({ syncToken: first.syncToken }));
    expect(error).toMatchObject({ kind: 'sync-token-expired', action: 'refetch-from-start' });
    const again = await h.client.fetchZoneChanges();
    expect(again.records.map((r) => r.recordName)).toEqual(['evt-1']);
  });
});

describe('sync tokens', () => {
  it('an expired database token → sync-token-expired', async () => {
    h = await startHarness();
    await h.client.ensureZone();
    const first = await h.client.fetchDatabaseChanges();
    h.emulator.admin.expireSyncTokens();
    expect((await failure(h.client.fetchDatabaseChanges({ syncToken: first.syncToken }))).kind).toBe('sync-token-expired');
    await expect(h.client.fetchDatabaseChanges()).resolves.toMatchObject({ moreComing: false });
  });

  it('honours a differently reported expired token (an unrecognised 4xx code, docs/cloudkit.md §5)', async () => {
    h = await startHarness({ expiredSyncTokenError: { status: 410, serverErrorCode: 'CHANGE_TOKEN_EXPIRED' } });
    await h.client.ensureZone();
    const first = await h.client.fetchZoneChanges();
    h.emulator.admin.expireSyncTokens();
    expect((await failure(h.client.fetchZoneChanges({ syncToken: first.syncToken }))).kind).toBe('sync-token-expired');
  });

  it('a throttled changes/zone with a token stays throttled (not mistaken for an expired token)', async () => {
    h = await startHarness();
    await h.client.ensureZone();
    const first = await h.client.fetchZoneChanges();
    h.emulator.admin.injectFault({ operation: 'changes/zone', kind: 'throttled', times: 1 });
    expect((await failure(h.client.fetchZoneChanges({ syncToken: first.syncToken }))).kind).toBe('throttled');
  });
});

describe('zones that disappear', () => {
  it('a purged zone → zone-not-found on writes and changes, deleted in the database feed (docs/cloudkit.md §9.5)', async () => {
    h = await startHarness();
    await h.client.ensureZone();
    await h.client.modifyRecords([event('evt-1')]);
    const db = await h.client.fetchDatabaseChanges();
    const zonePage = await h.client.fetchZoneChanges();
    h.emulator.admin.purgeZone('alice', 'PhotoflareEvents');

    const write = await h.client.modifyRecords([event('evt-2')]).then(
      (results) => results.map((r) => (r.ok ? 'ok' : r.error.kind)),
      (error: unknown) => [error instanceof CloudKitError ? error.kind : 'other'],
    );
    expect(write).toEqual(['zone-not-found']);
    const changes = await failure(h.client.fetchZoneChanges({ syncToken: zonePage.syncToken }));
    expect(changes).toMatchObject({ kind: 'zone-not-found', action: 'recreate-zone' });
    const feed = await h.client.fetchDatabaseChanges({ syncToken: db.syncToken });
    expect(feed.zones).toEqual([expect.objectContaining({ zoneName: 'PhotoflareEvents', deleted: true })]);

    // Recreating gives a fresh, empty zone.
    await h.client.ensureZone();
    expect((await h.client.fetchZoneChanges()).records).toEqual([]);
  });
});

describe('limits and transport', () => {
  it('an atomic save over 200 operations is refused before anything is sent (limit-exceeded)', async () => {
    h = await startHarness();
    await h.client.ensureZone();
    h.emulator.admin.clearRequests();
    const ops = Array.from({ length: 201 }, (_, i) => event(`evt-${i}`));
    expect(await failure(h.client.modifyRecords(ops, { atomic: true }))).toMatchObject({ kind: 'limit-exceeded', action: 'split-batch' });
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('a server that is gone → network', async () => {
    h = await startHarness();
    await h.close();
    const error = await failure(h.client.listZones());
    expect(error).toMatchObject({ kind: 'network', action: 'retry-later' });
    h = undefined;
  });

  it('retryAfter in milliseconds (TN3162 style) is read as milliseconds', async () => {
    h = await startHarness({ retryAfterUnit: 'milliseconds' });
    h.emulator.admin.injectFault({ operation: 'zones/list', kind: 'throttled', times: 1, retryAfterSeconds: 120 });
    expect((await failure(h.client.listZones())).retryAfterMs).toBe(120_000);
  });
});

describe('courier', () => {
  it('an expired courier token → courier-expired; a new token works', async () => {
    let nowMs = Date.UTC(2026, 0, 1);
    h = await startHarness({ now: () => nowMs, courierTokenTtlSecs: 60, courierPollTimeoutMs: 50 });
    const apns = await h.client.createApnsToken();
    const poller = new CourierPoller({ log: createMemoryLogger() });
    try {
      expect(await poller.poll(apns.webcourierUrl)).toEqual([]);
      nowMs += 61_000;
      expect(await failure(poller.poll(apns.webcourierUrl))).toMatchObject({ kind: 'courier-expired', action: 'renew-courier-token' });
      const renewed = await h.client.createApnsToken();
      expect(await poller.poll(renewed.webcourierUrl)).toEqual([]);
    } finally {
      poller.close();
    }
  });

  it('the run loop delivers a notification for a change made by another device', async () => {
    h = await startHarness({ courierPollTimeoutMs: 200 });
    await h.client.ensureZone();
    // A query subscription: the kind seen live on the web courier (docs/cloudkit.md §7.2).
    await h.client.ensureSubscriptions([
      recordQuerySubscription('photoflare-events', { recordType: 'PhotoflareEvent', zoneName: 'PhotoflareEvents', firesOn: ['create'] }),
    ]);
    const poller = new CourierPoller({ log: createMemoryLogger() });
    const controller = new AbortController();
    const client = h.client;
    const received = new Promise<string>((resolve) => {
      void poller.run({
        signal: controller.signal,
        mint: () => client.createApnsToken(),
        onNotification: (n) => resolve(n.subscriptionId),
      });
    });
    // Give the loop a moment to park its GET, then write from elsewhere.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await h.newClient().modifyRecords([event('evt-from-phone')]);
    await expect(received).resolves.toBe('photoflare-events');
    controller.abort();
    poller.close();
  });
});
