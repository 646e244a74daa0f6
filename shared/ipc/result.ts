import { z } from 'zod';
import { ERROR_KINDS } from '../errors';

/**
 * [Note: Result envelope]
 *
 * Every IPC request answers with a Result, never a thrown error: Electron passes only the
 * message of an error thrown in a handler, and a WebSocket has no notion of throwing at all.
 * `{ok:true,value}` or `{ok:false,error:{kind,message}}`. The renderer's client
 * (renderer/lib/api.ts) unwraps it back into a value or an AppError.
 */
export const IpcError = z
  .object({
    kind: z.enum(ERROR_KINDS),
    message: z.string(),
  })
  .strict();
export type IpcError = z.infer<typeof IpcError>;

/** The envelope as a zod schema over a value schema (for bridges that check what they receive). */
export function ipcResultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }).strict(),
    z.object({ ok: z.literal(false), error: IpcError }).strict(),
  ]);
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function err(kind: IpcError['kind'], message: string): IpcResult<never> {
  return { ok: false, error: { kind, message } };
}
