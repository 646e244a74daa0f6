import { z } from 'zod';
import type { SessionRec } from './auth';
import { userJson } from './auth';
import type { EmulatorContext } from './context';
import { currentSession } from './context';
import type { Exchange, Router } from './http';

/**
 * Session, OAuth (app password) and config routes (docs/photoprism-api.md §1, docs/photoprism-api.md §9): the login envelope with its
 * snake_case keys, session check and logout, app-password creation, and the public/session
 * client config.
 */

/** The login/session envelope (docs/photoprism-api.md §1.2); key order as the Go response builder writes it. */
export function sessionEnvelope(ctx: EmulatorContext, session: SessionRec): Record<string, unknown> {
  if (ctx.api === 'legacy') {
    // Up to 231128: the session ID IS the token, under `id` alone; no access_token, no expiry
    // (231128 internal/api/session_create.go, CreateSession; session_get.go, GetSession).
    return {
      status: 'ok',
      id: session.token,
      provider: session.provider,
      user: userJson(session.user),
      data: { tokens: null, shares: null },
      config: ctx.config.build('session', session),
    };
  }
  return {
    status: 'success',
    // Deprecated alias of access_token, kept for older clients.
    id: session.token,
    session_id: session.id,
    access_token: session.token,
    token_type: 'Bearer',
    expires_in: ctx.auth.expiresIn(session),
    provider: session.provider,
    scope: session.scope,
    user: userJson(session.user),
    data: { tokens: null, shares: null },
    config: ctx.config.build('session', session),
  };
}

const OAuthTokenForm = z
  .object({
    grant_type: z.string(),
    client_name: z.string(),
    scope: z.string(),
    expires_in: z.union([z.number(), z.string()]),
    username: z.string(),
    password: z.string(),
  })
  .partial()
  .loose();

