import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryPage, PhotoSummary } from '../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { screenshotPath } from './helpers/chromium';
import { startSignedInSession, type SignedInSession, waitForLibraryShown } from './helpers/core-session';

/**
 * The photo viewer in Chromium (issue 13): every shape of photo letterboxed inside the window
 * at two window sizes, zoom to 100 % and pan with the keys, and offline: the cached preview or
 * a clear "not available offline", never a broken image.
 *
 * The web shell here runs on Linux, so ⌘ is Ctrl (shared/keymap.ts `mod`).
 */
type Shape = 'portrait' | 'landscape' | 'panorama' | 'square';

function shapeOf(photo: PhotoSummary): Shape {
  const ratio = photo.width / photo.height;
  if (ratio > 1.9) return 'panorama';
  if (photo.width === photo.height) return 'square';
  return ratio > 1 ? 'landscape' : 'portrait';
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

describe('the photo viewer in Chromium', () => {
  let emu: PhotoPrismEmulator;
  let session: SignedInSession;
  let page: Page;
  let photos: PhotoSummary[];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    emu = await startPhotoPrismEmulator({ photos: 60, albums: 0, seed: 13, rateLimits: false });
    session = await startSignedInSession({ emu, profile: 'e2e-viewer', viewport: { width: 1440, height: 900 } });
    page = session.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await waitForLibraryShown(page);
    const result = await session.call<LibraryPage>('library.query', { view: { kind: 'all' }, q: '', offset: 0, limit: 1000 });
    photos = result.photos;
  });

  afterAll(async () => {
    await session?.close();
    await emu?.close();
  });

  const counter = () => page.getByTestId('viewer-counter');
  const box = () => page.getByTestId('viewer-image-box');

  function firstIndexOf(shape: Shape, from = 0): number {
    const index = photos.findIndex((photo, i) => i >= from && photo.type === 'image' && shapeOf(photo) === shape);
    if (index < 0) throw new Error(`the generated library has no ${shape} photo`);
    return index;
  }

  /** Open the viewer on the first photo with the keyboard, then walk with ← / → to `index`. */
  async function showIndex(index: number): Promise<void> {
    if (!(await page.getByTestId('viewer').isVisible())) {
      // Whichever tile is on screen (the grid draws only those near the viewport).
      const first = page.locator('[role="gridcell"][data-index]').first();
      const start = Number(await first.getAttribute('data-index'));
      await first.click();
      await page.keyboard.press('Enter');
      await expect.poll(() => counter().textContent()).toMatch(new RegExp(`^${start + 1} of `));
    }
    for (;;) {
      const current = Number((await counter().textContent())?.split(' ')[0]) - 1;
      if (current === index) return;
      await page.keyboard.press(current < index ? 'ArrowRight' : 'ArrowLeft');
      await expect.poll(async () => (await counter().textContent())?.split(' ')[0]).not.toBe(String(current + 1));
    }
  }

  async function sharpLoaded(): Promise<void> {
    await expect.poll(() => box().getAttribute('data-status'), { timeout: 90_000 }).toBe('sharp');
  }

  async function rects(): Promise<{ stage: Rect; box: Rect; image: Rect; natural: { width: number; height: number } }> {
    return page.evaluate(() => {
      const r = (el: Element | null) => {
        const b = el?.getBoundingClientRect();
        return { x: b?.x ?? 0, y: b?.y ?? 0, width: b?.width ?? 0, height: b?.height ?? 0 };
      };
      const img = document.querySelector<HTMLImageElement>('[data-testid="viewer-image"]');
      return {
        stage: r(document.querySelector('[data-testid="viewer-stage"]')),
        box: r(document.querySelector('[data-testid="viewer-image-box"]')),
        image: r(img),
        natural: { width: img?.naturalWidth ?? 0, height: img?.naturalHeight ?? 0 },
      };
    });
  }

  /** Letterboxed: inside the stage, centred, touching it on one axis, at the photo's aspect ratio. */
  function expectFitted(m: Awaited<ReturnType<typeof rects>>, photo: PhotoSummary, window: { width: number; height: number }) {
    const { stage, box: b } = m;
    expect(stage.width).toBeCloseTo(window.width, 0);
    expect(stage.height).toBeGreaterThan(window.height - 80);
    expect(b.x).toBeGreaterThanOrEqual(stage.x - 0.5);
    expect(b.y).toBeGreaterThanOrEqual(stage.y - 0.5);
    expect(b.x + b.width).toBeLessThanOrEqual(stage.x + stage.width + 0.5);
    expect(b.y + b.height).toBeLessThanOrEqual(stage.y + stage.height + 0.5);
    expect(Math.abs(b.x + b.width / 2 - (stage.x + stage.width / 2))).toBeLessThan(1);
    expect(Math.abs(b.y + b.height / 2 - (stage.y + stage.height / 2))).toBeLessThan(1);
    expect(Math.max(b.width / stage.width, b.height / stage.height)).toBeCloseTo(1, 2);
    expect(b.width / b.height).toBeCloseTo(photo.width / photo.height, 1);
    // The sharp image fills exactly that box, and it is a preview of the same shape.
    expect(m.image).toEqual(b);
    expect(m.natural.width / m.natural.height).toBeCloseTo(photo.width / photo.height, 1);
    // Sharp enough for the box in device pixels (1× here), unless PhotoPrism's 1920 cap applies.
    expect(m.natural.width >= Math.floor(b.width) - 1 || m.natural.width === 1920 || m.natural.height === 1200).toBe(true);
  }

  for (const window of [
    { width: 1440, height: 900 },
    { width: 1024, height: 700 },
  ]) {
    it(`fits portrait, landscape, panorama and square photos at ${window.width}×${window.height}`, async () => {
      await page.setViewportSize(window);
      for (const shape of ['portrait', 'landscape', 'panorama', 'square'] as const) {
        const index = firstIndexOf(shape);
        const photo = photos[index] as PhotoSummary;
        await showIndex(index);
        await sharpLoaded();
        expectFitted(await rects(), photo, window);
        for (const scheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          await page.screenshot({ path: screenshotPath(`viewer-${shape}-${window.width}x${window.height}-${scheme}`) });
        }
      }
      await page.keyboard.press('i');
      await expect.poll(() => page.getByTestId('viewer-info').textContent(), { timeout: 20_000 }).toMatch(/ISO/);
      // Files, keywords and labels come from the server's photo detail (GET /api/v1/photos/:uid).
      await expect.poll(() => page.getByTestId('viewer-files').textContent(), { timeout: 20_000 }).toMatch(/JPG · \d+ × \d+/);
      expect(await page.getByTestId('viewer-labels').textContent()).not.toBe('');
      expect(await page.getByTestId('viewer-keywords').textContent()).not.toBe('');
      await page.waitForTimeout(100);
      expectFitted(await rects(), photos[firstIndexOf('square')] as PhotoSummary, {
        width: window.width - 300,
        height: window.height,
      });
      await page.screenshot({ path: screenshotPath(`viewer-info-${window.width}x${window.height}`) });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: screenshotPath(`viewer-info-${window.width}x${window.height}-dark`) });
      await page.emulateMedia({ colorScheme: 'light' });
      await page.keyboard.press('i');
      await page.emulateMedia({ colorScheme: 'light' });
    });
  }

  it('zooms to 100 % on double-click and with the keys, pans with the arrow keys, and back to fit', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const index = firstIndexOf('landscape');
    const photo = photos[index] as PhotoSummary;
    await showIndex(index);
    await sharpLoaded();
    const fitted = await rects();

    // Double-click in the middle: 100 % is one photo pixel per device pixel (1× here).
    await page.getByTestId('viewer-stage').dblclick({ position: { x: fitted.stage.width / 2, y: fitted.stage.height / 2 } });
    await expect.poll(async () => (await rects()).box.width).toBeCloseTo(photo.width, 0);
    const zoomed = await rects();
    expect(zoomed.box.height).toBeCloseTo(photo.height, 0);

    // → pans (shows more of the right: the photo moves left) instead of going to the next photo.
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await rects()).box.x).toBeLessThan(zoomed.box.x - 10);
    expect(await counter().textContent()).toMatch(new RegExp(`^${index + 1} of `));
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await rects()).box.y).toBeLessThan(zoomed.box.y - 10);
    await page.screenshot({ path: screenshotPath('viewer-zoomed-1440x900') });

    // ⌘0 back to fit; ⌘+ zooms in a step, ⌘− back out.
    await page.keyboard.press('Control+0');
    await expect.poll(async () => (await rects()).box.width).toBeCloseTo(fitted.box.width, 0);
    await page.keyboard.press('Control+=');
    await expect.poll(async () => (await rects()).box.width).toBeCloseTo(fitted.box.width * 1.25, 0);
    await page.keyboard.press('Control+-');
    await expect.poll(async () => (await rects()).box.width).toBeCloseTo(fitted.box.width, 0);
    // At fit, → is the next photo again.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => counter().textContent()).toMatch(new RegExp(`^${index + 2} of `));
  });

  it('plays a video (H.264 from PhotoPrism, streamed in byte ranges), Space pauses it', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const index = photos.findIndex((photo) => photo.type === 'video');
    if (index < 0) throw new Error('the generated library has no video');
    await showIndex(index);
    const video = page.getByTestId('viewer-video');
    await expect.poll(() => video.count(), { timeout: 30_000 }).toBe(1);
    // Autoplay, or Space when the browser held autoplay back. Wait for autoplay's outcome first:
    // a <video autoplay> starts as soon as it can play through, so "paused" is only an answer
    // once it has enough data (pressing Space before that would pause the autoplay, a race CI hit).
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => !v.paused || v.readyState >= HTMLMediaElement.HAVE_ENOUGH_DATA), {
        timeout: 30_000,
      })
      .toBe(true);
    if (await video.evaluate((v: HTMLVideoElement) => v.paused)) await page.keyboard.press(' ');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 }).toBeGreaterThan(0.2);
    // The player fills the letterboxed box (it is not hidden under the poster image).
    const [videoBox, frame] = await Promise.all([video.boundingBox(), box().boundingBox()]);
    expect(videoBox).toEqual(frame);
    const onTop = await video.evaluate((v) => {
      const r = v.getBoundingClientRect();
      return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === v;
    });
    expect(onTop).toBe(true);
    await video.hover();
    await page.screenshot({ path: screenshotPath('viewer-video-1440x900') });
    // Space toggles: pauses a playing video (and plays one that ended: the 2 s clip may have, on a busy machine).
    const wasPaused = await video.evaluate((v: HTMLVideoElement) => v.paused);
    await page.keyboard.press(' ');
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.paused)).toBe(!wasPaused);
    // Space acted on the video; it did not close the viewer.
    expect(await page.getByTestId('viewer').isVisible()).toBe(true);
    const requests = emu.requests.filter((r) => r.path.startsWith('/api/v1/videos/'));
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => /^bytes=\d+-\d+$/.test(String(r.headers['range'])))).toBe(true);
  });

  async function shoot(name: string): Promise<void> {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: screenshotPath(`${name}-${scheme}`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  it('zoomed past the largest preview, loads the original (with the download token, in main)', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const index = photos.findIndex((p) => p.type === 'image' && shapeOf(p) === 'landscape' && p.width >= 4000);
    const photo = photos[index] as PhotoSummary;
    await showIndex(index);
    await sharpLoaded();
    expect(await box().getAttribute('data-original')).toBe('idle');
    const fitted = await rects();
    await page.getByTestId('viewer-stage').dblclick({ position: { x: fitted.stage.width / 2, y: fitted.stage.height / 2 } });
    // 100 % of a 4000+ px photo: more than PhotoPrism's 1920 px previews hold, so the original comes.
    await expect.poll(() => box().getAttribute('data-size'), { timeout: 60_000 }).toBe('original');
    expect(await box().getAttribute('data-original')).toBe('sharp');
    expect((await rects()).natural).toEqual({ width: photo.width, height: photo.height });
    const downloads = emu.requests.filter((r) => r.path.startsWith('/api/v1/dl/'));
    expect(downloads.length).toBe(1);
    // Asked with the download token (a preview token would be refused); the page never saw it.
    expect(downloads[0]?.status).toBe(200);
    const html = await page.content();
    expect(html).not.toContain(downloads[0]?.query['t'] ?? 'none');
    await shoot('viewer-original-1440x900');
    await page.keyboard.press('Control+0');
  });

  it('full screen toggles from the viewer (the Fullscreen API in the web shell)', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await showIndex(firstIndexOf('portrait'));
    const viewer = page.getByTestId('viewer');
    expect(await viewer.getAttribute('data-fullscreen')).toBe('false');
    await page.getByTestId('viewer-fullscreen').click();
    await expect.poll(() => viewer.getAttribute('data-fullscreen')).toBe('true');
    expect(await page.evaluate(() => document.fullscreenElement === document.documentElement)).toBe(true);
    expect(await page.getByTestId('viewer-fullscreen').getAttribute('aria-label')).toBe('Exit Full Screen');
    await shoot('viewer-fullscreen');
    await page.getByTestId('viewer-fullscreen').click();
    await expect.poll(() => viewer.getAttribute('data-fullscreen')).toBe('false');
  });

  it('a slideshow advances by itself at the chosen interval; Space pauses, Esc ends it', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await showIndex(2);
    await page.getByTestId('viewer-slideshow').click();
    const controls = page.getByTestId('slideshow-controls');
    await expect.poll(() => controls.isVisible()).toBe(true);
    await page.getByTestId('slideshow-interval').selectOption('2000');
    await expect.poll(() => counter().textContent(), { timeout: 20_000 }).toMatch(/^4 of /);
    await shoot('viewer-slideshow-1440x900');
    await page.keyboard.press(' ');
    expect(await page.getByTestId('slideshow-pause').textContent()).toMatch(/Play/);
    await page.keyboard.press('Escape');
    await expect.poll(() => controls.count()).toBe(0);
    // Esc ended the slideshow (and its full screen), not the viewer.
    expect(await page.getByTestId('viewer').isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.fullscreenElement === null)).toBe(true);
  });

  it('compares two photos side by side (⇧C); Tab moves the keys to the other one', async () => {
    for (const window of [
      { width: 1440, height: 900 },
      { width: 1024, height: 700 },
    ]) {
      await page.setViewportSize(window);
      await showIndex(5);
      await page.keyboard.press('Shift+C');
      const panes = page.getByTestId('compare-pane');
      await expect.poll(() => panes.count()).toBe(2);
      expect(await panes.evaluateAll((els) => els.map((el) => el.getAttribute('data-index')))).toEqual(['5', '6']);
      await expect
        .poll(() =>
          page
            .getByTestId('compare-image')
            .evaluateAll((imgs) => (imgs as HTMLImageElement[]).filter((img) => img.complete && img.naturalWidth > 0).length),
        )
        .toBe(2);
      const [left, right] = await Promise.all([panes.nth(0).boundingBox(), panes.nth(1).boundingBox()]);
      expect((left?.x ?? 0) + (left?.width ?? 0)).toBeLessThanOrEqual(right?.x ?? 0);
      expect(await panes.nth(0).getAttribute('aria-pressed')).toBe('true');
      await page.keyboard.press('Tab');
      await expect.poll(() => panes.nth(1).getAttribute('aria-pressed')).toBe('true');
      await shoot(`viewer-compare-${window.width}x${window.height}`);
      // → moves the active (right) side on; Esc leaves Compare for the single photo.
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => panes.nth(1).getAttribute('data-index')).toBe('7');
      await page.keyboard.press('Escape');
      await expect.poll(() => panes.count()).toBe(0);
      expect(await counter().textContent()).toMatch(/^8 of /);
    }
  });

  it('grid tiles show a video’s length and a LIVE badge', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    if (await page.getByTestId('viewer').isVisible()) await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('viewer').count()).toBe(0);
    const video = photos.findIndex((p) => p.type === 'video');
    const live = photos.findIndex((p) => p.type === 'live');
    const durationMs = photos[video]?.durationMs ?? 0;
    expect(durationMs).toBeGreaterThan(0);
    const seconds = Math.round(durationMs / 1000);
    const label = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    // The grid draws only the tiles near the viewport: open each in the viewer and close it, which
    // scrolls the grid to it (as coming back from the viewer always does).
    const tile = async (index: number) => {
      await showIndex(index);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByTestId('viewer').count()).toBe(0);
      return page.locator(`[role="gridcell"][data-index="${index}"]`);
    };
    const liveTile = await tile(live);
    await expect.poll(() => liveTile.getByTestId('tile-live').textContent()).toBe('LIVE');
    const videoTile = await tile(video);
    await expect.poll(() => videoTile.getByTestId('tile-duration').textContent()).toBe(`▶\u00a0${label}`);
    await shoot('grid-tile-badges-1440x900');
    await page.setViewportSize({ width: 1024, height: 700 });
    await shoot('grid-tile-badges-1024x700');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('a slow preview: a spinner while it loads, then the sharp preview', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    // A photo near the end, never shown: its preview comes from the (now slow) server.
    const index = photos.length - 3;
    await emu.admin.setFault({ latencyMs: 3000 });
    try {
      await showIndex(index);
      await expect.poll(() => page.getByTestId('viewer-spinner').isVisible(), { timeout: 20_000 }).toBe(true);
      expect(await box().getAttribute('data-status')).toBe('loading');
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({ path: screenshotPath(`viewer-loading-1440x900-${scheme}`) });
      }
      await page.emulateMedia({ colorScheme: 'light' });
      await sharpLoaded();
      expect(await page.getByTestId('viewer-spinner').count()).toBe(0);
    } finally {
      await emu.admin.setFault({ latencyMs: 0 });
    }
  });

  it('offline: a photo seen before shows its cached preview, one never seen says so, and no image is ever broken', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const seen = firstIndexOf('portrait');
    // The last photos were never shown by the grid or the viewer: nothing of them is cached.
    const unseen = photos.length - 1;
    await emu.admin.goDown();
    await session.call('library.refresh');
    await expect.poll(() => page.getByTestId('offline-banner').isVisible(), { timeout: 30_000 }).toBe(true);

    await showIndex(seen);
    await sharpLoaded();
    expect(await page.getByTestId('viewer-notice').count()).toBe(0);

    await showIndex(unseen);
    const notice = page.getByTestId('viewer-notice');
    await expect.poll(() => notice.isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await notice.getAttribute('data-kind')).toBe('offline');
    expect(await notice.textContent()).toMatch(/Not available offline/);
    // Every image in the viewer is either decoded or hidden: no broken-image icon.
    const broken = await page.evaluate(
      () =>
        [...document.querySelectorAll<HTMLImageElement>('[data-testid="viewer"] img')].filter(
          (img) => getComputedStyle(img).visibility !== 'hidden' && (!img.complete || img.naturalWidth === 0),
        ).length,
    );
    expect(broken).toBe(0);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: screenshotPath(`viewer-offline-1440x900-${scheme}`) });
    }
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: screenshotPath('viewer-offline-1024x700') });
    await page.emulateMedia({ colorScheme: 'light' });

    // Back online, the preview arrives by itself (the notice said it would).
    await emu.admin.goUp();
    await sharpLoaded();
    await page.keyboard.press('Escape');
    expect(pageErrors).toEqual([]);
  });
});
