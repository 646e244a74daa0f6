import type { ErrorKind } from '../errors';

/**
 * [Note: Result envelope]
 *
 * Every IPC request answers with a Result, never a thrown error: Electron passes only the
 * message of an error thrown in a handler, and a WebSocket has no notion of throwing at all.
 * `{ok:true,value}` or `{ok:false,error:{kind,message}}`. The renderer's client
 * (renderer/lib/api.ts) unwraps it back into a value or an AppError. Types only, no zod: the
 * page's first script uses this module ([Note: Names without schemas]).
 */
export interface IpcError {
  readonly kind: ErrorKind;
  readonly message: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function err(kind: IpcError['kind'], message: string): IpcResult<never> {
  return { ok: false, error: { kind, message } };
}
