import { rmSync, writeFileSync } from 'node:fs';
import { Session as InspectorSession } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { thumbnailRoute } from '../../main/thumbnails/thumbnail-route';
import { startWebShell, type WebShell, type WebShellRoute } from '../../main/webshell/server';
import type { ConnectionStatus } from '../../shared/library/schemas';
import { launchChromium } from '../e2e/helpers/chromium';
import { INSTALL_GRID_PROBES } from './grid/page-scripts';
import { BENCH_VIEWPORT as VIEWPORT, clickScrubber, waitVisiblePainted } from './grid/paint-wait';
import { median, type Bench, type Metric } from './harness';
import { startEmulatorProcess } from './library/emulator-process';
import { ensureRendererBuilt } from './library/paths';
import { benchLogger, call, composeBenchCore, makeProfileDir } from './library/profile';
import { requestKind, Timeline, type TimedRequest } from './library/timeline';
import type { Core } from '../../main/compose';

/** The library size issue 15's first-run targets are stated for. */
const PHOTOS = 100_000;
const ALBUMS = 8;
/** Issue 15's far jump: to 80 % of the library, right after the first screen. */
const JUMP_FRACTION = 0.8;
/** Fresh profiles per bench run (`PHOTOFLARE_BENCH_RUNS` overrides); the figures are medians. */
const RUNS = Number(process.env['PHOTOFLARE_BENCH_RUNS'] ?? 3);
const MIB = 1024 * 1024;

/**
 * Issue 15 item 4, the first run: a fresh profile signs in to a 100k-photo PhotoPrism (the
 * emulator in its own process, gzip on as in PhotoPrism's docker-compose.yml) in Debian's
 * Chromium through the web shell, with no thumbnail on disk.
 *
 * Per run: sign-in is dispatched with the page on the sign-in screen; the clock runs until every
 * tile in the viewport shows its image (first screen); then a scrubber jump to 80 % is timed the
 * same way while the index is still arriving; then the run waits for the index to settle. Every
 * byte the server sends goes through a counting loopback proxy (thumbnails included), and the
 * sidebar's progress line is read at the first screen, so a total that only counts what has
 * arrived ("47,859 of 47,859") shows up in the note.
 */
export const firstRunBench: Bench = {
  name: 'first-run',
  async run() {
    const rendererDir = ensureRendererBuilt();
    const emulator = await startEmulatorProcess({ photos: PHOTOS, albums: ALBUMS, seed: 1 });
    let timeline: Timeline | undefined;
    const proxy = await startCountingProxy(new URL(emulator.url), () => timeline);
    const browser = await launchChromium();
    const runs: Run[] = [];
    try {
      // PHOTOFLARE_BENCH_DIRECT=1 talks to the server without the counting relay (to see what the relay costs).
      const serverUrl = process.env['PHOTOFLARE_BENCH_DIRECT'] === '1' ? emulator.url : proxy.url;
      for (let i = 0; i < RUNS; i++) {
        timeline = new Timeline();
        runs.push(await oneRun(browser, rendererDir, serverUrl, proxy, emulator.credentials, timeline));
      }
    } finally {
      await browser.close();
      await proxy.close();
      await emulator.stop();
    }
    return metrics(runs);
  },
};

interface Run {
  readonly firstScreenMs: number;
  readonly jumpMs: number;
  readonly settleMs: number;
  readonly bytesAtFirstScreen: number;
  readonly bytesAtSettle: number;
  readonly cachedAtJump: number;
  readonly progressAtFirstScreen: string;
}

