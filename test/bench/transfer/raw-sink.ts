import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * The raw copy's far side, run as its own process by the import benchmark (test/bench/import.bench.ts):
 * every request body is written to a new file with a 1 MB write buffer, the same as the emulator's
 * upload handler uses (test/emulators/photoprism/multipart-stream.ts), and answered `ok` (the files stay until the process stops, as the emulator's uploads do). Nothing
 * else: no envelope, no hash, no import step. It runs in a process of its own because the emulator
 * does in that benchmark (a server is never in the client's process), so both baselines and the
 * import get the same two processes on the machine's cores.
 *
 * Prints `listening on http://127.0.0.1:PORT` (the line test/bench/library/emulator-process.ts
 * waits for) and removes its files when it is stopped.
 */
const MB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'pf-bench-raw-sink-'));
let count = 0;
const server = createServer((req, res) => {
  const path = join(dir, `sink-${count++}`);
  pipeline(req, createWriteStream(path, { highWaterMark: MB })).then(
    () => res.end('ok'),
    () => res.destroy(),
  );
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`raw sink listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
const stop = (): void => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
