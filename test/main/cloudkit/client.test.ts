import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordQuerySubscription, zoneSubscription, type ItemResult } from '../../../main/cloudkit/client';
import { CloudKitError } from '../../../main/cloudkit/errors';
import { readString, readStringList, stringField, stringListField } from '../../../main/cloudkit/fields';
import { StaticSignInFlow } from '../../../main/cloudkit/sign-in';
import { FormPostSignInFlow, names, startHarness, type Harness } from './emulator-harness';

/**
 * Every operation of the client, over real HTTP against the CloudKit emulator, in both token
 * modes: lenient (old tokens keep working, as live) and strict (single use, as documented docs/cloudkit.md §2.3).
 * Strict mode is what proves token rotation: any request sent with a stale token would fail.
 */

const event = (name: string, kind = 'photos.updated', uids: string[] = ['ptajmyx4rf5gni6h']) => ({
  operationType: 'create' as const,
  recordName: name,
  fields: { event: stringField(kind), entities: stringListField(uids) },
});

function okValues<T>(results: ItemResult<T>[]): T[] {
  return results.map((r) => {
    if (!r.ok) throw r.error;
    return r.value;
  });
}

function errorKinds<T>(results: ItemResult<T>[]): string[] {
  return results.map((r) => (r.ok ? 'ok' : r.error.kind));
}

