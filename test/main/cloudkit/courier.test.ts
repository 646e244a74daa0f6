import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CourierPoller, type CourierNotification } from '../../../main/cloudkit/courier';
import { CloudKitError } from '../../../main/cloudkit/errors';
import { createMemoryLogger } from '../../../main/log/logger';

/**
 * Courier edge cases on a loopback server that answers from a script (keepalive, bad frames,
 * expired tokens). The emulator's courier is exercised in client.integration.test.ts.
 */

type Answer = { status?: number; body?: string } | 'hang' | 'trickle';

let server: Server | undefined;
let poller: CourierPoller | undefined;
/** Bytes the 'trickle' answer has sent so far. */
const trickled = { count: 0 };

afterEach(async () => {
  poller?.close();
  poller = undefined;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function startCourier(answers: Answer[]): Promise<{ url: string; hits: string[]; ports: number[] }> {
  const hits: string[] = [];
  const ports: number[] = [];
  const hanging: ServerResponse[] = [];
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    ports.push(req.socket.remotePort ?? 0);
    const answer = answers.shift() ?? 'hang';
    if (answer === 'hang') {
      hanging.push(res);
      return;
    }
    if (answer === 'trickle') {
      // A connection that looks alive (a byte now and then) but never delivers anything.
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => {
        trickled.count += 1;
        res.write(' ');
      }, 5);
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
    res.end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/aps?tok=secret-apns&ttl=43200`, hits, ports };
}

const zoneFrame = JSON.stringify({
  aps: {},
  ck: { nid: 'n1', cid: 'iCloud.app', fet: { zid: 'PhotoflareEvents', zoid: '_u', sid: 'events-zone' } },
});
const queryFrame = JSON.stringify({ ck: { nid: 'n2', qry: { sid: 's2', rid: 'evt-1', fo: 2, zid: 'PhotoflareEvents', dbs: 1, af: {} } } });

describe('CourierPoller.poll', () => {
  it('parses zone and query frames, and treats an empty body as a keepalive', async () => {
    const { url } = await startCourier([{ body: zoneFrame }, { body: queryFrame }, { body: '' }]);
    poller = new CourierPoller({ log: createMemoryLogger() });
    expect(await poller.poll(url)).toEqual([
      {
        notificationId: 'n1',
        kind: 'zone',
        subscriptionId: 'events-zone',
        zoneName: 'PhotoflareEvents',
        recordName: undefined,
        firesOn: undefined,
      },
    ]);
    expect(await poller.poll(url)).toEqual([
      { notificationId: 'n2', kind: 'query', subscriptionId: 's2', zoneName: 'PhotoflareEvents', recordName: 'evt-1', firesOn: 'update' },
    ]);
    expect(await poller.poll(url)).toEqual([]);
  });

  it('reuses its own keep-alive connection between polls', async () => {
    const { url, ports } = await startCourier([{ body: '' }, { body: '' }]);
    poller = new CourierPoller({ log: createMemoryLogger() });
    await poller.poll(url);
    await poller.poll(url);
    expect(ports[0]).toBe(ports[1]);
  });

  it('ignores frames it cannot parse, like CloudKit JS (docs/cloudkit.md §7.2)', async () => {
    const { url } = await startCourier([{ body: 'garbage' }, { body: '{"hello":1}' }]);
    const log = createMemoryLogger();
    poller = new CourierPoller({ log });
    expect(await poller.poll(url)).toEqual([]);
    expect(await poller.poll(url)).toEqual([]);
    expect(log.lines.join('\n')).not.toContain('secret-apns');
  });

  it('reports a non-2xx as courier-expired (mint a new token)', async () => {
    const { url } = await startCourier([{ status: 410, body: '' }]);
    poller = new CourierPoller({ log: createMemoryLogger() });
    await expect(poller.poll(url)).rejects.toMatchObject({ kind: 'courier-expired', action: 'renew-courier-token' });
  });

  it('stops a parked poll when the signal aborts', async () => {
    const { url } = await startCourier(['hang']);
    poller = new CourierPoller({ log: createMemoryLogger() });
    const controller = new AbortController();
    const pending = poller.poll(url, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('gives up a silent long-poll at its deadline, as a dropped connection', async () => {
    const { url } = await startCourier(['hang']);
    poller = new CourierPoller({ log: createMemoryLogger(), pollTimeoutMs: 30 });
    await expect(poller.poll(url)).rejects.toMatchObject({ kind: 'network', reason: 'deadline' });
  });

  it('gives up on a long-poll that stays open past its deadline even while bytes trickle in, and re-parks', async () => {
    const { url } = await startCourier(['trickle']);
    trickled.count = 0;
    poller = new CourierPoller({ log: createMemoryLogger(), pollTimeoutMs: 30 });
    await expect(poller.poll(url)).rejects.toMatchObject({ kind: 'network', reason: 'deadline' });
    // Given up near its 30 ms deadline, long before 400 trickled bytes (2 s) could arrive.
    expect(trickled.count).toBeLessThan(400);
  });

  it('reports a dead server as network', async () => {
    poller = new CourierPoller({ log: createMemoryLogger() });
    const error = await poller.poll('http://127.0.0.1:1/aps?tok=x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudKitError);
    expect((error as CloudKitError).kind).toBe('network');
  });
});

describe('CourierPoller.run', () => {
  it('delivers notifications, re-mints on a rejected token, and stops on abort', async () => {
    const { url, hits } = await startCourier([{ body: zoneFrame }, { status: 401 }, { body: queryFrame }, 'hang']);
    const sleeps: number[] = [];
    poller = new CourierPoller({
      log: createMemoryLogger(),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    const controller = new AbortController();
    const received: CourierNotification[] = [];
    let mints = 0;
    const done = poller.run({
      signal: controller.signal,
      mint: async () => {
        mints += 1;
        return { webcourierUrl: `${url}&m=${mints}`, expiresAtMs: undefined };
      },
      onNotification: (n) => {
        received.push(n);
        if (received.length === 2) controller.abort();
      },
    });
    await done;
    expect(received.map((n) => n.notificationId)).toEqual(['n1', 'n2']);
    expect(mints).toBe(2);
    expect(hits[2]).toContain('m=2');
    // Re-park quickly after a frame; back off after a rejection.
    expect(sleeps).toEqual([10, 1000, 10]);
  });

  it('says frames may have been missed after a connection failed or went silent, so the caller can pull', async () => {
    const { url } = await startCourier(['hang', { body: zoneFrame }, 'hang']);
    poller = new CourierPoller({ log: createMemoryLogger(), pollTimeoutMs: 40, sleep: async () => undefined });
    const controller = new AbortController();
    const events: string[] = [];
    await poller.run({
      signal: controller.signal,
      mint: async () => ({ webcourierUrl: url, expiresAtMs: undefined }),
      onGap: () => events.push('gap'),
      onNotification: (n) => {
        events.push(n.notificationId);
        controller.abort();
      },
    });
    expect(events).toEqual(['gap', 'n1']);
  });

  it('mints a new courier URL before the old one expires', async () => {
    const { url } = await startCourier([{ body: '' }, 'hang']);
    let nowMs = 0;
    poller = new CourierPoller({
      log: createMemoryLogger(),
      now: () => nowMs,
      // Each re-park advances the clock past the renewal margin (5 min before a 10-min expiry).
      sleep: async () => {
        nowMs += 6 * 60_000;
      },
    });
    const controller = new AbortController();
    let mints = 0;
    await poller.run({
      signal: controller.signal,
      mint: async () => {
        mints += 1;
        if (mints === 2) controller.abort();
        return { webcourierUrl: url, expiresAtMs: nowMs + 10 * 60_000 };
      },
      onNotification: () => undefined,
    });
    expect(mints).toBe(2);
  });
});
