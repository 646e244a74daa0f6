/**
 * docs/cloudkit.md §9.8 (throttling, quota, transient errors), admin fault injection in process and over HTTP,
 * persistence and reset — faults in both token modes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CloudKitEmulator, FaultKind } from '../index';
import { adminGet, adminPost, at, eventOp, list, start, str, TestUser, TOKEN_MODES } from './helpers';

let emulator: CloudKitEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const ZONE = { zoneName: 'Events' };

describe.each(TOKEN_MODES)('fault injection (%s tokens)', (tokenMode) => {
  const cases: Array<[FaultKind, number, string]> = [
    ['throttled', 429, 'THROTTLED'],
    ['try-again-later', 503, 'TRY_AGAIN_LATER'],
    ['server-error', 500, 'INTERNAL_ERROR'],
    ['quota-exceeded', 413, 'QUOTA_EXCEEDED'],
    ['auth-failed', 401, 'AUTHENTICATION_FAILED'],
    ['auth-required', 421, 'AUTHENTICATION_REQUIRED'],
    ['zone-not-found', 404, 'ZONE_NOT_FOUND'],
    ['bad-request', 400, 'BAD_REQUEST'],
  ];
  it.each(cases)('%s → %i %s, once, then the operation works again', async (kind, status, code) => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    // Node's fetch (undici) silently retries a 421 once, so the client sees one only if two fire.
    emulator.admin.injectFault({ operation: 'zones/list', kind, times: kind === 'auth-required' ? 2 : 1 });
    const failed = await user.call('zones/list');
    expect(failed.status).toBe(status);
    expect(failed.body).toMatchObject({ serverErrorCode: code });
    expect(str(failed.body, 'uuid')).not.toBe('');
    if (kind === 'auth-required') expect(typeof at(failed.body, 'redirectURL')).toBe('string');
    // Faults after authentication still rotate the token (error responses carry one, docs/cloudkit.md §2.3).
    if (kind !== 'auth-failed' && kind !== 'auth-required') {
      expect(failed.headers.get('x-apple-cloudkit-web-auth-token')).not.toBeNull();
    }
    expect((await user.call('zones/list')).status).toBe(200);
  });

  it('throttles with retryAfter (seconds by default, TN3162 shape) and only the targeted operation', async () => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    emulator.admin.injectFault({ operation: 'records/modify', kind: 'throttled', retryAfterSeconds: 7 });
    const throttled = await user.call('records/modify', { operations: [eventOp('create', 'a')] });
    expect(throttled.body).toMatchObject({ serverErrorCode: 'THROTTLED', retryAfter: 7, error_code: 'THROTTLED' });
    expect((await user.call('zones/list')).status).toBe(200);
    expect((await user.call('records/modify', { operations: [eventOp('create', 'a')] })).status).toBe(429);
    emulator.admin.clearFaults();
    expect((await user.call('records/modify', { operations: [eventOp('create', 'a')] })).status).toBe(200);
  });

  it('drop-connection fails the request without effect; drop-after-commit applies it and loses the response', async () => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    await user.createZone('Events');
    emulator.admin.injectFault({ operation: 'records/modify', kind: 'drop-connection', times: 1 });
    await expect(user.call('records/modify', { zoneID: ZONE, operations: [eventOp('create', 'a')] })).rejects.toThrow();
    expect(emulator.admin.records('alice', 'Events')).toEqual([]);
    emulator.admin.injectFault({ operation: 'records/modify', kind: 'drop-after-commit', times: 1 });
    await expect(user.call('records/modify', { zoneID: ZONE, operations: [eventOp('create', 'a')] })).rejects.toThrow();
    expect(emulator.admin.records('alice', 'Events').map((record) => record.recordName)).toEqual(['a']);
    // In strict mode the lost response also lost the rotated token: the client must sign in again.
    const next = await user.call('zones/list');
    expect(next.status).toBe(tokenMode === 'strict' ? 401 : 200);
  });

  it('draws probabilistic faults from the seed, reproducibly', async () => {
    const outcomes: number[][] = [];
    for (let run = 0; run < 2; run += 1) {
      emulator = await start({ tokenMode, seed: 42 });
      const user = new TestUser(emulator);
      emulator.admin.injectFault({ kind: 'try-again-later', probability: 0.5 });
      const statuses: number[] = [];
      for (let index = 0; index < 12; index += 1) statuses.push((await user.call('zones/list')).status);
      outcomes.push(statuses);
      await emulator.close();
      emulator = undefined;
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(outcomes[0]).toContain(503);
    expect(outcomes[0]).toContain(200);
  });

  it('can answer a 503 whose body is not JSON', async () => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    emulator.admin.injectFault({ kind: 'service-unavailable-html', times: 1 });
    const res = await user.call('zones/list');
    expect(res.status).toBe(503);
    expect(res.body).toBeUndefined();
  });
});

describe('admin over HTTP', () => {
  it('signs in, injects and clears faults, inspects zones/records/requests, purges, switches and resets', async () => {
    emulator = await start();
    const signedIn = await adminPost(emulator, 'sign-in', { userName: 'carol' });
    expect(signedIn.status).toBe(200);
    const user = new TestUser(emulator, 'carol');
    user.token = str(signedIn.body, 'ckWebAuthToken');
    expect(at(signedIn.body, 'userRecordName')).toBe(emulator.admin.userRecordName('carol'));
    await user.createZone('Events');
    await user.createEvents('Events', ['a']);

    const info = await adminGet(emulator, 'info');
    expect(info.body).toMatchObject({ url: emulator.url, containerId: emulator.containerId, apiToken: emulator.apiToken });
    expect(list((await adminGet(emulator, 'zones?userName=carol')).body, 'zones')).toContainEqual({
      zoneName: 'Events',
      deleted: false,
      purged: false,
      recordCount: 1,
    });
    expect(at((await adminGet(emulator, 'records?userName=carol&zoneName=Events')).body, 'records', 0, 'recordName')).toBe('a');

    const fault = await adminPost(emulator, 'faults', { operation: 'zones/list', kind: 'throttled' });
    expect((await user.call('zones/list')).status).toBe(429);
    await fetch(`${emulator.url}/_admin/faults/${str(fault.body, 'id')}`, { method: 'DELETE' });
    expect((await user.call('zones/list')).status).toBe(200);
    expect((await adminPost(emulator, 'faults', { kind: 'nonsense' })).status).toBe(400);

    expect((await adminPost(emulator, 'purge-zone', { userName: 'carol', zoneName: 'Events' })).status).toBe(200);
    expect((await user.call('records/lookup', { zoneID: ZONE, records: [{ recordName: 'a' }] })).status).toBe(404);
    expect((await adminPost(emulator, 'purge-zone', { userName: 'carol', zoneName: 'Events' })).status).toBe(409);

    await adminPost(emulator, 'switch-account', { fromUser: 'carol', toUser: 'dave' });
    expect(at((await user.call('users/caller', undefined, { database: 'public' })).body, 'userRecordName')).toBe(
      emulator.admin.userRecordName('dave'),
    );
    await adminPost(emulator, 'expire-web-auth-tokens', {});
    expect((await user.call('zones/list')).status).toBe(421);
    await adminPost(emulator, 'web-access', { enabled: false });
    expect((await adminPost(emulator, 'sign-in', { userName: 'erin' })).status).toBe(403);
    await adminPost(emulator, 'web-access', { enabled: true });

    const requests = list((await adminGet(emulator, 'requests')).body, 'requests');
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.every((request) => !String(at(request, 'path')).startsWith('/_admin'))).toBe(true);

    await adminPost(emulator, 'token-mode', { mode: 'strict' });
    await adminPost(emulator, 'latency', { ms: 1 });
    await adminPost(emulator, 'index-lag', { ms: 0 });
    await adminPost(emulator, 'sign-in-callback', { url: 'http://127.0.0.1:9/cb' });
    await adminPost(emulator, 'expire-sync-tokens');
    expect((await adminPost(emulator, 'reset')).status).toBe(200);
    expect(emulator.requests).toHaveLength(0);
    expect(emulator.admin.zones('carol')).toEqual([]);
    expect((await adminGet(emulator, 'nope')).status).toBe(404);
  });
});

describe('persistence', () => {
  it('keeps zones, records, sessions and sync tokens across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ck-emulator-'));
    const persistPath = join(dir, 'state.json');
    try {
      emulator = await start({ persistPath });
      const user = new TestUser(emulator);
      await user.createZone('Events');
      await user.createEvents('Events', ['a']);
      const token = str(at((await user.call('changes/zone', { zones: [{ zoneID: ZONE }] })).body, 'zones', 0), 'syncToken');
      await emulator.close();

      emulator = await start({ persistPath });
      const restarted = new TestUser(emulator);
      restarted.token = user.token;
      const changes = await restarted.call('changes/zone', { zones: [{ zoneID: ZONE, syncToken: token }] });
      expect(changes.status).toBe(200);
      expect(list(at(changes.body, 'zones', 0), 'records')).toEqual([]);
      expect(emulator.admin.records('alice', 'Events').map((record) => record.recordName)).toEqual(['a']);
    } finally {
      await emulator?.close();
      emulator = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
