/**
 * docs/cloudkit.md §7 and docs/cloudkit.md §9.8 (push): subscriptions, tokens/create on /device/, the webcourier long-poll —
 * in both token modes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CloudKitEmulator, CloudKitEmulatorOptions } from '../index';
import { at, eventOp, FakeClock, list, start, str, TestUser, TOKEN_MODES } from './helpers';

let emulator: CloudKitEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const ZONE = { zoneName: 'Events' };

async function setup(options: CloudKitEmulatorOptions = {}): Promise<TestUser> {
  // These tests read zone notifications too; only query ones are the emulator's default (docs/cloudkit.md §10.11).
  emulator = await start({ courierPollTimeoutMs: 50, zoneNotificationsReachCourier: true, ...options });
  const user = new TestUser(emulator);
  await user.createZone('Events');
  return user;
}

async function courierUrl(user: TestUser): Promise<string> {
  const res = await user.call('tokens/create', { apnsEnvironment: 'development' }, { device: true });
  expect(res.status).toBe(200);
  return str(res.body, 'webcourierURL');
}

async function poll(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

const zoneSubscription = (subscriptionID: string) => ({
  operationType: 'create',
  subscription: { subscriptionType: 'zone', subscriptionID, zoneID: ZONE },
});
const querySubscription = (subscriptionID: string, firesOn: string[]) => ({
  operationType: 'create',
  subscription: { subscriptionType: 'query', subscriptionID, query: { recordType: 'PhotoflareEvent' }, firesOn, zoneID: ZONE },
});

describe.each(TOKEN_MODES)('subscriptions (%s tokens)', (tokenMode) => {
  it('creates zone and query subscriptions, lists, looks up (with or without {database}) and deletes them', async () => {
    const user = await setup({ tokenMode });
    const created = await user.call('subscriptions/modify', {
      operations: [zoneSubscription('events-zone'), querySubscription('events-query', ['create', 'update'])],
    });
    expect(created.status).toBe(200);
    expect(at(created.body, 'subscriptions', 0)).toMatchObject({
      subscriptionID: 'events-zone',
      subscriptionType: 'zone',
      zoneID: { zoneName: 'Events' },
    });
    expect(at(created.body, 'subscriptions', 1)).toMatchObject({ subscriptionID: 'events-query', firesOn: ['create', 'update'] });
    expect(list((await user.call('subscriptions/list')).body, 'subscriptions')).toHaveLength(2);
    const lookup = await user.call('subscriptions/lookup', {
      subscriptions: [{ subscriptionID: 'events-zone' }, { subscriptionID: 'nope' }],
    });
    expect(at(lookup.body, 'subscriptions', 0, 'subscriptionID')).toBe('events-zone');
    expect(at(lookup.body, 'subscriptions', 1, 'serverErrorCode')).toBe('NOT_FOUND');
    const noDatabaseSegment = await fetch(user.url('lookup', { token: user.token }).replace('/private/lookup', '/subscriptions/lookup'), {
      method: 'POST',
      body: JSON.stringify({ subscriptions: [{ subscriptionID: 'events-query' }] }),
    });
    user.token = noDatabaseSegment.headers.get('x-apple-cloudkit-web-auth-token') ?? user.token;
    expect(noDatabaseSegment.status).toBe(200);
    const deleted = await user.call('subscriptions/modify', {
      operations: [{ operationType: 'delete', subscription: { subscriptionType: 'zone', subscriptionID: 'events-zone' } }],
    });
    expect(at(deleted.body, 'subscriptions', 0)).toEqual({ subscriptionID: 'events-zone', deleted: true });
    expect(emulator?.admin.subscriptions('alice')).toHaveLength(1);
  });

  it('is unique by (recordType, firesOn): a twin with another ID → INTERNAL_ERROR; the same ID again succeeds', async () => {
    const user = await setup({ tokenMode });
    await user.call('subscriptions/modify', { operations: [querySubscription('q1', ['create', 'update'])] });
    const twin = await user.call('subscriptions/modify', { operations: [querySubscription('q2', ['update', 'create'])] });
    expect(at(twin.body, 'subscriptions', 0)).toMatchObject({
      subscriptionID: 'q2',
      serverErrorCode: 'INTERNAL_ERROR',
      reason: 'could not find subscription we just created',
    });
    const same = await user.call('subscriptions/modify', { operations: [querySubscription('q1', ['create', 'update'])] });
    expect(at(same.body, 'subscriptions', 0, 'serverErrorCode')).toBeUndefined();
    const different = await user.call('subscriptions/modify', { operations: [querySubscription('q3', ['delete'])] });
    expect(at(different.body, 'subscriptions', 0, 'serverErrorCode')).toBeUndefined();
  });

  it('rejects a zone subscription on a missing zone', async () => {
    const user = await setup({ tokenMode });
    const res = await user.call('subscriptions/modify', {
      operations: [
        { operationType: 'create', subscription: { subscriptionType: 'zone', subscriptionID: 's', zoneID: { zoneName: 'Nope' } } },
      ],
    });
    expect(at(res.body, 'subscriptions', 0, 'serverErrorCode')).toBe('ZONE_NOT_FOUND');
  });
});

describe.each(TOKEN_MODES)('tokens and the webcourier (%s tokens)', (tokenMode) => {
  it('tokens/create answers {apnsEnvironment, apnsToken, webcourierURL with ttl}; register needs both keys', async () => {
    const user = await setup({ tokenMode });
    const res = await user.call('tokens/create', { apnsEnvironment: 'development' }, { device: true });
    expect(res.body).toMatchObject({ apnsEnvironment: 'development' });
    const apnsToken = str(res.body, 'apnsToken');
    expect(str(res.body, 'webcourierURL')).toBe(`${emulator?.url}/_courier/aps?tok=${apnsToken}&ttl=43200`);
    expect((await user.call('tokens/register', { apnsEnvironment: 'development' }, { device: true })).status).toBe(400);
    const registered = await user.call('tokens/register', { apnsEnvironment: 'development', apnsToken }, { device: true });
    expect(registered.status).toBe(200);
  });

  it('delivers one notification per GET (FIFO, consumed), then an empty keep-alive', async () => {
    const user = await setup({ tokenMode });
    await user.call('subscriptions/modify', { operations: [zoneSubscription('events-zone')] });
    const url = await courierUrl(user);
    await user.createEvents('Events', ['a']);
    await user.createEvents('Events', ['b']);
    const first = await poll(url);
    expect(first.status).toBe(200);
    const frame = JSON.parse(first.text) as unknown;
    expect(frame).toMatchObject({
      ck: {
        cid: emulator?.containerId,
        ckuserid: emulator?.admin.userRecordName('alice'),
        fet: { sid: 'events-zone', zid: 'Events', dbs: 2 },
      },
    });
    const second = JSON.parse((await poll(url)).text) as unknown;
    expect(at(second, 'ck', 'nid')).not.toBe(at(frame, 'ck', 'nid'));
    const keepAlive = await poll(url);
    expect(keepAlive).toEqual({ status: 200, text: '' });
  });

  it('answers a parked GET as soon as a subscribed change happens', async () => {
    const user = await setup({ tokenMode, courierPollTimeoutMs: 20_000 });
    await user.call('subscriptions/modify', { operations: [zoneSubscription('events-zone')] });
    const url = await courierUrl(user);
    const parked = poll(url);
    // Give the GET time to park before the write (the order does not change the outcome).
    await new Promise((resolve) => setTimeout(resolve, 20));
    await user.createEvents('Events', ['a']);
    const delivered = await parked;
    expect(at(JSON.parse(delivered.text), 'ck', 'fet', 'sid')).toBe('events-zone');
    expect(emulator?.admin.pendingNotifications('alice')).toEqual([]);
  });

  it('query notifications carry rid and fo, respect firesOn, and share one nid across subscriptions', async () => {
    const user = await setup({ tokenMode });
    await user.call('subscriptions/modify', {
      operations: [querySubscription('on-create', ['create']), querySubscription('on-delete', ['delete']), zoneSubscription('zone')],
    });
    const url = await courierUrl(user);
    await user.createEvents('Events', ['a']);
    const frames = [JSON.parse((await poll(url)).text), JSON.parse((await poll(url)).text)] as unknown[];
    expect((await poll(url)).text).toBe('');
    const query = frames.find((frame) => at(frame, 'ck', 'qry') !== undefined);
    expect(at(query, 'ck', 'qry')).toMatchObject({ sid: 'on-create', rid: 'a', fo: 1, zid: 'Events', dbs: 2 });
    expect(at(frames[0], 'ck', 'nid')).toBe(at(frames[1], 'ck', 'nid'));
    await user.call('records/modify', { zoneID: ZONE, operations: [eventOp('forceUpdate', 'a', { event: 'x' })] });
    expect(at(JSON.parse((await poll(url)).text), 'ck', 'fet', 'sid')).toBe('zone');
    expect((await poll(url)).text).toBe('');
    await user.call('records/modify', { zoneID: ZONE, operations: [eventOp('forceDelete', 'a')] });
    const afterDelete = [JSON.parse((await poll(url)).text), JSON.parse((await poll(url)).text)] as unknown[];
    expect(afterDelete.map((frame) => at(frame, 'ck', 'qry', 'fo')).filter((fo) => fo !== undefined)).toEqual([3]);
  });

  it('only delivers to the changed user, stops after the ttl, and can keep zone notifications off the courier', async () => {
    const clock = new FakeClock();
    const user = await setup({ tokenMode, now: clock.now });
    await user.call('subscriptions/modify', { operations: [zoneSubscription('zone')] });
    const url = await courierUrl(user);
    const bob = new TestUser(emulator as CloudKitEmulator, 'bob');
    await bob.createZone('Events');
    await bob.call('subscriptions/modify', { operations: [zoneSubscription('zone')] });
    await bob.createEvents('Events', ['b']);
    expect((await poll(url)).text).toBe('');
    clock.advance(43_200_000 + 1);
    expect((await poll(url)).status).toBe(404);

    await emulator?.close();
    const quiet = await setup({ tokenMode, zoneNotificationsReachCourier: false });
    await quiet.call('subscriptions/modify', { operations: [zoneSubscription('zone')] });
    const quietUrl = await courierUrl(quiet);
    await quiet.createEvents('Events', ['a']);
    expect((await poll(quietUrl)).text).toBe('');
  });
});
