import { describe, expect, it } from 'vitest';
import { MAX_REQUEST_FRAME_BYTES } from '../../../shared/ipc/frame-limit';
import { createWebBridge } from '../../../renderer/lib/web-bridge';

describe('the web bridge', () => {
  it('answers a request larger than any legal one with a clear bad-request, without sending it', async () => {
    const bridge = createWebBridge({ protocol: 'http:', host: '127.0.0.1:1' } as Location);
    const uids = Array.from({ length: 110_000 }, (_, i) => `p${i.toString(36).padStart(15, '0')}`);
    const result = await bridge.invoke('actions.setFavorite', { uids, favorite: true });
    expect(result).toEqual({
      ok: false,
      error: { kind: 'bad-request', message: expect.stringContaining(`the most any request can be is ${MAX_REQUEST_FRAME_BYTES}`) },
    });
  });
});
