import type { Page } from 'playwright-core';
import type { LibraryPage } from '../../shared/library/schemas';
import { openInChromium } from '../e2e/helpers/core-session';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { makeDevice } from '../helpers/devices';
import { median, type Bench, type Metric } from './harness';
import { ensureRendererBuilt } from './library/paths';

/**
 * In the page: `window.__photoflareViewerShown(uid)` resolves with the ms from the next keydown
 * to the frame after the viewer shows `uid`'s sharp preview (decoded, in the letterboxed box).
 * A plain string, evaluated through the DevTools protocol, so no bundler helper leaks in.
 */
const INSTALL_PROBE = `window.__photoflareViewerShown = (uid) => new Promise((resolve) => {
  let start = 0;
  window.addEventListener('keydown', (event) => { start = event.timeStamp; }, { capture: true, once: true });
  const shown = () => {
    const img = document.querySelector('[data-testid="viewer-image"]');
    const box = document.querySelector('[data-testid="viewer-image-box"]');
    return Boolean(img && box && img.getAttribute('src').includes('/' + uid + '/') && box.dataset.status === 'sharp');
  };
  const observer = new MutationObserver(() => {
    if (!start || !shown()) return;
    observer.disconnect();
    requestAnimationFrame(() => resolve(performance.now() - start));
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
}); true`;

/** Sizes the client asks for at 1440×900, 1×: grid tiles and fit previews. */
const WARM_SIZES = ['tile_224', 'tile_500', 'fit_1280', 'fit_1920'];

/**
 * Have the emulator render every preview first, as PhotoPrism pre-generates thumbnails when it
 * indexes, so the figures measure the client (main's fetch and disk cache, the renderer's
 * decode and paint), not the emulator's encoder.
 */
async function pregenerate(pp: PhotoPrismEmulator): Promise<void> {
  const login = await fetch(`${pp.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(pp.credentials),
  });
  const token = ((await login.json()) as { config: { previewToken: string } }).config.previewToken;
  for (const photo of pp.admin.snapshot().photos) {
    const hash = photo.Files.find((f) => f.Primary)?.Hash;
    if (!hash) continue;
    for (const size of WARM_SIZES) await (await fetch(`${pp.url}/api/v1/t/${hash}/${token}/${size}`)).arrayBuffer();
  }
}

async function measure(page: Page, uid: string, key: string): Promise<number> {
  await page.evaluate(`window.__photoflareViewerWait = window.__photoflareViewerShown(${JSON.stringify(uid)}); true`);
  await page.keyboard.press(key);
  return await page.evaluate<number>('window.__photoflareViewerWait');
}

/**
 * The viewer in Debian Chromium at 1440×900 against the web shell, the real core and the
 * PhotoPrism emulator on loopback (previews pre-generated):
 * - `viewer.open_cold_ms`: Enter on a tile until its sharp preview is painted, never fetched before;
 * - `viewer.open_warm_ms`: the same photos again (in main's disk cache and the browser's);
 * - `viewer.next_ms`: → until the next photo's sharp preview is painted (it was prefetched);
 * - `viewer.decoded_cache_mb`: what the decoded-image cache holds after walking 200 photos.
 */
export const viewerBench: Bench = {
  name: 'viewer',
  async run(): Promise<Metric[]> {
    ensureRendererBuilt();
    const pp = await startPhotoPrismEmulator({ photos: 260, albums: 0, seed: 21, rateLimits: false });
    await pregenerate(pp);
    const device = await makeDevice({ name: 'viewer-bench', photoprism: pp });
    const { shell, browser, page } = await openInChromium(device.core, { width: 1440, height: 900 });
    const cold: number[] = [];
    const warm: number[] = [];
    const next: number[] = [];
    let decodedMb = Number.NaN;
    try {
      await page.locator('[role="gridcell"][data-index="0"] img').waitFor({ timeout: 120_000 });
      await page.evaluate(INSTALL_PROBE);
      const view = await device.call<LibraryPage>('library.query', { view: { kind: 'all' }, q: '', offset: 0, limit: 1000 });
      const uids = view.photos.map((p) => p.uid);
      const viewer = page.getByTestId('viewer');
      // Every third tile: prefetching warms only the neighbours, so each of these opens cold.
      const opened = [0, 3, 6, 9, 12, 15, 18, 21];
      await page.locator('[role="gridcell"][data-index="0"]').click();
      for (const samples of [cold, warm]) {
        for (const index of opened) {
          // Focus the tile with the keyboard (the grid scrolls to it), then open it.
          await page.getByTestId('photo-grid').focus();
          await page.keyboard.press('Home');
          for (let step = 0; step < index; step++) await page.keyboard.press('ArrowRight');
          samples.push(await measure(page, uids[index] ?? '', 'Enter'));
          await page.keyboard.press('Escape');
          await viewer.waitFor({ state: 'hidden' });
        }
      }
      await page.getByTestId('photo-grid').focus();
      await page.keyboard.press('Home');
      await page.keyboard.press('Enter');
      await viewer.waitFor();
      for (let index = 1; index <= 200 && index < uids.length; index++) {
        next.push(await measure(page, uids[index] ?? '', 'ArrowRight'));
      }
      decodedMb = Number(await viewer.getAttribute('data-decoded-bytes')) / (1024 * 1024);
    } finally {
      await browser.close();
      await shell.close();
      await device.close();
      await pp.close();
    }
    return [
      { name: 'viewer.open_cold_ms', value: median(cold), note: `median of ${cold.length}: Enter → sharp preview painted, first fetch` },
      { name: 'viewer.open_warm_ms', value: median(warm), note: `median of ${warm.length}: the same photos reopened` },
      { name: 'viewer.next_ms', value: median(next), note: `median of ${next.length}: → → next sharp preview painted` },
      { name: 'viewer.decoded_cache_mb', value: decodedMb, note: 'decoded previews held after 200 photos (budget 160 MB, 12 images)' },
    ];
  },
};
