import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import DeviceMenu from '../../../renderer/components/DeviceMenu.svelte';
import type { DeviceChoice } from '../../../shared/library/metadata';

afterEach(() => cleanup());

const CAMERAS: DeviceChoice[] = [
  { id: 2, name: 'Apple iPhone 13 Pro', make: 'Apple', model: 'iPhone 13 Pro' },
  { id: 3, name: 'Canon EOS 6D', make: 'Canon', model: 'EOS 6D' },
  { id: 4, name: 'Sony ILCE-7M3', make: 'Sony', model: 'ILCE-7M3' },
  { id: 1, name: 'Unknown', make: '', model: 'Unknown' },
];

function setup(value = '3') {
  const props = { fieldId: 'camera', label: 'Camera', testid: 'camera', devices: CAMERAS, value, placeholder: 'Mixed', onpick: vi.fn() };
  // A controlled field, as the inspector holds it: a pick comes back as the new value.
  const { rerender } = render(DeviceMenu, { props });
  const onpick = props.onpick.mockImplementation((id: string) => void rerender({ ...props, value: id }));
  const field = screen.getByTestId<HTMLInputElement>('camera');
  const rows = () => screen.queryAllByTestId('camera-option').map((row) => row.textContent?.trim());
  return { onpick, field, rows };
}

describe('DeviceMenu', () => {
  test('closed it reads the pick; typing opens the names that start with the text first; Return picks', async () => {
    const { onpick, field, rows } = setup();
    expect(field.value).toBe('Canon EOS 6D');
    expect(rows()).toEqual([]);
    field.focus();
    await fireEvent.input(field, { target: { value: 'so' } });
    expect(rows()).toEqual(['Sony ILCE-7M3']);
    // "c" starts Canon and is inside Sony's ILCE: the name it starts comes first, Apple's is left out.
    await fireEvent.input(field, { target: { value: 'c' } });
    expect(rows()).toEqual(['Canon EOS 6D', 'Sony ILCE-7M3']);
    await fireEvent.input(field, { target: { value: 'so' } });
    expect(rows()).toEqual(['Sony ILCE-7M3']);
    // "c" starts Canon and is in Apple's name: the one it starts comes first.
    await fireEvent.input(field, { target: { value: 'c' } });
    expect(rows()).toEqual(['Canon EOS 6D', 'Sony ILCE-7M3', 'Apple iPhone 13 Pro'].filter((name) => name.toLowerCase().includes('c')));
    await fireEvent.input(field, { target: { value: 'so' } });
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect(onpick).toHaveBeenCalledWith('4');
    expect(rows()).toEqual([]);
    await waitFor(() => expect(field.value).toBe('Sony ILCE-7M3'));
  });

  test('↓ opens the whole list on the pick; Esc closes it unpicked and is not left to the dialog', async () => {
    const { onpick, field, rows } = setup();
    field.focus();
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    expect(rows()).toEqual(CAMERAS.map((c) => c.name));
    expect(field.getAttribute('aria-activedescendant')).toBe('camera-1');
    const escape = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    field.dispatchEvent(escape);
    expect(escape.defaultPrevented).toBe(true);
    await fireEvent.keyDown(field, { key: 'Enter' });
    expect(rows()).toEqual([]);
    expect(onpick).not.toHaveBeenCalled();
    expect(field.value).toBe('Canon EOS 6D');
  });

  test('with the mouse: ▾ opens the list and a click on a row picks it', async () => {
    const { onpick, field, rows } = setup('');
    expect(field.value).toBe('');
    expect(field.placeholder).toBe('Mixed');
    await fireEvent.click(screen.getByTestId('camera-button'));
    expect(rows()).toHaveLength(4);
    await fireEvent.click(screen.getAllByTestId('camera-option')[0] as HTMLElement);
    expect(onpick).toHaveBeenCalledWith('2');
    await waitFor(() => expect(field.value).toBe('Apple iPhone 13 Pro'));
  });

  test('an open list is brought back into view when the window is resized (a smaller window would cut it off)', async () => {
    const { field } = setup();
    const shown: Element[] = [];
    const scroll = vi.spyOn(Element.prototype, 'scrollIntoView').mockImplementation(function (this: Element) {
      shown.push(this);
    });
    try {
      field.focus();
      await fireEvent.keyDown(field, { key: 'ArrowDown' });
      const list = document.getElementById('camera-list');
      expect(list).not.toBeNull();
      shown.length = 0;
      window.dispatchEvent(new Event('resize'));
      expect(shown).toContain(list);
      // Closed, a resize scrolls nothing.
      await fireEvent.keyDown(field, { key: 'Escape' });
      shown.length = 0;
      window.dispatchEvent(new Event('resize'));
      expect(shown).toEqual([]);
    } finally {
      scroll.mockRestore();
    }
  });
});
