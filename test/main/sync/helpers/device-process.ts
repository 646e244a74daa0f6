import { createInterface } from 'node:readline';
import { z } from 'zod';
import { CloudKitClient } from '../../../../main/cloudkit/client';
import { StaticSignInFlow } from '../../../../main/cloudkit/sign-in';
import { createNodeTransport, type TransportFactory } from '../../../../main/photoprism/transport';
import { compose } from '../../../../main/compose';
import { createLogger } from '../../../../main/log/logger';
import { FileSecretStore } from '../../../../main/secrets/file-secret-store';
import { ConnectionStatus } from '../../../../shared/library/schemas';

/**
 * One "device" as its own OS process, for tests that kill -9 it mid-sync and start it again.
 *
 * It composes the real core on a profile folder (so a restart finds its database, settings and
 * secrets), signs in on first start, and then serves the IPC contract over stdin/stdout as JSON
 * lines: `{"id":1,"channel":"actions.setFavorite","request":{…}}` → `{"id":1,"result":{…}}`.
 * Sync status changes are printed as `{"event":"sync.status","payload":{…}}`.
 */
const Args = z.object({
  dir: z.string(),
  name: z.string(),
  pp: z.string(),
  ppUser: z.string(),
  ppPass: z.string(),
  ck: z.string(),
  ckContainer: z.string(),
  ckToken: z.string(),
  ckUser: z.string(),
  /**
   * Chance that this process kills ITSELF (SIGKILL) right after a server's answer to a write
   * arrives and before anything is committed: PhotoPrism writes and iCloud records/modify and
   * changes/zone answers. Armed once the device is ready. Seeded, so a run replays.
   */
  killAfterAnswer: z.object({ probability: z.number(), seed: z.number() }).optional(),
});
const args = Args.parse(JSON.parse(process.argv[2] ?? '{}'));
const Frame = z.object({ id: z.number(), channel: z.string(), request: z.unknown() });

const write = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

let armed = false;
const killChance = (() => {
  const spec = args.killAfterAnswer;
  if (!spec) return () => false;
  let state = spec.seed >>> 0;
  // mulberry32, as in the tests' schedules.
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return () => armed && random() < spec.probability;
})();
/** Between the server's answer and the commit: the window a crash or force-quit can hit. */
function maybeDie(what: string): void {
  if (!killChance()) return;
  process.stderr.write(`device ${args.name}: kill -9 after the answer to ${what}\n`);
  process.kill(process.pid, 'SIGKILL');
}
const createTransport: TransportFactory = (options) => {
  const real = createNodeTransport(options);
  return async (request) => {
    const response = await real(request);
    if (request.method !== 'GET' && !request.url.includes('/session')) maybeDie(`${request.method} PhotoPrism`);
    return response;
  };
};
for (const method of ['modifyRecords', 'fetchZoneChanges'] as const) {
  const original = CloudKitClient.prototype[method] as (...a: unknown[]) => Promise<unknown>;
  Object.defineProperty(CloudKitClient.prototype, method, {
    value: async function (this: CloudKitClient, ...rest: unknown[]) {
      const answer = await original.apply(this, rest);
      maybeDie(`iCloud ${method}`);
      return answer;
    },
  });
}
const log = createLogger(args.name, {
  level: process.env['PHOTOFLARE_CHAOS_LOGS'] ? 'debug' : 'warn',
  sink: (line) => process.stderr.write(`${line}\n`),
});

const core = compose({
  profile: args.name,
  profileDir: args.dir,
  shell: 'web',
  version: 'test',
  log,
  secrets: new FileSecretStore({ path: `${args.dir}/secrets.json`, log: createLogger('secrets', { level: 'error' }) }),
  photoprism: { createTransport, libraryOptions: { createLiveEvents: null } },
  cloudkit: {
    config: { baseUrl: args.ck, containerId: args.ckContainer, environment: 'development', apiToken: args.ckToken },
    signIn: new StaticSignInFlow(async () => {
      const response = await fetch(`${args.ck}/_admin/sign-in`, { method: 'POST', body: JSON.stringify({ userName: args.ckUser }) });
      return z.object({ ckWebAuthToken: z.string() }).parse(await response.json()).ckWebAuthToken;
    }),
    debounceMs: 50,
    intervalMs: 1_500,
  },
});
core.events.attach((event, payload) => {
  if (event === 'sync.status') write({ event, payload });
});

const sender = { trusted: true, description: 'device process' } as const;

async function boot(): Promise<void> {
  const connection = await core.dispatch('connection.status', {}, sender);
  const signedIn = connection.ok && ConnectionStatus.parse(connection.value).serverUrl !== null;
  if (!signedIn) {
    const result = await core.dispatch('connection.signIn', { serverUrl: args.pp, username: args.ppUser, password: args.ppPass }, sender);
    if (!result.ok) throw new Error(result.error.message);
    await core.library.refresh('full');
    const synced = await core.dispatch('sync.signIn', {}, sender);
    if (!synced.ok) throw new Error(synced.error.message);
  }
  write({ ready: true });
  armed = true;
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const frame = Frame.parse(JSON.parse(line));
  if (frame.channel === '__disarm') {
    // The faults are over: no more self-kills.
    armed = false;
    write({ id: frame.id, result: { ok: true, value: null } });
    return;
  }
  if (frame.channel === '__exit') {
    void core.dispose().then(() => {
      write({ id: frame.id, result: { ok: true, value: null } });
      process.exit(0);
    });
    return;
  }
  void core.dispatch(frame.channel, frame.request, sender).then((result) => write({ id: frame.id, result }));
});

boot().catch((error: unknown) => {
  process.stderr.write(`device ${args.name} failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
