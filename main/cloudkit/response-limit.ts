/**
 * Bounded reading of a CloudKit response body. See [Note: Limits against a hostile server]
 * (main/photoprism/transport.ts): `response.text()` would hold whatever a broken proxy or a
 * hostile endpoint sends; this stops at a cap and cancels the stream.
 */

/**
 * Largest CloudKit response body accepted. Our records are tiny change events (a few hundred
 * bytes each) and a page holds at most a few hundred of them (Apple: CloudKit Web Services
 * Reference, "Fetching Record Changes", resultsLimit), so real answers stay far below 1 MB.
 */
export const CLOUDKIT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** The body went over the cap (declared in Content-Length or actually received). */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';

  constructor(readonly maxBytes: number) {
    super(`response body larger than ${maxBytes} bytes`);
  }
}

/** The body as UTF-8 text, or ResponseTooLargeError once more than `maxBytes` arrive. */
export async function readTextWithin(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(maxBytes);
  }
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