function parseOAuthBody(x: Exchange): Record<string, unknown> | undefined {
  const type = x.header('content-type');
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(x.body));
  if (x.body.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(x.body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Registers session, OAuth, config and status routes. */
export function registerSessionRoutes(router: Router, ctx: EmulatorContext): void {
  const login = (x: Exchange): void => {
    let body: unknown;
    try {
      body = JSON.parse(x.body);
    } catch {
      return x.bindError();
    }
    const headerToken = ctx.auth.tokenFromHeaders(x.req.headers);
    const headerSession = headerToken ? ctx.auth.resolve(headerToken.token, x.ip) : null;
    const outcome = ctx.auth.login(body, headerSession?.kind === 'ok' ? headerSession.session : null, x.ip);
    if (!outcome.session) return x.json(outcome.status, outcome.body);
    // Up to 231128 the session ID also came back as a header (231128 internal/api/headers.go, AddSessionHeader).
    const legacyHeader: Record<string, string> = ctx.api === 'legacy' ? { 'X-Session-ID': outcome.session.token } : {};
    x.json(200, sessionEnvelope(ctx, outcome.session), { headers: { 'Cache-Control': 'no-store', ...legacyHeader } });
  };
  router.on('POST', '/api/v1/session', login);
  if (ctx.api === 'legacy') {
    registerLegacySessionRoutes(router, ctx);
    registerConfigRoutes(router, ctx);
    return;
  }
  router.on('POST', '/api/v1/sessions', login);

  const getSession = (x: Exchange): void => {
    const session = currentSession(ctx, x);
    if (!session) return x.error(401, 'Please log in to your account');
    const id = x.params['id'];
    if (id !== undefined && id !== session.id) return x.error(403, 'Permission denied');
    x.json(200, sessionEnvelope(ctx, session));
  };
  router.on('GET', '/api/v1/session', getSession);
  router.on('GET', '/api/v1/session/:id', getSession);
  router.on('GET', '/api/v1/sessions/:id', getSession);

  const deleteSession = (x: Exchange): void => {
    const session = currentSession(ctx, x);
    if (!session) return x.error(401, 'Please log in to your account');
    const id = x.params['id'];
    let target = session;
    if (id !== undefined && id !== session.id) {
      // Admins may delete other sessions by ID.
      const other = session.user.role === 'admin' ? ctx.auth.liveSessions().find((s) => s.id === id) : undefined;
      if (!other)
        return x.error(session.user.role === 'admin' ? 404 : 403, session.user.role === 'admin' ? 'Entity not found' : 'Permission denied');
      target = other;
    }
    ctx.auth.deleteSession(target);
    x.json(200, { status: 'deleted', session_id: target.id });
  };
  router.on('DELETE', '/api/v1/session', deleteSession);
  router.on('DELETE', '/api/v1/session/:id', deleteSession);
  router.on('DELETE', '/api/v1/sessions/:id', deleteSession);

  router.on('POST', '/api/v1/oauth/token', (x) => {
    const raw = parseOAuthBody(x);
    if (raw === undefined) return x.error(400, 'Unable to do that');
    const form = OAuthTokenForm.safeParse(raw);
    if (!form.success) return x.error(400, 'Unable to do that');
    const f = form.data;
    const invalid = (): void => x.json(401, { error: 'invalid credentials', code: 40, message: 'Invalid credentials' });
    const grant = f.grant_type ?? '';
    // App passwords are created while authenticated (Settings › Apps and Devices, docs/photoprism-api.md §1.6).
    if (grant !== 'password' && grant !== 'session') return invalid();
    const session = currentSession(ctx, x);
    if (!session) return invalid();
    if (grant === 'password' && (f.username !== session.user.name || f.password !== session.user.password)) return invalid();
    const expiresIn = Number(f.expires_in ?? 0) || 0;
    const app = ctx.auth.createAppPassword(session.user, f.client_name ?? 'App', f.scope ?? '*', expiresIn);
    x.json(200, {
      status: 'success',
      session_id: app.id,
      access_token: app.token,
      token_type: 'Bearer',
      expires_in: ctx.auth.expiresIn(app),
      client_name: app.clientName,
      scope: app.scope,
    });
  });

  router.on('POST', '/api/v1/oauth/revoke', (x) => {
    const raw = parseOAuthBody(x) ?? {};
    const token = typeof raw['token'] === 'string' ? raw['token'] : (ctx.auth.tokenFromHeaders(x.req.headers)?.token ?? '');
    const resolved = ctx.auth.resolve(token, x.ip);
    if (resolved.kind !== 'ok') return x.error(401, 'Please log in to your account');
    // Only client sessions (app passwords here) can be revoked this way.
    if (!resolved.session.isAppPassword) return x.error(403, 'Permission denied');
    ctx.auth.deleteSession(resolved.session);
    x.json(200, { status: 'deleted', session_id: resolved.session.id });
  });

  registerConfigRoutes(router, ctx);
}

/**
 * Up to 231128: only `/session/:id`, where the ID is the token itself. GET needs the same value
 * in `X-Session-ID` (else 403); DELETE ends the session it names without checking the caller
 * (231128 internal/api/session_get.go, GetSession; session_delete.go, DeleteSession).
 * `GET`/`DELETE /api/v1/session` without an ID do not exist: 404.
 */
function registerLegacySessionRoutes(router: Router, ctx: EmulatorContext): void {
  router.on('GET', '/api/v1/session/:id', (x) => {
    const id = x.params['id'] ?? '';
    if (id !== x.header('x-session-id').trim()) return x.error(403, 'Permission denied');
    const session = currentSession(ctx, x);
    if (!session) return x.error(401, 'Please log in to your account');
    x.json(200, sessionEnvelope(ctx, session), { headers: { 'X-Session-ID': session.token } });
  });
  router.on('DELETE', '/api/v1/session/:id', (x) => {
    const id = x.params['id'] ?? '';
    const target = ctx.auth.liveSessions().find((s) => s.token === id);
    if (target) ctx.auth.deleteSession(target);
    x.json(200, { status: 'ok', id });
  });
}

/** The client config and status routes, the same in every version. */
function registerConfigRoutes(router: Router, ctx: EmulatorContext): void {
  router.on('GET', '/api/v1/config', (x) => {
    const session = currentSession(ctx, x);
    // Without a valid token this is the public config, still 200 (docs/photoprism-api.md §9.1).
    x.json(200, session ? ctx.config.build('session', session) : ctx.config.build('public'));
  });

  router.on('GET', '/api/v1/status', (x) => x.json(200, { status: 'operational' }));
  router.on('GET', '/health', (x) =>
    x.send(200, 'text/plain; charset=utf-8', Buffer.from('OK'), { 'Cache-Control': 'no-store', 'Access-Control-Allow-Origin': '*' }),
  );
}
