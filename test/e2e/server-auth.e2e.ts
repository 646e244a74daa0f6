import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../main/compose';
import { createMemoryLogger } from '../../main/log/logger';
import { MemorySecretStore } from '../../main/secrets/secret-store';
import type { ConnectionStatus, LibraryPage } from '../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { hasOpenssl, makeSelfSignedCert } from '../helpers/self-signed';
import { FakeClock } from '../main/library/helpers';
import { screenshotEverySize, screenshotPath } from './helpers/chromium';
import { openInChromium, startSignedInSession, type SignedInSession } from './helpers/core-session';

/**
 * The real-server auth behaviours of issue 10, end to end in Chromium: thumbnails survive a
 * PhotoPrism restart mid-browse, an app password keeps the app signed in past the two-week
 * session cap, and an older (231128) server works from sign-in to sign-out.
 */

const DAY_MS = 86_400_000;
const SENDER = { trusted: true, description: 'e2e test' } as const;

/** Thumbnails in the grid: loaded ones, and ones the browser gave up on (grey, `img.broken`). */
async function tileImages(page: Page): Promise<{ loaded: number; broken: number; pending: number }> {
  return page.locator('[role="gridcell"] img').evaluateAll((imgs) => {
    const all = imgs as HTMLImageElement[];
    const broken = all.filter((i) => i.classList.contains('broken')).length;
    const loaded = all.filter((i) => i.complete && i.naturalWidth > 0).length;
    return { loaded, broken, pending: all.length - loaded - broken };
  });
}

