import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (Playwright's own browser download cannot work
 * here). Flags from guides/machines.md: as root we need --no-sandbox, and the background
 * networking flags stop Chromium from calling out of our closed network. Playwright gives each
 * launch a fresh, empty profile folder of its own.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}. Install it with: apt-get update && apt-get install -y chromium`);
  }
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where e2e screenshots go (kept for people to look at; never compared). */
export function screenshotPath(name: string): string {
  const dir = join(process.cwd(), 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/** The window sizes every screen is looked at in (a 15" MacBook's default and a small window). */
export const SCREENSHOT_SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const;

/**
 * One screenshot per size and appearance (`<name>-1440x900-dark.png`, …), for people to look at.
 * Leaves the page as it found it: its window size, and the light appearance the tests run in.
 */
export async function screenshotEverySize(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const size of SCREENSHOT_SIZES) {
    await page.setViewportSize(size);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: screenshotPath(`${name}-${size.width}x${size.height}-${scheme}`) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (before) await page.setViewportSize(before);
}
