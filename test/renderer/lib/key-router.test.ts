import { cleanup, render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import Modal from '../../../renderer/components/Modal.svelte';
import { KeyRouter, keyRouter, type RoutedKey } from '../../../renderer/lib/key-router';

function key(k: string, mods: Partial<Omit<RoutedKey, 'key' | 'preventDefault'>> = {}): RoutedKey & { prevented: boolean } {
  const event = {
    key: k,
    metaKey: false,
    ctrlKey: false,
    altKey: false,
    shiftKey: false,
    defaultPrevented: false,
    prevented: false,
    ...mods,
    preventDefault() {
      event.prevented = true;
    },
  };
  return event;
}

afterEach(() => cleanup());

describe('key router', () => {
  test('asks the scopes top down by layer, whatever order they were pushed in', () => {
    const router = new KeyRouter();
    const asked: string[] = [];
    const scope = (name: string, layer: 'app' | 'view' | 'viewer') => ({ name, layer, handle: () => (asked.push(name), false) });
    router.push(scope('viewer', 'viewer'));
    router.push(scope('app', 'app'));
    router.push(scope('grid', 'view'));
    expect(router.dispatch(key('x'))).toBeNull();
    // The viewer covers nothing by default; the order is what matters here.
    expect(asked).toEqual(['viewer', 'grid', 'app']);
  });

  test('the first scope that uses a key gets it, and the default action is prevented', () => {
    const router = new KeyRouter();
    const app = vi.fn(() => true);
    router.push({ name: 'app', layer: 'app', handle: app });
    router.push({ name: 'grid', layer: 'view', handle: (event) => event.key === 'ArrowDown' });
    const down = key('ArrowDown');
    expect(router.dispatch(down)).toBe('grid');
    expect(down.prevented).toBe(true);
    expect(app).not.toHaveBeenCalled();
    const dot = key('.');
    expect(router.dispatch(dot)).toBe('app');
    expect(app).toHaveBeenCalledOnce();
  });

  test('a modal scope takes every key: nothing behind an open dialog or menu runs', () => {
    const router = new KeyRouter();
    const app = vi.fn(() => true);
    const grid = vi.fn(() => true);
    router.push({ name: 'app', layer: 'app', handle: app });
    router.push({ name: 'grid', layer: 'view', handle: grid });
    const remove = router.push({ name: 'context menu', layer: 'modal' });
    const event = key('.');
    expect(router.dispatch(event)).toBeNull();
    expect(event.prevented).toBe(false);
    expect(app).not.toHaveBeenCalled();
    expect(grid).not.toHaveBeenCalled();
    remove();
    expect(router.dispatch(key('.'))).toBe('grid');
  });

  test('the viewer covers the grid but not the app: curation keys act on the open photo', () => {
    const router = new KeyRouter();
    const grid = vi.fn(() => true);
    router.push({ name: 'app', layer: 'app', handle: (event) => event.key === '.' });
    router.push({ name: 'grid', layer: 'view', handle: grid });
    router.push({ name: 'viewer', layer: 'viewer', covers: ['view'], handle: (event) => event.key === 'ArrowRight' });
    expect(router.dispatch(key('ArrowRight'))).toBe('viewer');
    expect(router.dispatch(key('.'))).toBe('app');
    expect(router.dispatch(key('ArrowDown'))).toBeNull();
    expect(grid).not.toHaveBeenCalled();
  });

  test('a key an element already handled (a text field, a listbox) goes to no scope', () => {
    const router = new KeyRouter();
    const app = vi.fn(() => true);
    router.push({ name: 'app', layer: 'app', handle: app });
    expect(router.dispatch(key('ArrowDown', { defaultPrevented: true }))).toBeNull();
    expect(app).not.toHaveBeenCalled();
  });

  test('within a layer the scope pushed last is on top (a dialog opened from a dialog)', () => {
    const router = new KeyRouter();
    router.push({ name: 'palette', layer: 'modal', handle: () => true });
    router.push({ name: 'album picker', layer: 'modal', handle: () => true });
    expect(router.topScope).toBe('album picker');
    expect(router.dispatch(key('Escape'))).toBe('album picker');
  });

  test('listens on the window only while a scope is pushed, and removing twice is harmless', () => {
    const attached: ((event: KeyboardEvent) => void)[] = [];
    const detach = vi.fn();
    const router = new KeyRouter((dispatch) => {
      attached.push(dispatch);
      return detach;
    });
    const removeA = router.push({ name: 'a', layer: 'app' });
    const removeB = router.push({ name: 'b', layer: 'view' });
    expect(attached).toHaveLength(1);
    removeA();
    removeA();
    expect(detach).not.toHaveBeenCalled();
    removeB();
    expect(detach).toHaveBeenCalledOnce();
    expect(router.topScope).toBeNull();
  });
});

describe('Modal on the router', () => {
  function openModal(onclose = vi.fn()) {
    const children = createRawSnippet(() => ({ render: () => '<div><input name="first" /><button>Last</button></div>' }));
    render(Modal, { props: { label: 'Add to Album', onclose, children } });
    return onclose;
  }

  test('an open dialog is the top key scope: app keys pause, Esc asks its owner to close', () => {
    const app = vi.fn(() => true);
    const removeApp = keyRouter.push({ name: 'app', layer: 'app', handle: app });
    try {
      const onclose = openModal();
      expect(keyRouter.topScope).toBe('dialog: Add to Album');
      window.dispatchEvent(new KeyboardEvent('keydown', { key: '.' }));
      expect(app).not.toHaveBeenCalled();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
      expect(onclose).toHaveBeenCalledOnce();
      cleanup();
      expect(keyRouter.topScope).toBe('app');
      window.dispatchEvent(new KeyboardEvent('keydown', { key: '.' }));
      expect(app).toHaveBeenCalledOnce();
    } finally {
      removeApp();
    }
  });

  test('Tab from the last control goes back to the first; the focus returns to the opener on close', () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    openModal();
    const first = screen.getByRole('textbox');
    const last = screen.getByRole('button', { name: 'Last' });
    expect(document.activeElement).toBe(first);
    last.focus();
    last.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }));
    expect(document.activeElement).toBe(first);
    first.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey: true, bubbles: true }));
    expect(document.activeElement).toBe(last);
    cleanup();
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });
});