/** Wait until every tile on screen has either loaded or failed, then report. */
async function settledTiles(page: Page): Promise<{ loaded: number; broken: number }> {
  // At least one tile must be on screen: right after a jump the grid may not have drawn any yet,
  // and "none pending" would then be true of an empty page.
  await expect
    .poll(
      async () => {
        const tiles = await tileImages(page);
        return tiles.pending === 0 && tiles.loaded + tiles.broken > 0;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  const { loaded, broken } = await tileImages(page);
  return { loaded, broken };
}

/** Sign in through the form (plain HTTP on loopback asks nothing: it never leaves this computer). */
async function signInThroughForm(page: Page, serverUrl: string, username: string, password: string): Promise<void> {
  await page.getByLabel('Server address').fill(serverUrl);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password or app password').fill(password);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect.poll(() => page.getByTestId('photo-grid').isVisible(), { timeout: 30_000 }).toBe(true);
}

/** A core in a throw-away profile (optionally on a fake clock), served and opened in Chromium. */
async function openCore(name: string, clock?: FakeClock) {
  const dir = mkdtempSync(join(tmpdir(), `pf-e2e-${name}-`));
  const core = compose({
    profile: name,
    profileDir: dir,
    shell: 'web',
    version: '0.0.0-e2e',
    log: createMemoryLogger(name),
    secrets: new MemorySecretStore(),
    ...(clock ? { photoprism: { clock } } : {}),
  });
  const opened = await openInChromium(core);
  const call = async <T>(channel: string, request: unknown = {}): Promise<T> => {
    const result = await core.dispatch(channel, request, SENDER);
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    return result.value as T;
  };
  return {
    core,
    call,
    ...opened,
    close: async () => {
      await opened.browser.close();
      await opened.shell.close();
      await core.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('a PhotoPrism restart mid-browse', () => {
  let emu: PhotoPrismEmulator;
  let session: SignedInSession;

  beforeAll(async () => {
    emu = await startPhotoPrismEmulator({ photos: 400, albums: 2, seed: 5, rateLimits: false });
    session = await startSignedInSession({ emu, profile: 'e2e-restart' });
  });
  afterAll(async () => {
    await session?.close();
    await emu?.close();
  });

  it('leaves no grey tiles: the tiles fetched after the restart load with the same token', async () => {
    const page = session.page;
    await expect.poll(() => page.getByTestId('photo-grid').isVisible(), { timeout: 30_000 }).toBe(true);
    const before = await settledTiles(page);
    expect(before.loaded).toBeGreaterThan(5);
    expect(before.broken).toBe(0);

    emu.admin.restart();
    const sinceRestart = emu.requests.length;
    // Tiles not seen yet: jump to the end of the library, so every thumbnail there is fetched now.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('End');
    const { all } = await session.call<{ all: number }>('library.counts');
    await expect.poll(() => page.locator(`[role="gridcell"][data-index="${all - 1}"]`).count(), { timeout: 20_000 }).toBe(1);
    const after = await settledTiles(page);
    await page.screenshot({ path: screenshotPath('restart-mid-browse') });
    expect(after.broken).toBe(0);
    expect(after.loaded).toBeGreaterThan(5);
    // They came from the server after the restart, not from a cache: with the old token a 403
    // first and then the new one, or at once with the new token when another request learned of
    // the restart first (which one depends on which request reaches the server first).
    const thumbnailsSinceRestart = emu.requests.slice(sinceRestart).filter((r) => r.path.startsWith('/api/v1/t/'));
    expect(thumbnailsSinceRestart.filter((r) => r.status === 200).length).toBeGreaterThan(5);
  });
});

describe('an app password, 15 days later', () => {
  let emu: PhotoPrismEmulator;
  let offsetMs = 0;
  const clock = new FakeClock(Date.now());
  let app: Awaited<ReturnType<typeof openCore>>;

  beforeAll(async () => {
    emu = await startPhotoPrismEmulator({ photos: 120, albums: 2, seed: 6, rateLimits: false, now: () => Date.now() + offsetMs });
    app = await openCore('e2e-app-password', clock);
  });
  afterAll(async () => {
    await app?.close();
    await emu?.close();
  });

  it('is still signed in after the two-week session cap has passed', async () => {
    await signInThroughForm(app.page, emu.url, emu.credentials.username, emu.appPassword);
    expect((await settledTiles(app.page)).broken).toBe(0);

    // Both clocks: the server's (session expiry) and the app's (its timers run).
    offsetMs += 15 * DAY_MS;
    clock.advance(15 * DAY_MS);
    await app.call('library.refresh');
    await app.page.reload();
    await expect.poll(() => app.page.getByTestId('photo-grid').isVisible(), { timeout: 30_000 }).toBe(true);
    expect((await app.call<ConnectionStatus>('connection.status')).state).toBe('online');
    expect(await app.page.getByText('Connect to your PhotoPrism server').count()).toBe(0);
    await app.page.keyboard.press('ArrowRight');
    await app.page.keyboard.press('End');
    expect((await settledTiles(app.page)).broken).toBe(0);
    // The login session really is dead on the server by now: only the app password carried us.
    expect(emu.requests.some((r) => r.status === 401)).toBe(false);
  });
});

describe('an older PhotoPrism (231128: X-Session-ID, /session/:id)', () => {
  let emu: PhotoPrismEmulator;
  let app: Awaited<ReturnType<typeof openCore>>;

  beforeAll(async () => {
    emu = await startPhotoPrismEmulator({ photos: 60, albums: 2, seed: 7, rateLimits: false, version: '231128-f48ff16ef-Linux-AMD64-CE' });
    app = await openCore('e2e-legacy');
  });
  afterAll(async () => {
    await app?.close();
    await emu?.close();
  });

  it('signs in, browses, favourites, and signing out ends the session on the server', async () => {
    const page = app.page;
    await signInThroughForm(page, emu.url, emu.credentials.username, emu.credentials.password);
    const settled = await settledTiles(page);
    expect(settled.loaded).toBeGreaterThan(5);
    expect(settled.broken).toBe(0);

    const first = (await app.call<LibraryPage>('library.query', { view: { kind: 'all' }, offset: 0, limit: 1 })).photos[0];
    const wasFavourite = emu.admin.snapshot().photos.find((p) => p.UID === first?.uid)?.Favorite ?? false;
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('.');
    await expect
      .poll(() => emu.admin.snapshot().photos.find((p) => p.UID === first?.uid)?.Favorite, { timeout: 20_000 })
      .toBe(!wasFavourite);

    const token = app.core.secrets.get('photoprism.session') ?? '';
    const alive = async () => (await fetch(`${emu.url}/api/v1/session/${token}`, { headers: { 'x-session-id': token } })).status;
    expect(await alive()).toBe(200);
    // Sign Out asks first; after it, the cached library stays on screen behind a banner.
    await page.getByTestId('sign-out').click();
    await page.getByTestId('confirm-sign-out').getByTestId('confirm').click();
    await expect.poll(() => page.getByTestId('signed-out-banner').count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByTestId('photo-grid').isVisible()).toBe(true);
    expect(await alive()).toBe(401);
  });
});

describe.skipIf(!hasOpenssl)('an http:// address that redirects to https (PhotoPrism with automatic TLS)', () => {
  let emu: PhotoPrismEmulator;
  let app: Awaited<ReturnType<typeof openCore>>;
  let certDir: string;

  beforeAll(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'pf-e2e-cert-'));
    const cert = makeSelfSignedCert(certDir, 'photos');
    emu = await startPhotoPrismEmulator({ photos: 40, albums: 1, seed: 8, rateLimits: false, tls: cert, httpsRedirect: true });
    app = await openCore('e2e-https');
  });
  afterAll(async () => {
    await app?.close();
    await emu?.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  it('says "this server wants https", asks about the certificate, then signs in over https', async () => {
    const page = app.page;
    // A 13-inch window: the certificate's buttons must be on screen without scrolling by hand.
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByLabel('Server address').fill(emu.httpRedirectUrl ?? '');
    await page.getByLabel('User name').fill(emu.credentials.username);
    await page.getByLabel('Password or app password').fill(emu.credentials.password);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => page.getByTestId('untrusted-certificate').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.getByTestId('sign-in-notice').textContent()).toContain(`wants https, so Photoflare connects to ${emu.url}`);
    expect(await page.getByLabel('Server address').inputValue()).toBe(emu.url);
    expect(await page.getByText("doesn't look like a PhotoPrism server").count()).toBe(0);
    const trust = page.getByRole('button', { name: 'Trust this certificate' });
    await expect
      .poll(async () => {
        const box = await trust.boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 700;
      })
      .toBe(true);
    await screenshotEverySize(page, 'sign-in-wants-https');
    await page.getByRole('button', { name: 'Trust this certificate' }).click();
    await expect.poll(() => page.getByTestId('photo-grid').isVisible(), { timeout: 30_000 }).toBe(true);
    expect((await app.call<ConnectionStatus>('connection.status')).serverUrl).toBe(emu.url);
    // The password went over https only: the plain-HTTP listener saw GETs alone.
    expect(emu.requests.filter((r) => r.status === 301 && r.method !== 'GET')).toHaveLength(0);
  });
});
