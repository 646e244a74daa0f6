import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const images: { path: string; template: boolean }[] = [];
  return {
    images,
    nativeImage: {
      createFromPath: (path: string) => {
        const image = { path, template: false, setTemplateImage: (on: boolean) => (image.template = on) };
        images.push(image);
        return image;
      },
    },
    // A built menu: its template, and the open/close events macOS sends while it is shown.
    Menu: {
      buildFromTemplate: (template: unknown[]) => {
        const listeners = new Map<string, (() => void)[]>();
        return {
          template,
          on(event: string, listener: () => void) {
            listeners.set(event, [...(listeners.get(event) ?? []), listener]);
            return this;
          },
          emit(event: string) {
            for (const listener of listeners.get(event) ?? []) listener();
          },
        };
      },
    },
    Tray: class {
      destroy(): void {}
    },
  };
});
vi.mock('electron', () => electron);

import { TrayService, type TrayLike } from '../../../main/tray/tray-service';

interface FakeMenu {
  template: { label?: string; enabled?: boolean; type?: string; click?: () => void }[];
  emit(event: 'menu-will-show' | 'menu-will-close'): void;
}

class FakeTray implements TrayLike {
  image: unknown;
  tooltip = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  setImage(image: never): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: never): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

describe('TrayService (Electron mocked)', () => {
  let now = Date.UTC(2025, 0, 1);
  let tray: FakeTray;
  const calls: string[] = [];
  const make = () =>
    new TrayService({
      iconsDir: '/icons',
      now: () => now,
      refreshIntervalMs: 30_000,
      createTray: (image) => {
        tray = new FakeTray();
        tray.image = image;
        return tray;
      },
      commands: {
        'sync-now': () => calls.push('sync-now'),
        'pause-sync': () => calls.push('pause-sync'),
        'resume-sync': () => calls.push('resume-sync'),
        'open-window': () => calls.push('open-window'),
        'open-settings': () => calls.push('open-settings'),
        'open-activity': () => calls.push('open-activity'),
        quit: () => calls.push('quit'),
      },
    });

  beforeEach(() => {
    vi.useFakeTimers();
    calls.length = 0;
    electron.images.length = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('starts with a template icon and a menu whose items run their commands', () => {
    const service = make();
    expect(electron.images[0]).toEqual({ path: '/icons/pausedTemplate.png', template: true, setTemplateImage: expect.any(Function) });
    const quit = tray.menu?.template.find((item) => item.label === 'Quit Photoflare');
    quit?.click?.();
    expect(calls).toEqual(['quit']);
    service.dispose();
    expect(tray.destroyed).toBe(true);
  });

  it('switches to the colour icon when something needs attention', () => {
    const service = make();
    service.update({ state: { name: 'needs-sign-in', reason: 'expired' }, pendingCount: 2, photoprism: 'online' });
    const last = electron.images.at(-1);
    expect(last).toMatchObject({ path: '/icons/attention.png', template: false });
    expect(tray.tooltip).toBe('Photoflare — Sign in to iCloud to sync');
    expect(tray.menu?.template.map((item) => item.label)).toContain('2 changes waiting to sync');
    service.dispose();
  });

  it('keeps "synced N min ago" current as time passes', () => {
    const service = make();
    service.update({ state: { name: 'idle', lastSyncedAt: now }, pendingCount: 0, photoprism: 'online' });
    expect(service.view?.statusLine).toBe('Up to date');
    now += 2 * 60_000;
    vi.advanceTimersByTime(30_000);
    expect(service.view?.statusLine).toBe('Up to date — synced 2 min ago');
    expect(tray.menu?.template[0]?.label).toBe('Up to date — synced 2 min ago');
    service.dispose();
  });

  it('never rebuilds the menu while it is open: the change shows once it has closed', () => {
    const service = make();
    service.update({ state: { name: 'idle', lastSyncedAt: now }, pendingCount: 0, photoprism: 'online' });
    const open = tray.menu;
    open?.emit('menu-will-show');
    service.update({ state: { name: 'idle', lastSyncedAt: now }, pendingCount: 3, photoprism: 'online' });
    now += 2 * 60_000;
    vi.advanceTimersByTime(30_000);
    // Still the menu the person is reading (replacing it would close it under the pointer);
    // the tooltip may follow at once.
    expect(tray.menu).toBe(open);
    expect(tray.menu?.template.map((item) => item.label)).not.toContain('3 changes waiting to sync');
    expect(tray.tooltip).toBe('Photoflare — Up to date — synced 2 min ago');
    // A click on an item of the open menu still runs its command.
    open?.template.find((item) => item.label === 'Sync Now')?.click?.();
    expect(calls).toEqual(['sync-now']);

    open?.emit('menu-will-close');
    // Rebuilt just after closing (not during: macOS delivers the chosen item's click after
    // 'menu-will-close').
    expect(tray.menu).toBe(open);
    vi.advanceTimersByTime(0);
    expect(tray.menu).not.toBe(open);
    expect(tray.menu?.template.map((item) => item.label)).toContain('3 changes waiting to sync');
    expect(tray.menu?.template[0]?.label).toBe('Up to date — synced 2 min ago');
    service.dispose();
  });

  it('does not rebuild a menu that would look the same', () => {
    const service = make();
    service.update({ state: { name: 'idle', lastSyncedAt: now }, pendingCount: 1, photoprism: 'online' });
    const shown = tray.menu;
    service.update({ state: { name: 'idle', lastSyncedAt: now }, pendingCount: 1, photoprism: 'online' });
    vi.advanceTimersByTime(30_000);
    expect(tray.menu).toBe(shown);
    shown?.emit('menu-will-show');
    shown?.emit('menu-will-close');
    vi.advanceTimersByTime(0);
    expect(tray.menu).toBe(shown);
    service.dispose();
  });
});
