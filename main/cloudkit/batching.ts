import { CloudKitError } from './errors';

/** At most this many operations per `records/modify`, `subscriptions/modify`, … request (docs/cloudkit.md §6). */
export const MAX_OPERATIONS_PER_REQUEST = 200;

/**
 * Our byte budget for one request body.
 *
 * Records may be up to 1 MB and the native framework suggests about 2 MB per request, but the web
 * wire code for an oversized request is unconfirmed (docs/cloudkit.md §6, docs/cloudkit.md §10.13). Half a megabyte keeps us well
 * under any of those while still fitting hundreds of our tiny event records.
 */
export const MAX_REQUEST_BYTES = 512 * 1024;

/** Room kept for the request envelope (`zoneID`, `atomic`, brackets) around the operations. */
const ENVELOPE_BYTES = 1024;

/** The UTF-8 size of a value once serialised, plus one byte for the separating comma. */
export function jsonSizeBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8') + 1;
}

/**
 * Split items into consecutive batches of at most `maxCount` items and `maxBytes` serialised bytes.
 *
 * Order is preserved, because CloudKit applies operations in array order (docs/cloudkit.md §3.1). An item that
 * alone exceeds the byte budget cannot be sent at all: that is a `limit-exceeded` error raised
 * before anything is sent, rather than a half-applied upload.
 */
export function splitIntoBatches<T>(
  items: readonly T[],
  options: {
    maxCount?: number;
    maxBytes?: number;
    sizeOf?: (item: T) => number;
    /** Items with the same key never share a batch (CloudKit allows one operation per record, docs/cloudkit.md §3.1). */
    keyOf?: (item: T) => string;
  } = {},
): T[][] {
  const maxCount = options.maxCount ?? MAX_OPERATIONS_PER_REQUEST;
  const maxBytes = (options.maxBytes ?? MAX_REQUEST_BYTES) - ENVELOPE_BYTES;
  const sizeOf = options.sizeOf ?? jsonSizeBytes;
  if (maxCount < 1 || maxBytes < 1) throw new RangeError('batch limits must be positive');

  const batches: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  const currentKeys = new Set<string>();
  items.forEach((item, index) => {
    const size = sizeOf(item);
    if (size > maxBytes) {
      throw new CloudKitError('limit-exceeded', {
        message: `Item ${index + 1} is ${size} bytes, more than the ${maxBytes} bytes one iCloud request may carry.`,
      });
    }
    const key = options.keyOf?.(item);
    const repeatsKey = key !== undefined && currentKeys.has(key);
    if (current.length >= maxCount || currentBytes + size > maxBytes || repeatsKey) {
      batches.push(current);
      current = [];
      currentBytes = 0;
      currentKeys.clear();
    }
    current.push(item);
    currentBytes += size;
    if (key !== undefined) currentKeys.add(key);
  });
  if (current.length > 0) batches.push(current);
  return batches;
}
