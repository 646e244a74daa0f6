import { afterEach, describe, expect, it } from 'vitest';
import { setBridgeForTests } from '../../../renderer/lib/api';
import { reportWindowState } from '../../../renderer/lib/window-state';
import { FakeBridge } from '../helpers/fake-bridge';

describe('the window reports its state to main (sync triggers)', () => {
  afterEach(() => setBridgeForTests(undefined));

  it('reports at start and on focus, blur and network changes, and stops when asked', () => {
    const bridge = new FakeBridge();
    bridge.handle('app.windowState', () => ({}));
    setBridgeForTests(bridge);
    const stop = reportWindowState();
    expect(bridge.callsTo('app.windowState')).toHaveLength(1);
    expect(bridge.callsTo('app.windowState')[0]).toEqual({
      visible: expect.any(Boolean),
      focused: expect.any(Boolean),
      online: expect.any(Boolean),
    });
    window.dispatchEvent(new Event('offline'));
    window.dispatchEvent(new Event('online'));
    window.dispatchEvent(new Event('focus'));
    document.dispatchEvent(new Event('visibilitychange'));
    expect(bridge.callsTo('app.windowState')).toHaveLength(5);
    stop();
    window.dispatchEvent(new Event('focus'));
    expect(bridge.callsTo('app.windowState')).toHaveLength(5);
  });
});
