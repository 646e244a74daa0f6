import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startWebShell } from '../../main/webshell/server';
import { makeTestCore, TRUSTED } from '../helpers/core';
import { signInCookie } from '../main/webshell/raw-client';
import { median, percentile, sampleMs, type Bench } from './harness';

/**
 * The cost of the validated IPC boundary: sender check + zod parse of request and response +
 * Result envelope (in process), and the same round trip through the web shell's WebSocket.
 */
export const ipcBench: Bench = {
  name: 'ipc',
  async run() {
    const env = makeTestCore();
    const dispatch = env.core.dispatch;
    const runs = 2000;
    const infoSamples = await sampleMs(() => dispatch('app.info', {}, TRUSTED), runs, 50);
    const updateSamples = await sampleMs(() => dispatch('settings.update', { theme: 'dark' }, TRUSTED), 500, 20);

    const staticDir = mkdtempSync(join(tmpdir(), 'photoflare-bench-'));
    writeFileSync(join(staticDir, 'index.html'), '');
    const secret = 'bench-secret';
    const shell = await startWebShell({ core: env.core, staticDir, secret, log: env.core.log });
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/bridge`, {
      headers: { origin: shell.origin, cookie: await signInCookie(shell) },
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    let id = 0;
    const roundTrip = () =>
      new Promise<void>((resolve) => {
        const mine = ++id;
        const onMessage = (data: WebSocket.RawData) => {
          if ((JSON.parse((data as Buffer).toString()) as { id?: number }).id === mine) {
            ws.off('message', onMessage);
            resolve();
          }
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ type: 'request', id: mine, channel: 'app.info', request: {} }));
      });
    const wsSamples = await sampleMs(roundTrip, 1000, 50);
    ws.close();
    await shell.close();
    await env.cleanup();
    rmSync(staticDir, { recursive: true, force: true });

    return [
      { name: 'ipc.dispatch_p50_us', value: median(infoSamples) * 1000, note: 'app.info, in process' },
      { name: 'ipc.dispatch_p99_us', value: percentile(infoSamples, 99) * 1000, note: 'app.info, in process' },
      { name: 'ipc.settings_update_p50_ms', value: median(updateSamples), note: 'includes the atomic settings write' },
      { name: 'ipc.webshell_roundtrip_p50_ms', value: median(wsSamples), note: 'app.info over the bridge socket' },
      { name: 'ipc.webshell_roundtrip_p99_ms', value: percentile(wsSamples, 99) },
    ];
  },
};
