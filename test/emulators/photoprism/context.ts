import type { ApiLevel } from './api-version';
import type { Auth, SessionRec } from './auth';
import type { ConfigBuilder } from './config';
import type { Exchange } from './http';
import type { Store } from './store';
import type { EventHub } from './websocket';

/**
 * The shared state every route module and the admin API work on. Mutations go through the
 * functions in photos.ts, albums.ts and batch.ts, which take this context, change the store and
 * publish the events the real server publishes.
 */
export interface EmulatorContext {
  store: Store;
  auth: Auth;
  hub: EventHub;
  config: ConfigBuilder;
  now: () => number;
  /** The auth API of the release the emulator claims to be (api-version.ts). */
  api: ApiLevel;
  /** Photos say `Caption` instead of `Description` (2025 on, api-version.ts usesPhotoCaption). */
  photoCaption: boolean;
}

/** Permission a route needs (the CE ACL reduced to what the emulator distinguishes). */
export type Action = 'search' | 'view' | 'update' | 'create' | 'delete' | 'private';

/** Publishes the broadcast `config.updated` (after nearly every mutation, docs/photoprism-api.md §8.3). */
export function publishConfigUpdated(ctx: EmulatorContext): void {
  ctx.hub.publish('config.updated', { config: ctx.config.build('broadcast') });
}

/**
 * Resolves the caller's session and checks role and scope. Answers 401 for a missing, unknown or
 * expired token and 403 for a valid one without permission (docs/photoprism-api.md §1.5), and returns null then.
 */
export function requireSession(ctx: EmulatorContext, x: Exchange, resource: string, action: Action): SessionRec | null {
  const session = currentSession(ctx, x);
  if (!session) {
    x.error(401, 'Please log in to your account');
    return null;
  }
  if (!allowed(session, resource, action)) {
    x.error(403, 'Permission denied');
    return null;
  }
  return session;
}

/** The caller's session or null, without answering. Caches it on the exchange. */
export function currentSession(ctx: EmulatorContext, x: Exchange): SessionRec | null {
  if (x.session) return x.session;
  const found = ctx.auth.tokenFromHeaders(x.req.headers);
  const resolved = ctx.auth.resolve(found?.token ?? null, x.ip);
  x.session = resolved.kind === 'ok' ? resolved.session : null;
  return x.session;
}

function allowed(session: SessionRec, resource: string, action: Action): boolean {
  // Scope is enforced for client sessions (docs/photoprism-api.md §1.6): `*` or empty means everything.
  const scope = session.scope.trim();
  if (scope !== '' && scope !== '*') {
    const granted = scope.split(/[\s,]+/);
    if (!granted.includes(resource)) return false;
  }
  if (session.user.role === 'admin') return true;
  // Guests may look but not change anything, and never see private photos.
  return action === 'search' || action === 'view';
}

/** Search responses carry the session's media tokens in non-public mode (docs/photoprism-api.md §1.8). */
export function tokenHeaders(session: SessionRec): Record<string, string> {
  return { 'X-Preview-Token': session.user.previewToken, 'X-Download-Token': session.user.downloadToken };
}
