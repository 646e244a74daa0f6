/**
 * Opaque sync tokens and continuation markers.
 *
 * CloudKit tokens are opaque strings (docs/cloudkit.md §9.2); a fake that hands out readable counters lets a client
 * grow a dependency on them. So positions are encrypted with a per-emulator key. The encryption is
 * deterministic (fixed IV) on purpose: the same position always yields the same token, which is
 * how a client can notice "the token repeated with moreComing: true" (docs/cloudkit.md §9.3). Integrity comes from
 * the payload schema plus the random zone/database epoch inside it: a tampered or foreign token
 * decrypts to garbage and is rejected.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { z } from 'zod';

const ZERO_IV = Buffer.alloc(16);

/** What a sync token encodes: scope kind, epoch of the zone/database incarnation, position, generation. */
export const SyncPositionSchema = z.object({
  k: z.enum(['zone', 'db']),
  e: z.string(),
  s: z.number().int().min(0),
  g: z.number().int(),
});
export type SyncPosition = z.infer<typeof SyncPositionSchema>;

/** What a query continuation marker encodes. */
export const MarkerSchema = z.object({ k: z.literal('query'), o: z.number().int().min(0), h: z.string() });

/** Seals small JSON payloads into URL-safe opaque strings with the key the store holds. */
export class Sealer {
  readonly #keyHex: () => string;

  constructor(keyHex: () => string) {
    this.#keyHex = keyHex;
  }

  seal(payload: unknown): string {
    const cipher = createCipheriv('aes-256-cbc', Buffer.from(this.#keyHex(), 'hex'), ZERO_IV);
    return Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]).toString('base64url');
  }

  /** The payload, or undefined when the string was not sealed by this key or has the wrong shape. */
  open<T>(sealed: string, schema: z.ZodType<T>): T | undefined {
    try {
      const decipher = createDecipheriv('aes-256-cbc', Buffer.from(this.#keyHex(), 'hex'), ZERO_IV);
      const text = Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
      const parsed = schema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      // Bad padding or bad JSON: not one of ours.
      return undefined;
    }
  }
}