async function oneRun(
  browser: Browser,
  rendererDir: string,
  serverUrl: string,
  proxy: CountingProxy,
  credentials: { readonly username: string; readonly password: string },
  timeline: Timeline,
): Promise<Run> {
  const profileDir = makeProfileDir();
  const log = benchLogger('bench-first-run');
  // A server on the network, as most people's is: the app asks for gzip, and the proxy counts what would cross the wire.
  const core = composeBenchCore(profileDir, log, { lanServer: true });
  traceMainMoments(core, timeline);
  let shell: WebShell | undefined;
  let page: Page | undefined;
  try {
    shell = await startWebShell({
      core: tracedDispatch(core, timeline),
      staticDir: rendererDir,
      routes: [tracedRoute(thumbnailRoute(core.thumbnails), timeline)],
      log: core.log,
    });
    const context = await browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
    await page.addInitScript({ content: INSTALL_GRID_PROBES });
    await page.addInitScript({ content: NOTE_FIRST_TILE_SRC });
    await page.goto(shell.url);
    await page.getByLabel('Server address').waitFor();
    // PHOTOFLARE_BENCH_RENDERER_PROFILE=<folder>: a CPU profile of the page from sign-in to the first screen (a .cpuprofile per run).
    const profileOut = process.env['PHOTOFLARE_BENCH_RENDERER_PROFILE'];
    const cdp = profileOut ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const mainProfile = profileOut ? await startMainProfile() : undefined;
    const cpuBefore = process.cpuUsage();
    // PHOTOFLARE_BENCH_TIMELINE=all: every request on its own line, and where this process's event loop was held.
    const stopStalls = process.env['PHOTOFLARE_BENCH_TIMELINE'] === 'all' ? noteLoopStalls(timeline) : () => undefined;
    const startedAt = await page.evaluate<number>('performance.now()');
    const wallStart = performance.now();
    const bytesBefore = proxy.bytes();
    // Page time → this process's time (the timeline's clock).
    const pageToNodeMs = wallStart - startedAt;
    timeline.mark('sign-in dispatched', wallStart);
    // Sign in as the form would; the page follows the connection's events on its own.
    await call<ConnectionStatus>(core, 'connection.signIn', { serverUrl: serverUrl, ...credentials });
    timeline.mark('signed in');
    const firstScreenMs = await paintedOrNaN(page, startedAt, 'first-screen');
    const firstScreenAt = timeline.mark('first screen painted', wallStart + firstScreenMs);
    stopStalls();
    const cpu = process.cpuUsage(cpuBefore);
    timeline.mark(`(this process's CPU from sign-in to painted: ${Math.round((cpu.user + cpu.system) / 1000)} ms)`);
    if (mainProfile && profileOut)
      writeFileSync(join(profileOut, `first-run-main-${Date.now()}.cpuprofile`), JSON.stringify(await mainProfile()));
    await noteBrowserTimings(page, timeline, pageToNodeMs);
    if (cdp && profileOut) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(join(profileOut, `first-run-renderer-${Date.now()}.cpuprofile`), JSON.stringify(profile));
      await cdp.detach();
    }
    const bytesAtFirstScreen = proxy.bytes() - bytesBefore;
    const progressAtFirstScreen =
      (await page
        .getByTestId('indexing')
        .textContent({ timeout: 1000 })
        .catch(() => null)) ?? '(none)';
    const counts = await call<{ all: number; archived: number }>(core, 'library.counts');
    const clickedAt = await clickScrubber(page, JUMP_FRACTION);
    const jumpMs = await paintedOrNaN(page, clickedAt, 'jump');
    const jumpPaintedAt = timeline.mark('jump painted', clickedAt + pageToNodeMs + jumpMs);
    timeline.mark('scrubber pointerdown', clickedAt + pageToNodeMs);
    const painted = (at: number) => (Number.isNaN(at) ? performance.now() : at);
    process.stderr.write(
      `first-run bench: the first screen (ms since sign-in was dispatched)\n${timeline.summary(wallStart, wallStart, painted(firstScreenAt))}\n` +
        `first-run bench: the jump (ms since the pointerdown)\n${timeline.summary(clickedAt + pageToNodeMs, clickedAt + pageToNodeMs, painted(jumpPaintedAt))}\n`,
    );
    // Said now: settling a 100k index on a loaded machine can take minutes.
    process.stderr.write(
      `first-run bench: first screen ${Math.round(firstScreenMs)} ms, jump ${Math.round(jumpMs)} ms, ${bytesAtFirstScreen} bytes to the first screen\n`,
    );
    await core.library.refresh();
    const settleMs = performance.now() - wallStart;
    if (log.warnings.length > 0) process.stderr.write(`first-run bench: ${log.warnings.length} warnings, first:\n${log.warnings[0]}\n`);
    return {
      firstScreenMs,
      jumpMs,
      settleMs,
      bytesAtFirstScreen,
      bytesAtSettle: proxy.bytes() - bytesBefore,
      cachedAtJump: counts.all + counts.archived,
      progressAtFirstScreen: progressAtFirstScreen.trim(),
    };
  } finally {
    await page?.context().close();
    await shell?.close();
    await core.dispose();
    rmSync(profileDir, { recursive: true, force: true });
  }
}

