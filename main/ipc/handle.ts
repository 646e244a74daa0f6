import { AppError, isAppError } from '../../shared/errors';
import { contract, isChannel, type Channel, type ParsedRequestOf, type ResponseOf } from '../../shared/ipc/contract';
import { err, ok, type IpcResult } from '../../shared/ipc/result';
import type { Logger } from '../log/logger';

/**
 * One handler per contract channel. The map is typed against the contract, so forgetting a
 * handler for a new channel is a compile error in main/compose.ts.
 */
export type Handlers = {
  [C in Channel]: (request: ParsedRequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
};

/**
 * Who sent a request, as each shell knows it.
 *
 * Electron: the sender frame (checked to be our window's main frame on our origin).
 * Web shell: the authenticated socket. Each shell decides `trusted`; the dispatcher refuses
 * anything else before parsing a single byte of the payload.
 */
export interface SenderInfo {
  readonly trusted: boolean;
  /** For logs only: "main-frame app://photoflare", "ws 127.0.0.1:51234". */
  readonly description: string;
}

export type Dispatch = (channel: unknown, request: unknown, sender: SenderInfo) => Promise<IpcResult<unknown>>;

/**
 * Build the validated dispatcher both shells route every request through.
 *
 * It does four things, in order: check the sender, check the channel, parse the request with
 * the contract, run the handler and parse its answer (so a handler can never leak a field the
 * contract does not name: zod strips unknown keys). It never throws: every failure becomes a
 * Result error. See [Note: Result envelope].
 */
export function createDispatcher(handlers: Handlers, log: Logger): Dispatch {
  return async (channel, request, sender) => {
    if (!sender.trusted) {
      log.warn('refused IPC from untrusted sender', { sender: sender.description });
      return err('forbidden', 'This request did not come from the Photoflare window.');
    }
    if (!isChannel(channel)) {
      log.warn('refused IPC on unknown channel', { channel: String(channel).slice(0, 80) });
      return err('unknown-channel', `Unknown channel: ${String(channel).slice(0, 80)}`);
    }
    const spec = contract[channel];
    const parsed = spec.request.safeParse(request);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(request)'}: ${issue.message}`).join('; ');
      log.warn('refused malformed IPC request', { channel, detail });
      return err('bad-request', `Malformed request for ${channel}: ${detail}`);
    }
    try {
      const handler = handlers[channel] as (req: unknown) => unknown;
      const value = await handler(parsed.data);
      const checked = spec.response.safeParse(value);
      if (!checked.success) {
        // A handler answered outside the contract: a bug on our side, not the caller's.
        log.error('handler answered outside the contract', { channel, issues: checked.error.issues.length });
        return err('internal', `Photoflare answered ${channel} with an unexpected shape. This is a bug.`);
      }
      return ok(checked.data);
    } catch (cause) {
      if (isAppError(cause)) return err(cause.kind, cause.message);
      log.error('IPC handler threw', { channel, error: cause });
      return err('internal', `Something went wrong in ${channel}. This is a bug; details are in the log.`);
    }
  };
}

/** Re-exported so handlers can throw kinded errors without reaching into shared/. */
export { AppError };
