import { describe, expect, it } from 'vitest';
import { jsonSizeBytes, MAX_OPERATIONS_PER_REQUEST, MAX_REQUEST_BYTES, splitIntoBatches } from '../../../main/cloudkit/batching';
import { CloudKitError } from '../../../main/cloudkit/errors';

describe('splitIntoBatches', () => {
  it('keeps at most 200 operations per request, in order', () => {
    const items = Array.from({ length: 450 }, (_, i) => ({ recordName: `r${i}` }));
    const batches = splitIntoBatches(items);
    expect(batches.map((b) => b.length)).toEqual([200, 200, 50]);
    expect(batches.flat()).toEqual(items);
    expect(MAX_OPERATIONS_PER_REQUEST).toBe(200);
  });

  it('keeps every batch well under 1 MB of JSON', () => {
    const big = 'x'.repeat(100_000);
    const items = Array.from({ length: 20 }, (_, i) => ({ recordName: `r${i}`, payload: big }));
    const batches = splitIntoBatches(items);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      const bytes = Buffer.byteLength(JSON.stringify({ zoneID: { zoneName: 'Z' }, atomic: false, operations: batch }));
      expect(bytes).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
      expect(bytes).toBeLessThan(1024 * 1024);
    }
    expect(batches.flat()).toEqual(items);
  });

  it('never puts two operations on the same record into one request', () => {
    const items = [{ recordName: 'a' }, { recordName: 'b' }, { recordName: 'a' }, { recordName: 'c' }];
    const batches = splitIntoBatches(items, { keyOf: (item) => item.recordName });
    expect(batches).toEqual([
      [{ recordName: 'a' }, { recordName: 'b' }],
      [{ recordName: 'a' }, { recordName: 'c' }],
    ]);
  });

  it('refuses a single item larger than a request may carry, before anything is sent', () => {
    const items = [{ recordName: 'ok' }, { recordName: 'huge', payload: 'x'.repeat(MAX_REQUEST_BYTES) }];
    let thrown: unknown;
    try {
      splitIntoBatches(items);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CloudKitError);
    expect((thrown as CloudKitError).kind).toBe('limit-exceeded');
    expect((thrown as CloudKitError).action).toBe('split-batch');
  });

  it('returns no batches for no items', () => {
    expect(splitIntoBatches([])).toEqual([]);
  });

  it('measures UTF-8 bytes, not characters', () => {
    expect(jsonSizeBytes('é')).toBe(Buffer.byteLength('"é"') + 1);
  });

  it('honours custom limits', () => {
    const batches = splitIntoBatches([1, 2, 3, 4, 5], { maxCount: 2 });
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });
});
