import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StaticSignInFlow } from '../../main/cloudkit/sign-in';
import { encodeFields } from '../../main/cloudkit/fields';
import { compose, type Core } from '../../main/compose';
import { createMemoryLogger } from '../../main/log/logger';
import { MemorySecretStore } from '../../main/secrets/secret-store';
import { toCreateOperation } from '../../main/sync/serializer';
import { makeEvents, type SyncEvent } from '../../shared/events/schema';
import { startCloudKitEmulator, type CloudKitEmulator } from '../emulators/cloudkit';
import { photoflareSchema } from '../emulators/cloudkit/photoflare-schema';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { median, percentile, type Bench, type Metric } from './harness';

const SENDER = { trusted: true, description: 'bench' } as const;

interface Device {
  core: Core;
  dir: string;
}

/** A composed core signed in to both emulators, its sync engine running on its own schedule. */
async function device(
  name: string,
  pp: PhotoPrismEmulator,
  ck: CloudKitEmulator,
  options: { courier: boolean; intervalMs: number; liveEvents?: boolean },
): Promise<Device> {
  const dir = mkdtempSync(join(tmpdir(), `pf-bench-${name}-`));
  const core = compose({
    profile: name,
    profileDir: dir,
    shell: 'web',
    version: 'bench',
    log: createMemoryLogger(name),
    secrets: new MemorySecretStore(),
    // PhotoPrism's own WebSocket would also tell B about A's change: off, so we measure iCloud.
    photoprism: { libraryOptions: { createLiveEvents: null } },
    cloudkit: {
      config: { baseUrl: ck.url, containerId: ck.containerId, environment: 'development', apiToken: ck.apiToken },
      signIn: new StaticSignInFlow(() => ck.signIn('bench')),
      courier: options.courier,
      intervalMs: options.intervalMs,
      debounceMs: 0,
    },
  });
  const must = async (channel: string, request: unknown = {}) => {
    const result = await core.dispatch(channel, request, SENDER);
    if (!result.ok) throw new Error(`${name} ${channel}: ${result.error.message}`);
    return result.value;
  };
  await must('connection.signIn', { serverUrl: pp.url, ...pp.credentials });
  await core.library.refresh('full');
  await must('sync.signIn');
  return { core, dir };
}

async function close(devices: Device[]): Promise<void> {
  for (const d of devices) {
    await d.core.dispose();
    rmSync(d.dir, { recursive: true, force: true });
  }
}

/** Resolve when `core` reports `uid` changed in its cache (what re-renders the tile). */
function changed(core: Core, uid: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      detach();
      reject(new Error(`no change for ${uid} within ${timeoutMs} ms`));
    }, timeoutMs);
    const detach = core.events.attach((event, payload) => {
      if (event !== 'library.changed') return;
      const change = payload as { uids: string[]; full: boolean };
      if (change.full || change.uids.includes(uid)) {
        clearTimeout(timer);
        detach();
        resolve();
      }
    });
  });
}

/** Action on A → B's cache updated, `runs` times; returns the latencies (ms). */
async function propagation(courier: boolean, runs: number): Promise<number[]> {
  const pp = await startPhotoPrismEmulator({ photos: 300, albums: 3, seed: 5, rateLimits: false });
  const ck = await startCloudKitEmulator({ recordTypes: photoflareSchema() });
  const a = await device('a', pp, ck, { courier, intervalMs: courier ? 10 * 60_000 : 2_000 });
  const b = await device('b', pp, ck, { courier, intervalMs: courier ? 10 * 60_000 : 2_000 });
  // Let both engines settle (first runs, courier parked).
  await new Promise((r) => setTimeout(r, 1_500));
  const uids = pp.admin
    .snapshot()
    .photos.filter((p) => !p.Archived)
    .map((p) => p.UID);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const uid = uids[i % uids.length] as string;
    const favourite = !pp.admin.snapshot().photos.find((p) => p.UID === uid)?.Favorite;
    const arrived = changed(b.core, uid, 60_000);
    const start = performance.now();
    const result = await a.core.dispatch('actions.setFavorite', { uids: [uid], favorite: favourite }, SENDER);
    if (!result.ok) throw new Error(result.error.message);
    await arrived;
    samples.push(performance.now() - start);
  }
  await close([a, b]);
  await ck.close();
  await pp.close();
  return samples;
}

