import { parseArgs } from 'node:util';
import { startPhotoPrismEmulator } from './index';

/**
 * `npm run emulator:photoprism -- --photos 5000 --albums 12 --seed 7 --port 2342`: runs the
 * emulator standalone and prints where it is and how to log in.
 */

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '2342' },
    'admin-port': { type: 'string', default: '0' },
    photos: { type: 'string', default: '200' },
    albums: { type: 'string', default: '8' },
    seed: { type: 'string', default: '1' },
    'session-ttl': { type: 'string' },
    version: { type: 'string' },
    'no-rate-limits': { type: 'boolean', default: false },
  },
});

const emulator = await startPhotoPrismEmulator({
  port: Number(values.port),
  adminPort: Number(values['admin-port']),
  photos: Number(values.photos),
  albums: Number(values.albums),
  seed: Number(values.seed),
  rateLimits: !values['no-rate-limits'],
  ...(values['session-ttl'] !== undefined ? { sessionTtlSeconds: Number(values['session-ttl']) } : {}),
  ...(values.version !== undefined ? { version: values.version } : {}),
});

const lines = [
  `PhotoPrism emulator listening on ${emulator.url} (API ${emulator.url}/api/v1)`,
  `Admin API: ${emulator.adminUrl}/_admin/info (also under ${emulator.url}/_admin/)`,
  `Login: ${emulator.credentials.username} / ${emulator.credentials.password}`,
  `App password: ${emulator.appPassword}`,
  `2FA user: ${emulator.twoFactor.username} / ${emulator.twoFactor.password} (current code: GET /_admin/info)`,
  `Guest: ${emulator.guest.username} / ${emulator.guest.password}`,
];
process.stdout.write(`${lines.join('\n')}\n`);

const stop = (): void => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
