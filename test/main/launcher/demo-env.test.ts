import { describe, expect, it } from 'vitest';
import { DEMO_PHOTOPRISM_ENV, demoPhotoPrismFromEnv } from '../../../main/launcher/demo-env';

describe('the demo hand-off to the Electron app', () => {
  it('reads the demo server the launcher started', () => {
    const env = { [DEMO_PHOTOPRISM_ENV]: JSON.stringify({ url: 'http://127.0.0.1:47300', username: 'admin', password: 'photoprism' }) };
    expect(demoPhotoPrismFromEnv(env)).toEqual({ url: 'http://127.0.0.1:47300', username: 'admin', password: 'photoprism' });
  });

  it('is absent outside the demo', () => {
    expect(demoPhotoPrismFromEnv({})).toBeUndefined();
  });

  it.each([
    ['not JSON', '{'],
    ['a server off this machine', JSON.stringify({ url: 'http://photos.example.com', username: 'a', password: 'b' })],
    ['extra keys', JSON.stringify({ url: 'http://127.0.0.1:1', username: 'a', password: 'b', token: 'x' })],
  ])('ignores %s rather than trusting it', (_what, raw) => {
    expect(demoPhotoPrismFromEnv({ [DEMO_PHOTOPRISM_ENV]: raw })).toBeUndefined();
  });
});
