import { z } from 'zod';

/**
 * The page's request frame on the web shell's bridge socket (see shared/ipc/wire.ts), parsed by
 * main (main/webshell/bridge-connection.ts). Apart from wire.ts: the page only builds these, and
 * its first script must not load zod ([Note: Names without schemas]).
 */
export const RequestFrame = z
  .object({
    type: z.literal('request'),
    id: z.number().int().nonnegative(),
    channel: z.string(),
    request: z.unknown(),
  })
  .strict();
export type RequestFrame = z.infer<typeof RequestFrame>;