/** 10k remote events over 2k photos: what B's replay costs in PhotoPrism requests and time. */
async function replay(): Promise<{ requests: number; seconds: number; pushRequests: number }> {
  const pp = await startPhotoPrismEmulator({ photos: 2_000, albums: 4, seed: 9, rateLimits: false });
  const ck = await startCloudKitEmulator({ recordTypes: photoflareSchema() });
  const a = await device('a', pp, ck, { courier: false, intervalMs: 60 * 60_000 });
  const b = await device('b', pp, ck, { courier: false, intervalMs: 60 * 60_000 });
  a.core.sync?.stop();
  b.core.sync?.stop();
  const uids = pp.admin.photoUids().slice(0, 2_000);
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const events: SyncEvent[] = [];
  for (let i = 0; i < 10_000; i++) {
    const count = 1 + Math.floor(random() * 3);
    const pick = Array.from({ length: count }, () => uids[Math.floor(random() * uids.length)] as string);
    events.push(...makeEvents('photos.updated', pick));
  }
  a.core.eventLog.appendLocal(events, { syncEnabled: true });
  const ckBefore = ck.requests.length;
  await a.core.sync?.runOnce();
  const pushRequests = ck.requests.length - ckBefore;

  const before = pp.requests.length;
  const start = performance.now();
  const outcome = await b.core.sync?.runOnce();
  const seconds = (performance.now() - start) / 1000;
  if (outcome?.kind !== 'ok') throw new Error(`replay run ended ${JSON.stringify(outcome)}`);
  const requests = pp.requests.length - before;
  await close([a, b]);
  await ck.close();
  await pp.close();
  return { requests, seconds, pushRequests };
}

/**
 * iCloud Sync figures: how fast a change crosses devices, how small an event is on the wire,
 * and what replaying a backlog costs the PhotoPrism server.
 */
export const syncBench: Bench = {
  name: 'sync',
  async run(): Promise<Metric[]> {
    const one = toCreateOperation(
      { seq: 1, id: '0b9a4a9e-7d1e-4c4f-9a53-1f5c2b7f0d11', event: makeEvents('photos.updated', ['ptajmyx4rf5gni6h'])[0] as SyncEvent },
      'PhotoflareEvent',
    );
    const fieldsBytes = one.operationType === 'create' ? JSON.stringify(encodeFields(one.fields)).length : NaN;
    const recordBytes = JSON.stringify({
      operationType: 'create',
      record: {
        recordName: one.recordName,
        recordType: 'PhotoflareEvent',
        fields: one.operationType === 'create' ? encodeFields(one.fields) : {},
      },
    }).length;

    const pushed = await propagation(true, 20);
    const polled = await propagation(false, 8);
    const backlog = await replay();

    return [
      { name: 'sync.bytes_per_event', value: fieldsBytes, target: { op: '<=', value: 200 }, note: 'record fields of a 1-photo event' },
      { name: 'sync.bytes_per_event_record', value: recordBytes, note: 'whole create operation incl. record name (UUID)' },
      { name: 'sync.propagation_p50_ms', value: median(pushed), note: `A action → B cache updated, courier push, n=${pushed.length}` },
      { name: 'sync.propagation_p99_ms', value: percentile(pushed, 99), note: 'courier push (max of the runs at this n)' },
      { name: 'sync.propagation_polling_p50_ms', value: median(polled), note: `polling every 2 s, no courier, n=${polled.length}` },
      { name: 'sync.propagation_polling_p99_ms', value: percentile(polled, 99) },
      {
        name: 'sync.replay_10k_events_requests',
        value: backlog.requests,
        target: { op: '<=', value: 30 },
        note: 'PhotoPrism requests to replay 10k events over 2k photos',
      },
      {
        name: 'sync.replay_10k_events_s',
        value: backlog.seconds,
        target: { op: '<=', value: 5 },
        note: 'pull 10k records + replay, one run',
      },
      {
        name: 'sync.push_10k_events_requests',
        value: backlog.pushRequests,
        note: 'CloudKit requests to push 10k events (≤ 200 per request)',
      },
    ];
  },
};
