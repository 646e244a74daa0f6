import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { createDispatcher, type Handlers } from '../../../main/ipc/handle';
import { createMemoryLogger } from '../../../main/log/logger';
import { makeTestCore, TRUSTED } from '../../helpers/core';

describe('the validated dispatcher (every IPC request goes through it)', () => {
  it('answers a well-formed request with {ok:true, value}', async () => {
    const { core, cleanup } = makeTestCore();
    const result = await core.dispatch('app.info', {}, TRUSTED);
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'Photoflare',
        version: '9.9.9-test',
        profile: 'default',
        shell: 'web',
        platform: process.platform,
        secretStorage: { description: 'memory (not persisted)', weak: false },
      },
    });
    await cleanup();
  });

  it('refuses an untrusted sender before looking at the payload', async () => {
    const { core, cleanup } = makeTestCore();
    const result = await core.dispatch('settings.update', { syncEnabled: true }, { trusted: false, description: 'iframe' });
    expect(result).toEqual({ ok: false, error: { kind: 'forbidden', message: expect.any(String) } });
    expect(core.settings.get().syncEnabled).toBe(false);
    await cleanup();
  });

  it.each([
    ['an unknown channel', 'fs.readFile', {}, 'unknown-channel'],
    ['a non-string channel', 42, {}, 'unknown-channel'],
    ['an inherited property as channel', 'toString', {}, 'unknown-channel'],
    ['a wrong type', 'settings.update', { syncEnabled: 'yes' }, 'bad-request'],
    ['an extra key', 'app.info', { debug: true }, 'bad-request'],
    ['an extra key in a patch', 'settings.update', { theme: 'dark', serverToken: 'x' }, 'bad-request'],
    ['a missing request', 'settings.get', undefined, 'bad-request'],
    ['an array instead of an object', 'settings.update', ['dark'], 'bad-request'],
  ])('answers %s with a Result error, never a crash', async (_what, channel, request, kind) => {
    const { core, cleanup } = makeTestCore();
    const result = await core.dispatch(channel, request, TRUSTED);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe(kind);
    await cleanup();
  });

  it('names the offending field in a bad-request message', async () => {
    const { core, cleanup } = makeTestCore();
    const result = await core.dispatch('settings.update', { thumbnailCacheMiB: 'big' }, TRUSTED);
    expect(result.ok || result.error.message).toMatch(/thumbnailCacheMiB/);
    await cleanup();
  });

  it('turns a thrown AppError into its kind and message, and anything else into internal', async () => {
    const log = createMemoryLogger();
    const failing = {
      'app.info': () => {
        throw new AppError('network', 'Your server did not answer.');
      },
      'settings.get': () => {
        throw new TypeError('boom');
      },
    } as unknown as Handlers;
    const dispatch = createDispatcher(failing, log);
    expect(await dispatch('app.info', {}, TRUSTED)).toEqual({
      ok: false,
      error: { kind: 'network', message: 'Your server did not answer.' },
    });
    const internal = await dispatch('settings.get', {}, TRUSTED);
    expect(internal).toEqual({ ok: false, error: { kind: 'internal', message: expect.stringContaining('settings.get') } });
    // The bug is logged with its stack for us, not shown raw to the person.
    expect(log.lines.join('\n')).toContain('boom');
  });

  it('never lets a handler leak fields the contract does not name', async () => {
    const log = createMemoryLogger();
    const leaky = {
      'app.info': () => ({ name: 'P', version: '1', profile: 'p', shell: 'web', platform: 'x', serverToken: 'secret' }),
    } as unknown as Handlers;
    const result = await createDispatcher(leaky, log)('app.info', {}, TRUSTED);
    expect(result).toEqual({ ok: true, value: { name: 'P', version: '1', profile: 'p', shell: 'web', platform: 'x' } });
  });

  it('answers internal when a handler returns something outside the contract', async () => {
    const log = createMemoryLogger();
    const broken = { 'app.info': () => ({ name: 42 }) } as unknown as Handlers;
    const result = await createDispatcher(broken, log)('app.info', {}, TRUSTED);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe('internal');
  });
});
