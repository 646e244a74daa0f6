import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivityEntry } from '../../../../shared/events/schema';
import type { ActionResult, PendingChanges } from '../../../../shared/ipc/contract';
import type { AlbumSummary, ConnectionStatus, PhotoDetails } from '../../../../shared/library/schemas';
import type { SyncStatus } from '../../../../shared/sync/state';
import { startCloudKitEmulator, type CloudKitEmulator } from '../../../emulators/cloudkit';
import { photoflareSchema } from '../../../emulators/cloudkit/photoflare-schema';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../../emulators/photoprism';
import { ChildDevice, type CallResult } from './child-device';

/**
 * [Note: Chaos run]
 * Three devices, each its own OS process with its own SQLite profile, one PhotoPrism and one
 * iCloud (the emulators, over loopback, in this process). A seeded schedule of random curation
 * actions runs on random devices while:
 *   - iCloud fails ≈ 1 request in 3 (throttled, busy, 5xx, dropped, dropped after the write
 *     committed), and the courier drops a notification now and then;
 *   - PhotoPrism fails some requests, loses some answers after applying them, and goes offline
 *     for whole rounds; iCloud goes offline for whole rounds too;
 *   - a device kills ITSELF (SIGKILL) right after a server's answer, before the commit, and the
 *     runner kill -9s devices at random moments; a dead device is started again on its profile.
 * Then the faults end and nobody presses "Sync Now": the run waits for every device to settle on
 * its own and reports how long that took ({@link ChaosReport.convergedAfterMs}), and what, if
 * anything, is wrong: caches that differ from the server, events lost or applied twice, an
 * outbox not empty, iCloud holding other events than the devices pushed.
 *
 * Only ACCEPTED actions count (the device answered and the server applied them); an action
 * rejected while PhotoPrism is offline, or cut short by a kill, is not the user's change yet —
 * and if an offline edit queue accepts it, it counts like any other, so the checks hold either way.
 */
export interface ChaosOptions {
  readonly seed: number;
  readonly rounds: number;
  /** How long to wait for the devices to settle once the faults end, before reporting what is wrong. */
  readonly settleTimeoutMs: number;
  readonly photos?: number;
  readonly print?: (line: string) => void;
}

export interface ChaosReport {
  /** From the end of the faults until every check held; undefined if they never did in time. */
  readonly convergedAfterMs: number | undefined;
  /** What was still wrong at the deadline (empty when converged). */
  readonly problems: readonly string[];
  readonly acceptedActions: number;
  readonly kills: { readonly byRunner: number; readonly afterAnswer: number };
  readonly failedICloudRequests: number;
}