/** Main's own moments on the timeline: the events it pushes to the renderer, and when it fetched the first screen ahead. */
function traceMainMoments(core: Core, timeline: Timeline): void {
  const emit = core.events.emit.bind(core.events);
  core.events.emit = (event, payload) => {
    if (event === 'library.changed') timeline.mark(`event library.changed ${JSON.stringify(payload).slice(0, 60)}`);
    emit(event, payload);
  };
  const fetchFirstScreen = core.thumbnails.fetchFirstScreen.bind(core.thumbnails);
  core.thumbnails.fetchFirstScreen = (hashes) => {
    timeline.mark(`main fetches the first screen ahead (${hashes.length} photos named)`);
    fetchFirstScreen(hashes);
  };
}

/** The core with its dispatch noted on `timeline`: when the renderer asked main for what, and when main answered. */
function tracedDispatch(core: Core, timeline: Timeline): Core {
  const dispatch: Core['dispatch'] = async (channel, request, sender) => {
    const offset = typeof request === 'object' && request !== null && 'offset' in request ? ` offset ${String(request.offset)}` : '';
    const timed = timeline.request('ipc', `${String(channel)}${offset}`);
    try {
      return await core.dispatch(channel, request, sender);
    } finally {
      timed.firstByteMs = timed.endMs = performance.now();
    }
  };
  return Object.assign(Object.create(core) as Core, { dispatch });
}

/** Marks on the timeline where this process's event loop (main's: the core, the web shell) was held 30 ms or more. */
function noteLoopStalls(timeline: Timeline): () => void {
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last >= 30) timeline.mark(`(main's event loop held ${Math.round(now - last)} ms)`, last);
    last = now;
  }, 5);
  return () => clearInterval(timer);
}

/** Start a CPU profile of this process (main's side: the core, the web shell, the relay); answers its stop. */
async function startMainProfile(): Promise<() => Promise<object>> {
  const session = new InspectorSession();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    session.disconnect();
    return profile;
  };
}

/** Init script: the page time the first grid tile got an image source (window.__firstTileSrcAt). */
const NOTE_FIRST_TILE_SRC = `(() => {
  window.__eventsSeen = [];
  const add = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, listener, options) {
    if (type !== 'message') return add.call(this, type, listener, options);
    return add.call(this, type, (event) => {
      const text = typeof event.data === 'string' ? event.data : '';
      const started = performance.now();
      listener(event);
      const match = /"(library\\.changed|connection\\.changed)"/.exec(text);
      if (match) window.__eventsSeen.push({ at: started, what: match[1] + ' ' + text.slice(0, 80), handledMs: performance.now() - started });
    }, options);
  };
  const observer = new MutationObserver(() => {
    if (document.querySelector('[role="gridcell"] img[src]')) {
      window.__firstTileSrcAt = performance.now();
      observer.disconnect();
    }
  });
  document.addEventListener('DOMContentLoaded', () => observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] }));
})();`;

/**
 * The browser's side of the first screen on the timeline: when the first tile got its image
 * source, and each thumbnail as Chromium's resource timing saw it (queued, sent, first byte, end).
 */
async function noteBrowserTimings(page: Page, timeline: Timeline, pageToNodeMs: number): Promise<void> {
  const seen = await page.evaluate<{
    srcAt: number | null;
    events: { at: number; what: string; handledMs: number }[];
    thumbs: { start: number; sent: number; firstByte: number; end: number }[];
  }>(`({
    srcAt: window.__firstTileSrcAt ?? null,
    events: window.__eventsSeen ?? [],
    thumbs: performance.getEntriesByType('resource').filter((e) => e.name.includes('/thumbs/')).map((e) => ({ start: e.startTime, sent: e.requestStart, firstByte: e.responseStart, end: e.responseEnd })),
  })`);
  if (seen.srcAt !== null) timeline.mark('first tile img src set', seen.srcAt + pageToNodeMs);
  for (const e of seen.events) timeline.mark(`renderer got ${e.what} (handled in ${Math.round(e.handledMs)} ms)`, e.at + pageToNodeMs);
  for (const t of seen.thumbs) {
    const timed = timeline.request('browser-thumb', `img sent ${Math.round(t.sent - t.start)} ms after asked`, t.start + pageToNodeMs);
    timed.firstByteMs = (t.firstByte || t.end) + pageToNodeMs;
    timed.endMs = t.end + pageToNodeMs;
  }
}

/** A web shell route with each request noted on the timeline (arrival, answer). */
function tracedRoute(route: WebShellRoute, timeline: Timeline): WebShellRoute {
  return {
    ...route,
    handle: async (req, res, url) => {
      const timed = timeline.request('shell-thumb', url.pathname);
      try {
        await route.handle(req, res, url);
      } finally {
        timed.firstByteMs = timed.endMs = performance.now();
      }
    },
  };
}

