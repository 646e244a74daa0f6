import { describe, expect, it } from 'vitest';
import { runChaos } from './helpers/chaos';

/**
 * The fault run of issue 12 ("Never lose a change"), part of `npm test`: see [Note: Chaos run].
 * Seeds that once found a cache stale for good (90890: a refresh skipped items the offline queue
 * held and nothing read them again; 868095: events missing on a device) replay every time.
 * PHOTOFLARE_CHAOS_RANDOM=1 adds a random seed (printed) to look for new failures, and
 * PHOTOFLARE_SEED=N replays one seed alone. `npm test` runs only the fixed seeds: a red CI must
 * be reproducible by anyone from its log, and a new seed's finding becomes a fixed seed here.
 *
 * How fast the devices settle (the issue's "within 10 s of the faults ending") is measured from
 * the moment the faults end — every device running, none able to kill itself — to the start of
 * the check that found everything in order (the checks' own IPC round trips do not count). The
 * devices are real processes on real timers, so that is time on the machine's clock, and a
 * machine shared by many test runs stretches it: the test allows SETTLE_BOUND_MS and prints the
 * figure; `npm run bench` (sync.converge_after_faults_s) holds the 10 s target. What keeps it
 * short is the product's waits after a fault: PhotoPrism re-checked every ≤ 8 s, iCloud's
 * backoff reset by any answer, the courier's reconnect cutting a backoff.
 */
const REPLAY = process.env['PHOTOFLARE_SEED'];
const FIXED_SEEDS = [90890, 868095];
const SEEDS =
  REPLAY !== undefined
    ? [Number(REPLAY)]
    : process.env['PHOTOFLARE_CHAOS_RANDOM'] === '1'
      ? [...FIXED_SEEDS, Math.floor(Math.random() * 1_000_000)]
      : FIXED_SEEDS;
const SETTLE_BOUND_MS = 20_000;

describe('chaos: three device processes under faults and kill -9', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: every accepted action on the server and every device, no event lost or applied twice, no Sync Now`, async () => {
      const report = await runChaos({ seed, rounds: 16, settleTimeoutMs: SETTLE_BOUND_MS, print: (line) => console.log(line) });
      console.log(
        `chaos seed ${seed}: settled after ${report.convergedAfterMs === undefined ? 'never' : `${Math.round(report.convergedAfterMs)} ms`}`,
      );
      expect(report.problems, `seed ${seed} (replay: PHOTOFLARE_SEED=${seed})`).toEqual([]);
      expect(report.convergedAfterMs, `seed ${seed}`).toBeLessThanOrEqual(SETTLE_BOUND_MS);
      // The weather really was bad.
      expect(report.failedICloudRequests, `seed ${seed}`).toBeGreaterThan(0);
    }, 90_000);
  }
});
