import { performance } from 'node:perf_hooks';
import { activePhotos, startActionsEnv } from '../main/actions/harness';
import { median, percentile, type Bench } from './harness';

const ACTIONS = 200;

/**
 * `actions.dispatch_ms`: main-side cost of one single-photo favourite, from
 * dispatch('actions.setFavorite') until the cache row is updated (the `library.changed` push,
 * which follows the commit of cache row + event) and until the answer, against the PhotoPrism
 * emulator on loopback. One like request is inside every sample: this is the "server is near"
 * floor, not the renderer's keypress-to-UI time (the renderer updates optimistically before
 * main answers; that figure is measured separately).
 */
export const actionsBench: Bench = {
  name: 'actions',
  async run() {
    const env = await startActionsEnv({ photos: 300, albums: 2, seed: 17 });
    const uids = activePhotos(env.emu);
    let changedAt = 0;
    env.core.events.attach((event) => {
      if (event === 'library.changed') changedAt = performance.now();
    });
    const toCache: number[] = [];
    const toAnswer: number[] = [];
    for (let i = 0; i < ACTIONS + 10; i++) {
      const uid = uids[i % uids.length] ?? '';
      changedAt = 0;
      const started = performance.now();
      const result = await env.act('actions.setFavorite', { uids: [uid], favorite: i % 2 === 0 });
      const answered = performance.now();
      if (result.failed.length > 0) throw new Error(`favourite failed: ${result.failed[0]?.message ?? ''}`);
      // The first 10 are warm-up (JIT, prepared statements, keep-alive sockets).
      if (i < 10) continue;
      if (changedAt > 0) toCache.push(changedAt - started);
      toAnswer.push(answered - started);
    }
    await env.close();
    return [
      { name: 'actions.dispatch_ms', value: median(toCache), note: 'median, dispatch → cache row + event committed (1 like on loopback)' },
      { name: 'actions.dispatch_p95_ms', value: percentile(toCache, 95) },
      { name: 'actions.dispatch_answer_ms', value: median(toAnswer), note: 'median, dispatch → ActionResult back' },
    ];
  },
};
