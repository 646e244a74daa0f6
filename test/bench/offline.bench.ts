import { performance } from 'node:perf_hooks';
import type { PendingChanges } from '../../shared/ipc/contract';
import type { ConnectionStatus } from '../../shared/library/schemas';
import { activePhotos, eventually, startActionsEnv } from '../main/actions/harness';
import type { Bench } from './harness';

const QUEUED = 300;

/**
 * `offline.queue_drain_per_s`: how many queued actions are applied per second once PhotoPrism is
 * back. 300 single-photo actions (favourite / unfavourite / album add, alternating) are made
 * while the emulator is down, then it comes back; timed from the connection going online (the
 * drain starts then, beside the library's own refresh) until the queue is empty, on loopback. Each action
 * costs its requests plus one SQLite transaction (cache + events + ledger row).
 */
export const offlineBench: Bench = {
  name: 'offline',
  async run() {
    const env = await startActionsEnv({ photos: 400, albums: 2, seed: 19 });
    const uids = activePhotos(env.emu);
    const album = env.emu.admin.snapshot().albums[0]?.UID ?? '';
    await env.emu.admin.goDown();
    await env.call('library.refresh');
    await eventually(async () => {
      if ((await env.call<ConnectionStatus>('connection.status')).state !== 'offline') throw new Error('still online');
    });
    for (let i = 0; i < QUEUED; i++) {
      const uid = uids[i % uids.length] ?? '';
      if (i % 3 === 2) await env.act('actions.addToAlbum', { albumUid: album, uids: [uid] });
      else await env.act('actions.setFavorite', { uids: [uid], favorite: i % 3 === 0 });
    }
    let started = 0;
    env.core.events.attach((event, payload) => {
      if (event === 'connection.changed' && (payload as ConnectionStatus).state === 'online') started ||= performance.now();
    });
    await env.emu.admin.goUp();
    let drained = 0;
    env.core.events.attach((event, payload) => {
      if (event === 'actions.pending' && (payload as PendingChanges).waiting === 0) drained ||= performance.now();
    });
    await eventually(async () => {
      if (drained === 0) throw new Error('still draining');
    }, 120_000);
    const seconds = (drained - started) / 1000;
    await env.close();
    return [
      { name: 'offline.queue_drain_per_s', value: Math.round(QUEUED / seconds), note: `${QUEUED} queued single-photo actions, loopback` },
    ];
  },
};
