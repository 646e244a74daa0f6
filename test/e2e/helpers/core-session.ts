import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect, vi } from 'vitest';
import type { Core } from '../../../main/compose';
import { importStagingRoute } from '../../../main/import/staging-route';
import { originalRoute } from '../../../main/thumbnails/original-route';
import { originalDownloadRoute } from '../../../main/export/original-download';
import { thumbnailRoute } from '../../../main/thumbnails/thumbnail-route';
import { videoRoute } from '../../../main/thumbnails/video-route';
import { startWebShell, type WebShell, type WebShellRoute } from '../../../main/webshell/server';
import type { PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeDevice } from '../../helpers/devices';
import { launchChromium } from './chromium';

/** What a signed-in e2e session holds: the core, its web shell, a browser page on it. */
export interface SignedInSession {
  readonly core: Core;
  readonly shell: WebShell;
  readonly browser: Browser;
  readonly page: Page;
  /** Call a contract channel on the core directly (as a trusted sender), for assertions. */
  call<T>(channel: string, request?: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * A core in a throw-away profile, signed in to the PhotoPrism emulator with its cache filled,
 * served by the web shell (built renderer + thumbnails) and opened in Debian's Chromium.
 * The core is a test device (test/helpers/devices.ts) following PhotoPrism's live hints, so
 * tests that are not about onboarding start on the library.
 */
export async function startSignedInSession(options: {
  emu: PhotoPrismEmulator;
  profile?: string;
  viewport?: { width: number; height: number };
}): Promise<SignedInSession> {
  const device = await makeDevice({ name: options.profile ?? 'e2e', photoprism: options.emu, liveEvents: true });
  const core = device.core;
  const { shell, browser, page } = await openInChromium(core, options.viewport);
  return {
    core,
    shell,
    browser,
    page,
    call: device.call,
    close: async () => {
      await browser.close();
      await shell.close();
      await device.close();
    },
  };
}

/** Waits until the library is on screen: its subtitle counts the photos ("160 photos"). */
export async function waitForLibraryShown(page: Page): Promise<void> {
  await vi.waitFor(async () => expect(await page.getByTestId('view-subtitle').textContent()).toMatch(/^\d+ photos$/), {
    timeout: 30_000,
    interval: 100,
  });
}

/** Serve a composed core with the web shell (built renderer + thumbnails + `routes`), as `npm start` does. */
export function serveCore(core: Core, routes: readonly WebShellRoute[] = []): Promise<WebShell> {
  return startWebShell({
    core,
    staticDir: join(process.cwd(), 'dist', 'renderer'),
    routes: [
      thumbnailRoute(core.thumbnails),
      videoRoute(core.videos),
      originalRoute(core.originals),
      originalDownloadRoute(core.originalDownloads),
      importStagingRoute(core.imports),
      ...routes,
    ],
    log: core.log,
  });
}

/**
 * Serve a composed core with the web shell (built renderer + thumbnails) and open it in a fresh
 * Chromium page, past the secret. The caller closes browser and shell.
 */
export async function openInChromium(
  core: Core,
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
): Promise<{ shell: WebShell; browser: Browser; page: Page }> {
  const shell = await serveCore(core);
  const browser = await launchChromium();
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(shell.url);
  return { shell, browser, page };
}

/**
 * The photo UID in a grid tile's thumbnail URL: a same-origin path, or on the web shell one of
 * its image origins (main/webshell/server.ts, [Note: Grid thumbnails over more connections]).
 */
export function tileUid(src: string | null | undefined): string | undefined {
  return src?.split('/thumbs/')[1]?.split('/')[0];
}
