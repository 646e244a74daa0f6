import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebShellSignInFlow } from '../../main/webshell/icloud-sign-in';
import type { WebShell } from '../../main/webshell/server';
import { startCloudKitEmulator, type CloudKitEmulator } from '../emulators/cloudkit';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { makeDevice, type TestDevice } from '../helpers/devices';
import { launchChromium, screenshotPath } from './helpers/chromium';
import { serveCore } from './helpers/core-session';

/**
 * iCloud sign-in in the web shell, in a real browser, against the CloudKit emulator's sign-in
 * page with its callback pointed at the web shell ([Note: iCloud callback nonce]). While the
 * person's sign-in is pending, a forged navigation to the callback with another account's token
 * binds nothing; the person's own sign-in, in the tab Photoflare opened, goes through.
 */
describe('iCloud sign-in in the web shell (Chromium)', () => {
  let pp: PhotoPrismEmulator;
  let ck: CloudKitEmulator;
  let device: TestDevice;
  let shell: WebShell;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    pp = await startPhotoPrismEmulator({ photos: 30, albums: 1, seed: 12, rateLimits: false });
    ck = await startCloudKitEmulator();
    let open: (path: string) => void = () => undefined;
    const flow = new WebShellSignInFlow({ open: (path) => open(path) });
    device = await makeDevice({ name: 'signin', photoprism: pp, cloudkit: ck, syncEnabled: false, signIn: flow });
    shell = await serveCore(device.core, flow.routes);
    open = (path) => device.core.events.emit('sync.openSignIn', { url: `${shell.origin}${path}` });
    ck.admin.setSignInCallback(`${shell.origin}/icloud/callback`);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    await page.goto(shell.url);
  });

  afterAll(async () => {
    await browser?.close();
    await shell?.close();
    await device?.close();
    await ck?.close();
    await pp?.close();
  });

  it("refuses a forged callback with another account's token, then signs in through the tab it opened", async () => {
    await expect.poll(() => page.getByTestId('photo-grid').isVisible(), { timeout: 30_000 }).toBe(true);
    await page.keyboard.press('Control+,');
    await expect.poll(() => page.getByTestId('settings').isVisible()).toBe(true);
    await page.getByTestId('sync-toggle').check();
    const signInTab = context.waitForEvent('page');
    await page.getByTestId('sync-sign-in').click();
    const tab = await signInTab;
    await tab.waitForURL(/\/_auth\/sign-in\?oauth_token=/);

    // Meanwhile an attacker's page sends the browser to our callback with its own valid token.
    const attackerToken = ck.signIn('mallory');
    const forged = await context.newPage();
    await forged.goto(`${shell.origin}/icloud/callback?ckWebAuthToken=${encodeURIComponent(attackerToken)}`);
    await expect.poll(() => forged.locator('#message').textContent()).toContain('was not started from this Photoflare window');
    expect(forged.url()).not.toContain('ckWebAuthToken');
    await forged.screenshot({ path: screenshotPath('icloud-forged-callback') });

    // The person signs in on the (emulated) Apple page in the tab Photoflare opened.
    await tab.locator('#userName').fill('alice');
    await tab.locator('#signIn').click();
    await expect.poll(() => tab.locator('#message').textContent(), { timeout: 30_000 }).toContain('You are signed in to iCloud');
    expect(tab.url()).not.toContain('ckWebAuthToken');
    await tab.screenshot({ path: screenshotPath('icloud-signed-in-tab') });

    // Sync runs as alice: her zone exists, mallory's does not.
    await expect
      .poll(() => device.call<{ state: { name: string } }>('sync.status').then((s) => s.state.name), { timeout: 30_000 })
      .toBe('idle');
    await expect.poll(() => ck.admin.zones('alice').some((zone) => zone.zoneName === 'PhotoflareEvents' && !zone.deleted)).toBe(true);
    expect(ck.admin.zones('mallory').filter((zone) => !zone.deleted)).toEqual([]);
  });
});
