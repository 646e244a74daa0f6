import type { HttpCompression } from './http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorSnapshot, PhotoPrismAdmin, SnapshotAlbum, SnapshotPhoto } from './admin';
import { createAdmin, createAdminHttpHandler } from './admin';
import { registerAlbumRoutes } from './albums';
import { apiLevel, usesPhotoCaption } from './api-version';
import { registerTransferRoutes, TransferState, type TransferSwitches } from './transfers';
import { Auth } from './auth';
import { registerBatchRoutes } from './batch';
import { registerBrowseRoutes } from './browse-routes';
import { registerStackRoutes, type StackSwitches } from './stacks';
import { ConfigBuilder } from './config';
import type { EmulatorContext } from './context';
import { Faults } from './faults';
import { generateLibrary } from './library-generator';
import { registerPhotoRoutes } from './photos';
import type { RecordedRequest } from './server';
import type { TlsOptions } from './server';
import { EmulatorServer, readBody, startHttpsRedirect } from './server';
import { registerSessionRoutes } from './session';
import { registerThumbnailRoutes } from './thumbnails';
import { registerVideoRoutes } from './videos';
import { SeededRandom } from './util';
import { EventHub } from './websocket';

/**
 * A faithful fake PhotoPrism server (REST + WebSocket) built from the spec
 * (docs/photoprism-api.md), for integration tests over real HTTP and for running the app
 * against something without a real server. See README.md in this folder.
 */

export type { EmulatorSnapshot, PhotoPrismAdmin, RecordedRequest, SnapshotAlbum, SnapshotPhoto };
export type { FaultSettings } from './faults';
export type { PhotoUpdate } from './photos';

/** Options of {@link startPhotoPrismEmulator}. */
export interface PhotoPrismEmulatorOptions {
  /** Port on 127.0.0.1; default 0 (ephemeral). */
  port?: number;
  /** Number of generated photos; default 200, at most 100 000. */
  photos?: number;
  /** Number of generated manual albums; default 8. */
  albums?: number;
  /** Seed of the deterministic library; default 1. */
  seed?: number;
  /** Absolute session lifetime (docs/photoprism-api.md §1.5); default 1 209 600 s (2 weeks); 0 = never. */
  sessionTtlSeconds?: number;
  /** Injectable clock (epoch ms) for expiry, limiters, UpdatedAt and 2FA codes. */
  now?: () => number;
  /**
   * Server version reported in the config (docs/photoprism-api.md §9.2); default `240915-e1280b2fb-Linux-AMD64-CE`.
   * It also picks the API the emulator serves (api-version.ts): `231128-f48ff16ef-Linux-AMD64-CE`
   * for the legacy `X-Session-ID` API, `240420-ef5f14bc4-Linux-AMD64-CE` for the i18n 2FA codes,
   * and `250301-…` or later for photo `Caption`/`CaptionSrc` instead of `Description`.
   */
  version?: string;
  /** Login and auth-failure rate limiters (docs/photoprism-api.md §1.2, docs/photoprism-api.md §1.5); default on. */
  rateLimits?: boolean;
  /** Port of the separate admin listener (stays up while the API is "down"); default 0. */
  adminPort?: number;
  /** WebSocket keep-alive; default ping every 15 000 ms, drop after 90 000 ms without pong. */
  wsPingIntervalMs?: number;
  wsPongTimeoutMs?: number;
  /** `settings.features.delete`; default true. When false batch delete gives 403. */
  deleteEnabled?: boolean;
  /** Serve HTTPS with this certificate (`url` becomes https://…); default plain HTTP. */
  tls?: TlsOptions;
  /**
   * With `tls`: also run PhotoPrism's plain-HTTP listener that answers every request with a 301
   * to https (internal/server/start.go, redirect); its address is `httpRedirectUrl`.
   */
  httpsRedirect?: boolean;
  /**
   * `--http-compression`: 'gzip' (default here, as in PhotoPrism's docker-compose.yml) or 'none'
   * (PhotoPrism's own default when the option is unset). See http.ts, HttpCompression.
   */
  httpCompression?: HttpCompression;
}

/** A running emulator. */
export interface PhotoPrismEmulator {
  /** Base URL, e.g. http://127.0.0.1:PORT (API under /api/v1). */
  readonly url: string;
  /** The plain-HTTP address that redirects to `url` (only with `tls` and `httpsRedirect`), else null. */
  readonly httpRedirectUrl: string | null;
  /** Base URL of the admin listener (JSON endpoints under /_admin/…, also on `url`). */
  readonly adminUrl: string;
  /** The demo admin user. */
  readonly credentials: { username: string; password: string };
  /** A valid app password (scope `*`, no expiry) of the admin user (docs/photoprism-api.md §1.6). */
  readonly appPassword: string;
  /** An app password of the admin user with scope `webdav` (gets 403 on the REST API). */
  readonly webdavAppPassword: string;
  /** A user (admin role) with 2FA on; `code()` is the passcode valid now. */
  readonly twoFactor: { username: string; password: string; code(): string };
  /** A non-admin (guest role) user: read-only, no private photos, no broadcast events. */
  readonly guest: { username: string; password: string };
  readonly admin: PhotoPrismAdmin;
  /** Upload/import configuration switches (transfers.ts): flip them in a test. */
  readonly transferSwitches: TransferSwitches;
  /** Stack configuration switches (stacks.ts): flip them in a test. */
  readonly stackSwitches: StackSwitches;
  readonly requests: ReadonlyArray<RecordedRequest>;
  close(): Promise<void>;
}

