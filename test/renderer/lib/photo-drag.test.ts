import { describe, expect, test } from 'vitest';
import { beginNativeDragOut, isPhotoDrag } from '../../../renderer/lib/photo-drag';
import { isFileDrag } from '../../../renderer/lib/state/import.svelte';

/** A drag event carrying Finder-style files, as the window sees our own native drag come back over it. */
function filesDrag(type: string): DragEvent {
  const event = new DragEvent(type, { bubbles: true });
  Object.defineProperty(event, 'dataTransfer', { value: { types: ['Files'] } });
  return event;
}

describe('our own native drag of originals over the window', () => {
  test('is a photo drag (sidebar albums take it), never a file import, until it is dropped', () => {
    expect(isFileDrag(filesDrag('dragover'))).toBe(true);
    beginNativeDragOut();
    expect(isPhotoDrag(filesDrag('dragover'))).toBe(true);
    expect(isFileDrag(filesDrag('dragover'))).toBe(false);
    // Moving between elements inside the window does not end it.
    window.dispatchEvent(new MouseEvent('dragleave', { clientX: 200, clientY: 200, relatedTarget: document.body }));
    expect(isFileDrag(filesDrag('dragover'))).toBe(false);
    window.dispatchEvent(filesDrag('drop'));
    expect(isPhotoDrag(filesDrag('dragover'))).toBe(false);
    expect(isFileDrag(filesDrag('dragover'))).toBe(true);
  });

  test('ends when the drag leaves the window: files coming back later from Finder import again', () => {
    beginNativeDragOut();
    // (jsdom's DragEvent has no coordinates: a MouseEvent of the same type stands in.)
    window.dispatchEvent(new MouseEvent('dragleave', { clientX: 0, clientY: 0, relatedTarget: null }));
    expect(isFileDrag(filesDrag('dragover'))).toBe(true);
  });
});
