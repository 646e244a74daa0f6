import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebShell, type WebShell } from '../../main/webshell/server';
import { makeTestCore } from '../helpers/core';
import { launchChromium, screenshotPath } from './helpers/chromium';

/**
 * The foundation, end to end: the web shell serves the built renderer (npm run build:renderer),
 * Chromium opens it with the per-run secret, the onboarding page appears, and a contract round
 * trip over the WebSocket bridge fills in the footer.
 */
describe('web shell in Chromium', () => {
  let browser: Browser;
  let shell: WebShell;
  let env: ReturnType<typeof makeTestCore>;

  beforeAll(async () => {
    env = makeTestCore({ profile: 'e2e' });
    shell = await startWebShell({ core: env.core, staticDir: join(process.cwd(), 'dist', 'renderer'), log: env.core.log });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await shell?.close();
    await env?.cleanup();
  });

  it('opens on the onboarding page and makes a contract round trip', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });

    await page.goto(shell.url);
    // The secret was traded for a cookie: it is gone from the address bar.
    expect(page.url()).toBe(`${shell.origin}/`);
    await expect.poll(() => page.getByRole('heading', { name: 'Photoflare', exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Connect to your PhotoPrism server' }).isVisible()).toBe(true);

    // app.info went renderer → bridge → dispatcher → handler and back.
    const info = page.getByTestId('app-info');
    await expect.poll(() => info.textContent(), { timeout: 20_000 }).toContain('9.9.9-test');
    expect(await info.textContent()).toContain('web shell');
    expect(await info.textContent()).toContain('e2e');

    await page.screenshot({ path: screenshotPath('onboarding-light') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: screenshotPath('onboarding-dark') });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a browser that does not have the secret, page and socket alike', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${shell.origin}/?secret=not-the-secret`);
    expect(response?.status()).toBe(401);
    expect(await page.getByRole('heading', { name: 'Photoflare', exact: true }).count()).toBe(0);

    const socket = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      `ws://127.0.0.1:${shell.port}/bridge`,
    );
    expect(socket).toBe('refused');
    await context.close();
  });
});