/** The library is anchored at the spec's snapshot date so UIDs are identical run to run. */
const LIBRARY_ANCHOR_MS = Date.UTC(2024, 11, 13);

/** Starts an emulator on 127.0.0.1 and resolves once it listens. */
export async function startPhotoPrismEmulator(options: PhotoPrismEmulatorOptions = {}): Promise<PhotoPrismEmulator> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const rng = new SeededRandom(seed);
  const version = options.version ?? '240915-e1280b2fb-Linux-AMD64-CE';
  const api = apiLevel(version);
  const auth = new Auth(rng, now, {
    sessionTtlSeconds: options.sessionTtlSeconds ?? 1_209_600,
    limiters: options.rateLimits ?? true,
    api,
  });
  const adminUser = auth.addUser('admin', 'photoprism', 'admin', false);
  const twoFactorUser = auth.addUser('alice', 'alice-secret-2fa', 'admin', true);
  auth.addUser('guest', 'guest-password', 'guest', false);
  const appPassword = auth.createAppPassword(adminUser, 'Photoflare Desktop', '*', 0);
  const webdavPassword = auth.createAppPassword(adminUser, 'WebDAV', 'webdav', 0);

  const store = generateLibrary(
    {
      photos: options.photos ?? 200,
      albums: options.albums ?? 8,
      seed,
      nowMs: Math.min(LIBRARY_ANCHOR_MS, now()),
      ownerUid: adminUser.uid,
    },
    rng,
    now,
  );
  const config = new ConfigBuilder(store, auth, version);
  const hub = new EventHub(auth, config, {
    pingIntervalMs: options.wsPingIntervalMs ?? 15_000,
    pongTimeoutMs: options.wsPongTimeoutMs ?? 90_000,
  });
  const ctx: EmulatorContext = { store, auth, hub, config, now, api, photoCaption: usesPhotoCaption(version) };
  const faults = new Faults(seed);
  const transfers = new TransferState();

  // The admin hooks and the server refer to each other; the server is filled in below.
  const ref: { server: EmulatorServer | null } = { server: null };
  const admin = createAdmin(ctx, adminUser, {
    setFault: (f) => faults.apply(f),
    goDown: async () => ref.server?.goDown(),
    goUp: async () => ref.server?.goUp(),
    redirectTo: (origin) => ref.server?.redirectTo(origin),
  });
  let adminUrl = '';
  const info = () => ({
    url: ref.server?.url ?? '',
    adminUrl,
    credentials: { username: adminUser.name, password: adminUser.password },
    appPassword: appPassword.token,
    webdavAppPassword: webdavPassword.token,
    twoFactor: { username: twoFactorUser.name, password: twoFactorUser.password, code: auth.passcode(twoFactorUser) },
    guest: { username: 'guest', password: 'guest-password' },
  });
  const adminHttp = createAdminHttpHandler(
    admin,
    info,
    () => ref.server?.requests ?? [],
    () => ref.server?.requests.splice(0),
  );
  const server = new EmulatorServer(ctx, faults, adminHttp, options.tls, options.httpCompression ?? 'gzip');
  ref.server = server;
  registerSessionRoutes(server.router, ctx);
  registerPhotoRoutes(server.router, ctx);
  registerTransferRoutes(server.router, ctx, transfers);
  registerAlbumRoutes(server.router, ctx);
  registerBrowseRoutes(server.router, ctx);
  const stackSwitches = registerStackRoutes(server.router, ctx);
  registerBatchRoutes(server.router, ctx, { deleteEnabled: () => options.deleteEnabled ?? true });
  registerThumbnailRoutes(server.router, ctx, (hash) => transfers.original(hash));
  registerVideoRoutes(server.router, ctx);
  await server.listen(options.port ?? 0);

  // A second listener for the admin API, so `/_admin/up` works while the API is down.
  const adminServer = createServer((req, res) => {
    void readBody(req).then(async (body) => {
      if (!(await adminHttp(req, res, body))) {
        res.statusCode = 404;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: 'Not found' }));
      }
    });
  });
  await new Promise<void>((resolve) => adminServer.listen(options.adminPort ?? 0, '127.0.0.1', resolve));
  adminUrl = `http://127.0.0.1:${(adminServer.address() as AddressInfo).port}`;

  const running = server;
  const redirect =
    options.tls && options.httpsRedirect ? await startHttpsRedirect(() => Number(new URL(running.url).port), running.requests) : null;
  return {
    url: running.url,
    httpRedirectUrl: redirect?.url ?? null,
    adminUrl,
    credentials: { username: adminUser.name, password: adminUser.password },
    appPassword: appPassword.token,
    webdavAppPassword: webdavPassword.token,
    twoFactor: { username: twoFactorUser.name, password: twoFactorUser.password, code: () => auth.passcode(twoFactorUser) },
    guest: { username: 'guest', password: 'guest-password' },
    admin,
    transferSwitches: transfers.switches,
    stackSwitches,
    requests: running.requests,
    async close() {
      await redirect?.close();
      await running.close();
      transfers.dispose();
      const closed = new Promise<void>((resolve) => adminServer.close(() => resolve()));
      adminServer.closeAllConnections();
      await closed;
    },
  };
}
