import { formatTable, type Bench, type Metric } from './harness';
import { actionsBench } from './actions.bench';
import { chaosBench } from './chaos.bench';
import { eventLogBench } from './eventlog.bench';
import { exportBench } from './export.bench';
import { firstRunBench } from './first-run.bench';
import { gridBench } from './grid.bench';
import { importBench } from './import.bench';
import { ipcBench } from './ipc.bench';
import { keypressBench } from './keypress.bench';
import { libraryBench } from './library.bench';
import { offlineBench } from './offline.bench';
import { searchBench } from './search.bench';
import { syncBench } from './sync.bench';
import { viewerBench } from './viewer.bench';

/**
 * `npm run bench [-- --json] [-- --only NAME]`: runs every benchmark, prints a table (or JSON).
 * `--only library --no-browser`: the library bench's index and ingest figures alone (about a minute).
 *
 * Add a benchmark by exporting a `Bench` from a `*.bench.ts` file here and listing it below.
 */
const BENCHES: readonly Bench[] = [
  ipcBench,
  eventLogBench,
  actionsBench,
  keypressBench,
  libraryBench,
  gridBench,
  firstRunBench,
  syncBench,
  viewerBench,
  offlineBench,
  searchBench,
  chaosBench,
  importBench,
  exportBench,
];

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;

const results: Array<{ bench: string; metric: Metric }> = [];
for (const bench of BENCHES) {
  if (only && bench.name !== only) continue;
  if (!json) process.stderr.write(`running ${bench.name}…\n`);
  for (const metric of await bench.run()) results.push({ bench: bench.name, metric });
}

if (json) {
  process.stdout.write(
    `${JSON.stringify(
      results.map(({ bench, metric }) => ({ bench, ...metric })),
      null,
      2,
    )}\n`,
  );
} else {
  process.stdout.write(`${formatTable(results)}\n`);
}
