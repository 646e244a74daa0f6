import { describe, expect, it } from 'vitest';
import type { SyncTrigger } from '../../../main/sync/scheduler';
import { WindowStateTriggers, type WindowStateTarget } from '../../../main/sync/window-state';

/** Records what the triggers asked of the engine. */
function recorder(): WindowStateTarget & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    setWindowVisible: (visible: boolean) => calls.push(visible ? 'visible' : 'hidden'),
    trigger: (reason: SyncTrigger) => calls.push(`trigger:${reason}`),
  };
}

describe('window state → sync triggers', () => {
  it('tells the engine when the window is shown or hidden, once per change', () => {
    const engine = recorder();
    const triggers = new WindowStateTriggers(engine);
    triggers.update({ visible: true, focused: true, online: true });
    triggers.update({ visible: true, focused: true, online: true });
    triggers.update({ visible: false, focused: false, online: true });
    triggers.update({ visible: true, focused: true, online: true });
    expect(engine.calls).toEqual(['visible', 'hidden', 'visible']);
  });

  it('syncs when the window comes back to the front', () => {
    const engine = recorder();
    const triggers = new WindowStateTriggers(engine);
    triggers.update({ visible: true, focused: false, online: true });
    triggers.update({ visible: true, focused: true, online: true });
    expect(engine.calls).toEqual(['visible', 'trigger:focus']);
  });

  it('syncs when the network comes back, not when it goes', () => {
    const engine = recorder();
    const triggers = new WindowStateTriggers(engine);
    triggers.update({ visible: true, focused: true, online: true });
    triggers.update({ visible: true, focused: true, online: false });
    triggers.update({ visible: true, focused: true, online: true });
    expect(engine.calls).toEqual(['visible', 'trigger:network']);
  });

  it('does nothing without a sync engine (a build without iCloud)', () => {
    expect(() => new WindowStateTriggers(undefined).update({ visible: true, focused: true, online: true })).not.toThrow();
  });
});