/**
 * Ms until every visible tile is painted, or NaN after PAINT_TIMEOUT_MS (main's first run on a
 * loaded machine did not paint in a minute): the run goes on, and a screenshot says what was shown.
 */
async function paintedOrNaN(page: Page, startedAt: number, label: string): Promise<number> {
  try {
    return await waitVisiblePainted(page, startedAt);
  } catch (error) {
    const shot = join(tmpdir(), `photoflare-first-run-${label}-not-painted.png`);
    await page.screenshot({ path: shot });
    process.stderr.write(`first-run bench: ${label}: ${error instanceof Error ? error.message : String(error)} (screenshot: ${shot})\n`);
    return Number.NaN;
  }
}

interface CountingProxy {
  readonly url: string;
  /** Bytes the server has sent so far, over every connection (on the wire: compressed where it compressed). */
  bytes(): number;
  close(): Promise<void>;
}

/**
 * A loopback TCP relay in front of the server that counts what the server sends, and notes each
 * request on `timeline` with when its answer began and ended. Read from the bytes as they pass
 * (a request line starts a client chunk; an answer ends after its Content-Length or its last
 * chunk): good enough for a diagnosis, and it changes nothing on the wire.
 */
async function startCountingProxy(target: URL, timeline: () => Timeline | undefined): Promise<CountingProxy> {
  let received = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    const asked: TimedRequest[] = [];
    let answering: { request: TimedRequest | undefined; remainingBytes: number | null } | undefined;
    client.on('data', (chunk: Buffer) => {
      const line = /^(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP/.exec(chunk.toString('latin1', 0, Math.min(chunk.length, 2048)));
      const method = line?.[1];
      const path = line?.[2];
      if (method && path) asked.push(timeline()?.request(requestKind(method, path), `${method} ${path.slice(0, 90)}`) ?? {});
    });
    upstream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      const now = performance.now();
      let body = chunk;
      if (answering === undefined || answering.remainingBytes === 0) {
        const head = chunk.toString('latin1', 0, Math.min(chunk.length, 4096));
        const headEnd = head.indexOf('\r\n\r\n');
        if (!head.startsWith('HTTP/1.') || headEnd < 0) return;
        const request = asked.shift();
        if (request) request.firstByteMs = now;
        const length = /\r\ncontent-length: *(\d+)/i.exec(head.slice(0, headEnd));
        answering = { request, remainingBytes: length ? Number(length[1]) : null };
        body = chunk.subarray(headEnd + 4);
      }
      if (answering.remainingBytes !== null) answering.remainingBytes -= body.length;
      const ended =
        answering.remainingBytes === null
          ? body.toString('latin1', Math.max(0, body.length - 5)) === '0\r\n\r\n'
          : answering.remainingBytes <= 0;
      if (ended) {
        if (answering.request) answering.request.endMs = now;
        answering = { request: undefined, remainingBytes: 0 };
      }
    });
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    bytes: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function metrics(runs: readonly Run[]): Metric[] {
  const of = (pick: (r: Run) => number) => runs.map(pick);
  const list = (values: readonly number[]) => values.map((v) => Math.round(v)).join(', ');
  return [
    {
      name: 'library.first_run_first_screen_ms',
      value: median(of((r) => r.firstScreenMs)),
      target: { op: '<=', value: 900 },
      note: `median of ${runs.length} fresh profiles (${list(of((r) => r.firstScreenMs))}); ${PHOTOS / 1000}k server in its own process, ${VIEWPORT.width}×${VIEWPORT.height}; sign-in dispatched → every tile in the viewport painted; progress line then: "${runs[0]?.progressAtFirstScreen ?? ''}"`,
    },
    {
      name: 'library.first_run_jump_ms',
      value: median(of((r) => r.jumpMs)),
      target: { op: '<=', value: 1500 },
      note: `median of ${runs.length} (${list(of((r) => r.jumpMs))}); right after the first screen, scrubber pointerdown at ${JUMP_FRACTION * 100} % → every visible tile painted; photos cached at that moment: ${list(of((r) => r.cachedAtJump))}`,
    },
    {
      name: 'library.first_run_first_screen_mib',
      value: median(of((r) => r.bytesAtFirstScreen)) / MIB,
      note: 'median bytes the server sent from sign-in to the first screen painted (on the wire, thumbnails included)',
    },
    {
      name: 'library.first_run_settle_mib',
      value: median(of((r) => r.bytesAtSettle)) / MIB,
      note: `median bytes the server sent from sign-in until the first index settled (jump included); settled after ${list(of((r) => r.settleMs))} ms`,
    },
  ];
}