describe.each(['lenient', 'strict'] as const)('CloudKitClient against the emulator (%s tokens)', (tokenMode) => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ tokenMode });
    await h.client.ensureZone();
  });

  afterEach(async () => {
    await h.close();
  });

  it('users/caller: identifies the signed-in user', async () => {
    const caller = await h.client.getCaller();
    expect(caller.userRecordName).toBe(h.emulator.admin.userRecordName('alice'));
  });

  it.each(['identity', 'lookup-info-only', 'users-list'] as const)('users/caller: reads the user from a %s body', async (shape) => {
    const other = await startHarness({ tokenMode, callerResponseShape: shape });
    try {
      const caller = await other.client.getCaller();
      expect(caller.userRecordName).toBe(other.emulator.admin.userRecordName('alice'));
    } finally {
      await other.close();
    }
  });

  it('keeps working across many sequential and concurrent requests (token rotation, docs/cloudkit.md §2.3)', async () => {
    for (let i = 0; i < 5; i += 1) await h.client.listZones();
    const results = await Promise.all(Array.from({ length: 6 }, () => h.client.getCaller()));
    expect(new Set(results.map((r) => r.userRecordName)).size).toBe(1);
    // The token the client holds now is still accepted.
    await expect(h.client.listZones()).resolves.toBeDefined();
  });

  it('zones: ensure (idempotent), list, lookup, delete', async () => {
    const again = await h.client.ensureZone();
    expect(again.zoneName).toBe('PhotoflareEvents');
    const zones = await h.client.listZones();
    expect(zones.map((z) => z.zoneName)).toContain('PhotoflareEvents');
    expect(zones.find((z) => z.zoneName === 'PhotoflareEvents')?.syncToken).toBeTruthy();

    const lookup = await h.client.lookupZones(['PhotoflareEvents', 'NoSuchZone']);
    expect(errorKinds(lookup)).toEqual(['ok', 'zone-not-found']);

    await h.client.deleteZone();
    expect((await h.client.listZones()).map((z) => z.zoneName)).not.toContain('PhotoflareEvents');
    // Deleting a zone that is already gone is not an error.
    await h.client.deleteZone();
  });

  it('records/modify: create, update with the tag, delete; records land on the server', async () => {
    const [created] = okValues(await h.client.modifyRecords([event('evt-1')]));
    expect(created?.recordChangeTag).toBeTruthy();
    expect(readStringList(created?.fields, 'entities')).toEqual(['ptajmyx4rf5gni6h']);

    const [updated] = okValues(
      await h.client.modifyRecords([
        {
          operationType: 'update',
          recordName: 'evt-1',
          recordChangeTag: created?.recordChangeTag ?? '',
          fields: { event: stringField('albums.updated') },
        },
      ]),
    );
    expect(updated?.recordChangeTag).not.toBe(created?.recordChangeTag);
    const stored = h.emulator.admin.records('alice', 'PhotoflareEvents');
    expect(stored.map((r) => [r.recordName, r.fields.event?.value])).toEqual([['evt-1', 'albums.updated']]);

    const [deleted] = await h.client.modifyRecords([
      { operationType: 'delete', recordName: 'evt-1', recordChangeTag: updated?.recordChangeTag ?? '' },
    ]);
    expect(deleted?.ok).toBe(true);
    expect(h.emulator.admin.records('alice', 'PhotoflareEvents')).toEqual([]);
  });

  it('records/modify: forceUpdate creates or overwrites, forceDelete of a missing record counts as success', async () => {
    const results = await h.client.modifyRecords([
      { operationType: 'forceUpdate', recordName: 'evt-f', fields: { event: stringField('a'), entities: stringListField([]) } },
    ]);
    expect(errorKinds(results)).toEqual(['ok']);
    expect(
      errorKinds(
        await h.client.modifyRecords([{ operationType: 'forceReplace', recordName: 'evt-f', fields: { event: stringField('b') } }]),
      ),
    ).toEqual(['ok']);
    expect(errorKinds(await h.client.modifyRecords([{ operationType: 'forceDelete', recordName: 'evt-f' }]))).toEqual(['ok']);
    expect(errorKinds(await h.client.modifyRecords([{ operationType: 'forceDelete', recordName: 'evt-f' }]))).toEqual(['ok']);
  });

  it('records/modify: per-record errors for exists, conflict, not-found and unknown fields', async () => {
    okValues(await h.client.modifyRecords([event('evt-1')]));
    const results = await h.client.modifyRecords([
      event('evt-1'),
      { operationType: 'update', recordName: 'evt-1', recordChangeTag: 'stale-tag', fields: { event: stringField('x') } },
      { operationType: 'update', recordName: 'evt-missing', recordChangeTag: 'x', fields: { event: stringField('x') } },
      { operationType: 'create', recordName: 'evt-bad', fields: { notInSchema: stringField('x') } },
      event('evt-2'),
    ]);
    expect(results.map((r) => r.name)).toEqual(['evt-1', 'evt-1', 'evt-missing', 'evt-bad', 'evt-2']);
    expect(errorKinds(results)).toEqual(['exists', 'conflict', 'not-found', 'bad-request', 'ok']);
    const conflict = results[1];
    expect(conflict?.ok === false && conflict.error.action).toBe('resolve-conflict');
  });

  it('records/modify atomic: a failing operation fails the batch, siblings report atomic-error (docs/cloudkit.md §3.1)', async () => {
    okValues(await h.client.modifyRecords([event('evt-1')]));
    const results = await h.client.modifyRecords([event('evt-new'), event('evt-1')], { atomic: true });
    expect(errorKinds(results)).toEqual(['atomic-error', 'exists']);
    expect(h.emulator.admin.records('alice', 'PhotoflareEvents').map((r) => r.recordName)).toEqual(['evt-1']);
  });

  it('records/modify: splits 450 operations into requests of at most 200', async () => {
    h.emulator.admin.clearRequests();
    const results = await h.client.modifyRecords(names('bulk', 450).map((n) => event(n)));
    expect(results).toHaveLength(450);
    expect(results.every((r) => r.ok)).toBe(true);
    const modifies = h.emulator.requests.filter((r) => r.path.endsWith('/records/modify'));
    expect(modifies.map((r) => (JSON.parse(r.body) as { operations: unknown[] }).operations.length)).toEqual([200, 200, 50]);
    expect(h.emulator.admin.records('alice', 'PhotoflareEvents')).toHaveLength(450);
  });

  it('records/modify: splits by size so no request nears 1 MB', async () => {
    h.emulator.admin.clearRequests();
    const uids = Array.from({ length: 400 }, (_, i) => `uid${String(i).padStart(12, '0')}`);
    const results = await h.client.modifyRecords(names('wide', 120).map((n) => event(n, 'photos.updated', uids)));
    expect(results.every((r) => r.ok)).toBe(true);
    const modifies = h.emulator.requests.filter((r) => r.path.endsWith('/records/modify'));
    expect(modifies.length).toBeGreaterThan(1);
    for (const request of modifies) expect(Buffer.byteLength(request.body)).toBeLessThanOrEqual(512 * 1024);
  });

  it('records/lookup: found records and per-record not-found', async () => {
    okValues(await h.client.modifyRecords([event('evt-1', 'albums.updated')]));
    const results = await h.client.lookupRecords(['evt-1', 'evt-missing']);
    expect(errorKinds(results)).toEqual(['ok', 'not-found']);
    const [found] = results;
    expect(found?.ok && readString(found.value.fields, 'event')).toBe('albums.updated');
  });

  it('changes/database: lists changed zones, then nothing new, then the deleted zone', async () => {
    const first = await h.client.fetchDatabaseChanges();
    expect(first.zones.map((z) => z.zoneName)).toContain('PhotoflareEvents');
    let page = first;
    while (page.moreComing) page = await h.client.fetchDatabaseChanges({ syncToken: page.syncToken });
    const quiet = await h.client.fetchDatabaseChanges({ syncToken: page.syncToken });
    expect(quiet.zones).toEqual([]);

    await h.client.deleteZone();
    const afterDelete = await h.client.fetchDatabaseChanges({ syncToken: quiet.syncToken });
    expect(afterDelete.zones).toEqual([expect.objectContaining({ zoneName: 'PhotoflareEvents', deleted: true })]);
  });

  it('changes/zone: pages with moreComing, resumes from the token, and reports tombstones', async () => {
    okValues(await h.client.modifyRecords(names('evt', 5).map((n) => event(n))));
    const pages = [];
    for await (const page of h.client.iterateZoneChanges({ resultsLimit: 2 })) pages.push(page);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.flatMap((p) => p.records.map((r) => r.recordName)).sort()).toEqual(names('evt', 5));
    const last = pages.at(-1);
    expect(last?.moreComing).toBe(false);

    const [existing] = okValues(await h.client.lookupRecords(['evt-0000']));
    await h.client.modifyRecords([{ operationType: 'delete', recordName: 'evt-0000', recordChangeTag: existing?.recordChangeTag ?? '' }]);
    const delta = await h.client.fetchZoneChanges({ syncToken: last?.syncToken });
    expect(delta.records).toEqual([expect.objectContaining({ recordName: 'evt-0000', deleted: true })]);
    expect(delta.moreComing).toBe(false);
  });

  it('subscriptions: ensure a zone subscription (idempotent), list, lookup, delete', async () => {
    const sub = await h.client.ensureZoneSubscription('photoflare-events');
    expect(sub).toMatchObject({ subscriptionID: 'photoflare-events', subscriptionType: 'zone' });
    await h.client.ensureZoneSubscription('photoflare-events');
    expect((await h.client.listSubscriptions()).map((s) => s.subscriptionID)).toEqual(['photoflare-events']);
    expect(errorKinds(await h.client.lookupSubscriptions(['photoflare-events', 'nope']))).toEqual(['ok', 'not-found']);
    const deleted = await h.client.modifySubscriptions([
      { operationType: 'delete', subscription: { subscriptionID: 'photoflare-events', subscriptionType: 'zone' } },
    ]);
    expect(errorKinds(deleted)).toEqual(['ok']);
    expect(await h.client.listSubscriptions()).toEqual([]);
  });

  it('ensureSubscriptions: creates the missing ones in one request, keeps the existing, reports a refused one', async () => {
    const created = recordQuerySubscription('events-created', {
      recordType: 'PhotoflareEvent',
      zoneName: 'PhotoflareEvents',
      firesOn: ['create'],
    });
    const results = await h.client.ensureSubscriptions([zoneSubscription('photoflare-events', 'PhotoflareEvents'), created]);
    expect(errorKinds(results)).toEqual(['ok', 'ok']);
    expect(results[1]).toMatchObject({
      ok: true,
      value: { subscriptionID: 'events-created', subscriptionType: 'query', firesOn: ['create'] },
    });
    const again = await h.client.ensureSubscriptions([zoneSubscription('photoflare-events', 'PhotoflareEvents'), created]);
    expect(errorKinds(again)).toEqual(['ok', 'ok']);
    // A twin of an existing query subscription under another ID is refused (docs/cloudkit.md §7.3), per item.
    const twin = recordQuerySubscription('events-created-2', {
      recordType: 'PhotoflareEvent',
      zoneName: 'PhotoflareEvents',
      firesOn: ['create'],
    });
    expect(errorKinds(await h.client.ensureSubscriptions([twin]))).toEqual(['server']);
  });

  it('tokens/create + courier: a change on another device arrives as a query notification', async () => {
    const { CourierPoller } = await import('../../../main/cloudkit/courier');
    await h.client.ensureSubscriptions([
      recordQuerySubscription('photoflare-events', { recordType: 'PhotoflareEvent', zoneName: 'PhotoflareEvents', firesOn: ['create'] }),
    ]);
    const apns = await h.client.createApnsToken();
    expect(apns.apnsEnvironment).toBe('development');
    expect(apns.expiresAtMs).toBeGreaterThan(Date.now());
    const poller = new CourierPoller({ log: h.log });
    try {
      const parked = poller.poll(apns.webcourierUrl);
      const otherDevice = h.newClient();
      okValues(await otherDevice.modifyRecords([event('evt-from-ipad')]));
      const received = await parked;
      expect(received).toEqual([
        expect.objectContaining({
          kind: 'query',
          subscriptionId: 'photoflare-events',
          zoneName: 'PhotoflareEvents',
          recordName: 'evt-from-ipad',
          firesOn: 'create',
        }),
      ]);
    } finally {
      poller.close();
    }
    await h.client.registerApnsToken(apns.apnsToken);
  });

  it('signIn(): opens the redirect URL through the sign-in flow and stores the token', async () => {
    h.emulator.admin.setSignInCallback('https://photoflare.example/ck-callback');
    const flow = new FormPostSignInFlow('bob');
    const client = h.newClient({ signedIn: false, signIn: flow });
    const caller = await client.signIn();
    expect(caller.userRecordName).toBe(h.emulator.admin.userRecordName('bob'));
    expect(flow.redirects).toHaveLength(1);
    expect(flow.redirects[0]).toContain(new URL(h.emulator.url).host);
    expect(client.hasWebAuthToken()).toBe(true);
    await expect(client.listZones()).resolves.toBeDefined();
    // Already signed in: no second trip through the page.
    await client.signIn();
    expect(flow.redirects).toHaveLength(1);
  });

  it('signIn(): re-runs sign-in when the stored token has expired', async () => {
    const flow = new StaticSignInFlow(() => h.emulator.signIn('alice'));
    const client = h.newClient({ signIn: flow });
    h.emulator.admin.expireWebAuthTokens('alice');
    await expect(client.signIn()).resolves.toMatchObject({ userRecordName: h.emulator.admin.userRecordName('alice') });
  });

  it('signIn(): without a sign-in flow reports auth-required with the redirect URL', async () => {
    const client = h.newClient({ signedIn: false });
    const error = await client.signIn().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudKitError);
    expect(error).toMatchObject({ kind: 'auth-required', action: 'sign-in' });
    expect((error as CloudKitError).redirectUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('signIn(): a flow that yields no token is sign-in-failed', async () => {
    const client = h.newClient({ signedIn: false, signIn: new StaticSignInFlow(() => undefined) });
    await expect(client.signIn()).rejects.toMatchObject({ kind: 'sign-in-failed' });
  });

  it('signOut() forgets the token locally', async () => {
    h.client.signOut();
    expect(h.client.hasWebAuthToken()).toBe(false);
    await expect(h.client.listZones()).rejects.toMatchObject({ kind: 'auth-required' });
  });

  it('never writes a token, the API token or a courier URL to the log', async () => {
    const { CourierPoller } = await import('../../../main/cloudkit/courier');
    h.emulator.admin.injectFault({ operation: 'zones/list', kind: 'auth-failed', times: 1 });
    await h.client.listZones().catch(() => undefined);
    h.client.setWebAuthToken(h.emulator.signIn('alice'));
    const apns = await h.client.createApnsToken();
    const poller = new CourierPoller({ log: h.log, pollTimeoutMs: 50 });
    await poller.poll(apns.webcourierUrl).catch(() => undefined);
    poller.close();
    const text = h.log.lines.join('\n');
    expect(text).not.toContain(h.emulator.apiToken);
    expect(text).not.toContain(apns.apnsToken);
    expect(text).not.toMatch(/ckWebAuthToken|ckAPIToken|tok=/);
    for (const request of h.emulator.requests) {
      const token = request.query.ckWebAuthToken;
      if (token) expect(text).not.toContain(token);
    }
  });
});
