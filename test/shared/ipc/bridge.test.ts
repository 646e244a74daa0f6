import { describe, expect, it, vi } from 'vitest';
import { buildBridge, type BridgeTransport } from '../../../shared/ipc/bridge';
import { CHANNELS, contract } from '../../../shared/ipc/contract';

function fakeTransport(): BridgeTransport & { invoke: ReturnType<typeof vi.fn> } {
  return {
    invoke: vi.fn(async () => ({ ok: true, value: 'answer' })),
    subscribe: vi.fn(() => () => undefined),
  };
}

describe('the bridge built from the contract', () => {
  it('forwards a contract channel to the transport', async () => {
    const transport = fakeTransport();
    const bridge = buildBridge(transport);
    expect(await bridge.invoke('app.info', {})).toEqual({ ok: true, value: 'answer' });
    expect(transport.invoke).toHaveBeenCalledWith('app.info', {});
  });

  it('refuses a channel outside the contract without touching the transport', async () => {
    const transport = fakeTransport();
    const bridge = buildBridge(transport);
    // A compromised renderer could call anything; the bridge stops it before IPC.
    const result = await (bridge.invoke as (c: string, r: unknown) => Promise<unknown>)('shell.openExternal', {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'unknown-channel' } });
    expect(transport.invoke).not.toHaveBeenCalled();
  });

  it('turns a transport failure into a network Result instead of a rejection', async () => {
    const bridge = buildBridge({
      invoke: () => Promise.reject(new Error('socket closed')),
      subscribe: () => () => undefined,
    });
    expect(await bridge.invoke('app.info', {})).toMatchObject({ ok: false, error: { kind: 'network' } });
  });

  it('only subscribes to contract events', () => {
    const bridge = buildBridge(fakeTransport());
    expect(() => (bridge.on as (e: string, l: () => void) => void)('process.exit', () => undefined)).toThrow(/Unknown event/);
  });

  it('exposes nothing but invoke and on', () => {
    expect(Object.keys(buildBridge(fakeTransport())).sort()).toEqual(['invoke', 'on']);
  });

  it('every contract request schema refuses unknown keys (strict)', () => {
    for (const channel of CHANNELS) {
      const schema = contract[channel].request;
      const withExtra = schema.safeParse({ __proto_pollution__: 1 });
      expect(withExtra.success, `${channel} accepted an unknown key`).toBe(false);
    }
  });
});
