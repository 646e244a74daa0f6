import { describe, expect, it } from 'vitest';
import { parseServerFrame } from '../../../shared/ipc/wire';

/**
 * The page's check of main's frames (parseServerFrame, by hand since the first script loads no
 * zod): what it accepts is handed to a pending call or an event's listeners, anything else is
 * dropped (renderer/lib/web-bridge.ts).
 */
describe('parseServerFrame', () => {
  it('accepts replies and events as main sends them', () => {
    expect(parseServerFrame({ type: 'reply', id: 7, result: { ok: true, value: [] } })).toEqual({
      type: 'reply',
      id: 7,
      result: { ok: true, value: [] },
    });
    expect(parseServerFrame({ type: 'event', event: 'library.changed', payload: null })).toEqual({
      type: 'event',
      event: 'library.changed',
      payload: null,
    });
    // A reply's result may be anything, even undefined, as long as the key is there.
    expect(parseServerFrame({ type: 'reply', id: 0, result: undefined })).toEqual({ type: 'reply', id: 0, result: undefined });
  });

  it.each([
    ['not an object', 'reply'],
    ['null', null],
    ['an array', [{ type: 'reply', id: 1, result: 1 }]],
    ['an unknown type', { type: 'request', id: 1, request: {} }],
    ['a reply without a result', { type: 'reply', id: 1 }],
    ['a reply with a negative id', { type: 'reply', id: -1, result: 1 }],
    ['a reply with a fractional id', { type: 'reply', id: 1.5, result: 1 }],
    ['a reply with an id past the safe integers', { type: 'reply', id: 2 ** 60, result: 1 }],
    ['a reply with a string id', { type: 'reply', id: '1', result: 1 }],
    ['a reply with another key', { type: 'reply', id: 1, result: 1, extra: true }],
    ['an event without a payload', { type: 'event', event: 'x' }],
    ['an event with a number for its name', { type: 'event', event: 1, payload: null }],
    ['an event with another key', { type: 'event', event: 'x', payload: null, id: 1 }],
  ])('drops %s', (_what, frame) => {
    expect(parseServerFrame(frame)).toBeUndefined();
  });
});