/** mulberry32: a small seeded generator, so a failing run can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Self-kills per device before it runs on without the switch (keeps the run bounded). */
const MAX_SELF_KILLS_PER_DEVICE = 1;
const KILL_AFTER_ANSWER_PROBABILITY = 0.06;

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const { seed, rounds } = options;
  const print = options.print ?? (() => undefined);
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  const pp: PhotoPrismEmulator = await startPhotoPrismEmulator({
    photos: options.photos ?? 24,
    albums: 3,
    seed: seed % 1000,
    rateLimits: false,
  });
  const ck: CloudKitEmulator = await startCloudKitEmulator({ seed, recordTypes: photoflareSchema() });
  const dirs: string[] = [];
  const devices: ChildDevice[] = [];
  try {
    for (const name of ['a', 'b', 'c']) {
      const dir = mkdtempSync(join(tmpdir(), `pf-chaos-${name}-`));
      dirs.push(dir);
      devices.push(
        new ChildDevice({
          dir,
          name,
          pp: pp.url,
          ppUser: pp.credentials.username,
          ppPass: pp.credentials.password,
          ck: ck.url,
          ckContainer: ck.containerId,
          ckToken: ck.apiToken,
          ckUser: 'alice',
          killAfterAnswer: { probability: KILL_AFTER_ANSWER_PROBABILITY, seed: seed + name.charCodeAt(0) },
        }),
      );
    }
    const startedAt = performance.now();
    await Promise.all(devices.map((device) => device.start()));
    print(`chaos: devices up after ${Math.round(performance.now() - startedAt)} ms`);
    // A dead device starts again in the background while the others go on (a boot takes seconds).
    const booting = new Map<ChildDevice, Promise<void>>();
    const deviceStart = (device: ChildDevice): Promise<void> => {
      const pending = booting.get(device);
      if (pending) return pending;
      if (device.running) return Promise.resolve();
      // A device that died often enough runs on without the self-kill switch: the run stays bounded.
      if (device.selfKills >= MAX_SELF_KILLS_PER_DEVICE) delete device.args.killAfterAnswer;
      else if (device.args.killAfterAnswer)
        device.args.killAfterAnswer = { ...device.args.killAfterAnswer, seed: device.args.killAfterAnswer.seed + 7 };
      const boot = device.start().finally(() => booting.delete(device));
      booting.set(device, boot);
      return boot;
    };
    const ready = () => devices.filter((device) => device.running && !booting.has(device));

    // The weather: iCloud fails ≈ 1 request in 3 (rules are tried in order).
    const requestsBeforeFaults = ck.requests.length;
    const storm = [
      ck.admin.injectFault({ kind: 'throttled', probability: 0.1, retryAfterSeconds: 1 }),
      ck.admin.injectFault({ kind: 'try-again-later', probability: 0.08, retryAfterSeconds: 1 }),
      ck.admin.injectFault({ kind: 'server-error', probability: 0.06 }),
      ck.admin.injectFault({ kind: 'drop-connection', probability: 0.06 }),
      ck.admin.injectFault({ kind: 'drop-after-commit', probability: 0.06 }),
    ];
    const accepted = new Map<string, number>(devices.map((d) => [d.args.name, 0]));
    let runnerKills = 0;
    let iCloudOutage: string | undefined;

    for (let round = 0; round < rounds; round++) {
      // Offline periods and PhotoPrism's own faults, drawn per round.
      const weather = random();
      if (weather < 0.12) await pp.admin.goDown();
      else await pp.admin.goUp();
      await pp.admin.setFault({ errorRate: random() < 0.2 ? 0.2 : 0, dropResponsesAfterApply: random() < 0.15 ? 1 : 0 });
      if (iCloudOutage === undefined && random() < 0.1) iCloudOutage = ck.admin.injectFault({ kind: 'drop-connection' });
      else if (iCloudOutage !== undefined && random() < 0.5) {
        ck.admin.removeFault(iCloudOutage);
        iCloudOutage = undefined;
      }
      if (random() < 0.1) ck.admin.injectFault({ operation: 'webcourier', kind: 'drop-after-commit', times: 1 });

      for (const dead of devices) void deviceStart(dead).catch(() => undefined);
      const alive = ready();
      if (alive.length === 0) {
        await Promise.race(booting.values());
        continue;
      }
      const device = pick(alive);
      const snapshot = pp.admin.snapshot();
      const photos = snapshot.photos.filter((p) => !p.DeletedAt).map((p) => p.UID);
      const albums = snapshot.albums.filter((al) => !al.DeletedAt);
      const some = () => [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(photos)))];
      const kind = Math.floor(random() * 6);
      const [channel, request]: [string, unknown] =
        kind === 0
          ? ['actions.setFavorite', { uids: some(), favorite: random() < 0.6 }]
          : kind === 1
            ? ['actions.setArchived', { uids: some(), archived: random() < 0.5 }]
            : kind === 2
              ? ['actions.addToAlbum', { albumUid: pick(albums).UID, uids: some() }]
              : kind === 3
                ? ['actions.removeFromAlbum', { albumUid: pick(albums).UID, uids: some() }]
                : kind === 4
                  ? ['actions.renameAlbum', { albumUid: pick(albums).UID, title: `Album ${Math.floor(random() * 1000)}` }]
                  : ['actions.setPrivate', { uids: some(), private: random() < 0.5 }];
      const killNow = random() < 0.06;
      const call = device.call(channel, request);
      if (killNow) {
        // kill -9 at a random moment: maybe mid-request, maybe mid-sync.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 40)));
        await device.kill();
        runnerKills += 1;
      }
      const began = performance.now();
      const result: CallResult = await call;
      if (performance.now() - began > 3_000)
        print(`chaos: ${channel} on ${device.args.name} took ${Math.round(performance.now() - began)} ms`);
      const applied = result.ok ? (result.value as ActionResult).applied.length : 0;
      if (applied > 0) accepted.set(device.args.name, (accepted.get(device.args.name) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 150)));
    }

    print(`chaos: ${rounds} rounds done after ${Math.round(performance.now() - startedAt)} ms`);
    // No more self-kills from here on (not after a restart either); every device alive again
    // (a boot in progress may have started armed: disarmed once up); then the faults end, and
    // from here on nobody helps. The clock starts once all three run: how long a process takes
    // to start on a busy machine is not what this measures.
    for (const device of devices) delete device.args.killAfterAnswer;
    for (;;) {
      await Promise.all(devices.map(deviceStart));
      await Promise.all(devices.map((device) => device.call('__disarm')));
      // One that killed itself before it heard: started again, without the switch.
      if (devices.every((device) => device.running)) break;
    }
    const failedICloudRequests = ck.requests.slice(requestsBeforeFaults).filter((r) => r.status === 0 || r.status >= 429).length;
    for (const id of storm) ck.admin.removeFault(id);
    ck.admin.clearFaults();
    await pp.admin.setFault({ errorRate: 0, dropResponsesAfterApply: 0 });
    await pp.admin.goUp();
    const faultsEndedAt = performance.now();
    print(
      `chaos seed ${seed}: ${[...accepted.values()].reduce((a, b) => a + b, 0)} accepted actions, ` +
        `${runnerKills} kills by the runner, ${devices.reduce((n, d) => n + d.selfKills, 0)} kills after an answer, ` +
        `${failedICloudRequests} failed iCloud requests`,
    );

    // A pass reads every device for a while; the devices had settled by the time it began.
    let checkedAt = performance.now();
    let problems = await findProblems(devices, pp, ck, accepted);
    let lastPrint = performance.now();
    while (problems.length > 0 && performance.now() - faultsEndedAt < options.settleTimeoutMs) {
      if (performance.now() - lastPrint > 5_000) {
        lastPrint = performance.now();
        print(
          `chaos: after ${Math.round(performance.now() - faultsEndedAt)} ms still ${problems.length} problems: ${problems.slice(0, 4).join(' | ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      // A device that died after the faults ended (a late self-kill) is started again.
      await Promise.all(devices.map(deviceStart));
      checkedAt = performance.now();
      problems = await findProblems(devices, pp, ck, accepted);
    }
    const convergedAfterMs = problems.length === 0 ? Math.max(0, checkedAt - faultsEndedAt) : undefined;
    if (process.env['PHOTOFLARE_CHAOS_LOGS']) {
      for (const device of devices) writeFileSync(`${process.env['PHOTOFLARE_CHAOS_LOGS']}-${device.args.name}.log`, device.stderr);
    }
    return {
      convergedAfterMs,
      problems,
      acceptedActions: [...accepted.values()].reduce((a, b) => a + b, 0),
      kills: { byRunner: runnerKills, afterAnswer: devices.reduce((n, d) => n + d.selfKills, 0) },
      failedICloudRequests,
    };
  } finally {
    for (const device of devices) await device.stop().catch(() => device.kill());
    await ck.close();
    await pp.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

async function value<T>(device: ChildDevice, channel: string, request: unknown = {}): Promise<T> {
  const result = await device.call(channel, request);
  if (!result.ok) throw new Error(`${device.args.name} ${channel}: ${result.error?.message}`);
  return result.value as T;
}

/** Everything that must hold once the devices settle; empty when it all does. */
async function findProblems(
  devices: readonly ChildDevice[],
  pp: PhotoPrismEmulator,
  ck: CloudKitEmulator,
  accepted: ReadonlyMap<string, number>,
): Promise<string[]> {
  const problems: string[] = [];
  try {
    const truth = pp.admin.snapshot();
    const logs = new Map<ChildDevice, ActivityEntry[]>();
    // The devices are read side by side (each answers its own calls in order).
    await Promise.all(
      devices.map(async (device) => {
        const name = device.args.name;
        const status = await value<SyncStatus>(device, 'sync.status');
        if (status.state.name !== 'idle') problems.push(`${name}: sync is ${status.state.name}`);
        if (status.pendingCount > 0) problems.push(`${name}: ${status.pendingCount} events in the outbox`);
        const connection = await value<ConnectionStatus>(device, 'connection.status');
        if (connection.state !== 'online') problems.push(`${name}: PhotoPrism connection is ${connection.state}`);
        const queue = await value<PendingChanges>(device, 'actions.pending');
        if (queue.waiting > 0) problems.push(`${name}: ${queue.waiting} changes waiting in the offline queue`);
        // An action accepted offline may be refused when sent (a photo archived on the server
        // meanwhile): kept in Activity with the reason, no event. Lost it is not.
        const refused = queue.items.filter((item) => item.state === 'conflict').length;
        const log = await value<ActivityEntry[]>(device, 'activity.recent', { limit: 500 });
        logs.set(device, log);
        const waiting = log.filter((e) => e.status === 'received').length;
        if (waiting > 0) problems.push(`${name}: ${waiting} remote events not applied`);
        const quarantined = log.filter((e) => e.status === 'quarantined').length;
        if (quarantined > 0) problems.push(`${name}: ${quarantined} events quarantined`);
        const remote = log.filter((e) => e.origin === 'remote');
        if (new Set(remote.map((e) => e.id)).size !== remote.length) problems.push(`${name}: a remote event is in the log twice`);
        // Every accepted action made at least one event on its device (none lost before the push).
        const local = log.filter((e) => e.origin === 'local' && e.status !== 'local-only' && !e.companion).length;
        if (local < (accepted.get(name) ?? 0) - refused)
          problems.push(`${name}: ${accepted.get(name)} accepted actions (${refused} refused when sent) but ${local} events`);

        const albums = await value<AlbumSummary[]>(device, 'library.albums');
        const have = albums.map((al) => `${al.uid}:${al.title}:${al.photoCount}`).sort();
        const want = truth.albums
          .filter((al) => !al.DeletedAt)
          .map((al) => `${al.UID}:${al.Title}:${al.PhotoUIDs.length}`)
          .sort();
        if (JSON.stringify(have) !== JSON.stringify(want))
          problems.push(`${name}: albums ${JSON.stringify(have)} ≠ server ${JSON.stringify(want)}`);
        const photos = truth.photos.filter((p) => !p.DeletedAt);
        const allDetails = await Promise.all(photos.map((photo) => value<PhotoDetails>(device, 'photo.details', { uid: photo.UID })));
        for (const [index, photo] of photos.entries()) {
          const details = allDetails[index] as PhotoDetails;
          const mine = {
            favorite: details.favorite,
            private: details.private,
            archived: details.archived,
            albums: details.albums.map((al) => al.uid).sort(),
          };
          const server = { favorite: photo.Favorite, private: photo.Private, archived: photo.Archived, albums: [...photo.Albums].sort() };
          if (JSON.stringify(mine) !== JSON.stringify(server))
            problems.push(`${name}: photo ${photo.UID} ${JSON.stringify(mine)} ≠ server ${JSON.stringify(server)}`);
        }
      }),
    );
    // No event lost, none applied twice: what one device pushed, every other applied once.
    const pushed = new Map(
      devices.map((d) => [d, (logs.get(d) ?? []).filter((e) => e.origin === 'local' && e.status === 'pushed').map((e) => e.id)]),
    );
    for (const device of devices) {
      const applied = new Set((logs.get(device) ?? []).filter((e) => e.origin === 'remote' && e.status === 'applied').map((e) => e.id));
      for (const [other, ids] of pushed) {
        if (other === device) continue;
        const missing = ids.filter((id) => !applied.has(id));
        if (missing.length > 0) problems.push(`${device.args.name}: ${missing.length} events of ${other.args.name} not applied`);
      }
    }
    const inCloud = ck.admin
      .records('alice', 'PhotoflareEvents')
      .map((r) => r.recordName)
      .sort();
    const allPushed = [...pushed.values()].flat().sort();
    if (JSON.stringify(inCloud) !== JSON.stringify(allPushed))
      problems.push(`iCloud holds ${inCloud.length} events, the devices pushed ${allPushed.length}`);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  return problems;
}
