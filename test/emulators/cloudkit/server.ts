/**
 * HTTP routing: the CloudKit API paths, the sign-in page, the webcourier, CORS, request recording
 * and the admin endpoints.
 *
 *   /database/1/{container}/{environment}/{database}/{operation}   CloudKit Web Services (docs/cloudkit.md §1)
 *   /device/1/{container}/{environment}/tokens/{create,register}   push tokens (docs/cloudkit.md §7.1)
 *   /_auth/sign-in?oauth_token=…                                   fake Apple sign-in page (docs/cloudkit.md §2.2)
 *   /_courier/aps?tok=…&ttl=…                                      webcourier long-poll (docs/cloudkit.md §7.2)
 *   /_admin/…                                                      admin JSON API (README.md)
 *
 * Per API request: route → pre-auth faults → ckAPIToken → ckWebAuthToken (421/401/403) → rotate the
 * token (sent on every later response, errors included) → size limits → JSON body → post-auth
 * faults → handler → persist → optional latency → respond.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AdminHttpDeps, handleAdminHttp } from './admin';
import { type Auth, USER_PARTITION } from './auth';
import { databaseChanges, legacyZoneChanges, recordChanges, zoneChanges } from './changes';
import { type HandlerResult, MAX_BODY_BYTES, type OpContext, type Services } from './context';
import type { Courier } from './courier';
import { ckError, CloudKitError } from './errors';
import { faultAction, type FaultInjector } from './faults';
import { lookupRecords, modifyRecords, queryRecords } from './records';
import { handleSignInPage } from './sign-in-page';
import { listSubscriptions, lookupSubscriptions, modifySubscriptions } from './subscriptions';
import type { DatabaseScope, Environment, RecordedRequest } from './types';
import { listZones, lookupZones, modifyZones, overLimitError } from './zones';

interface Route {
  method: 'GET' | 'POST';
  handle: (ctx: OpContext) => HandlerResult;
}

/**
 * `users/caller`: the UserIdentity dictionary itself, `{userRecordName, lookupInfo?, nameComponents?}`
 * (Apple: CloudKit JS, `CloudKit.Container.fetchCurrentUserIdentity` resolves to the response body as a
 * `CloudKit.UserIdentity`). `callerResponseShape` reproduces the other documented forms: a user who is
 * not discoverable gets "only the lookupInfo key" (Apple: CloudKit JS, `CloudKit.UserIdentity`), and an
 * older Web Services reference page shows a `{users: [...]}` list.
 */
const usersCaller = (ctx: OpContext): HandlerResult => {
  const userRecordName = ctx.userRecordName;
  switch (ctx.services.settings.callerResponseShape) {
    case 'lookup-info-only':
      return { status: 200, body: { lookupInfo: { userRecordName } } };
    case 'users-list':
      return { status: 200, body: { users: [{ userRecordName }] } };
    default:
      return { status: 200, body: { userRecordName, lookupInfo: { userRecordName } } };
  }
};
const usersCurrent = (ctx: OpContext): HandlerResult => ({ status: 200, body: { userRecordName: ctx.userRecordName } });

const DATABASE_ROUTES: Readonly<Record<string, Route>> = {
  'records/modify': { method: 'POST', handle: modifyRecords },
  'records/lookup': { method: 'POST', handle: lookupRecords },
  'records/query': { method: 'POST', handle: queryRecords },
  'records/changes': { method: 'POST', handle: recordChanges },
  'changes/zone': { method: 'POST', handle: zoneChanges },
  'changes/database': { method: 'POST', handle: databaseChanges },
  'zones/list': { method: 'GET', handle: listZones },
  'zones/lookup': { method: 'POST', handle: lookupZones },
  'zones/modify': { method: 'POST', handle: modifyZones },
  'zones/changes': { method: 'POST', handle: legacyZoneChanges },
  'subscriptions/list': { method: 'GET', handle: listSubscriptions },
  'subscriptions/lookup': { method: 'POST', handle: lookupSubscriptions },
  'subscriptions/modify': { method: 'POST', handle: modifySubscriptions },
  'users/caller': { method: 'GET', handle: usersCaller },
  'users/current': { method: 'GET', handle: usersCurrent },
};

const ENVIRONMENTS: ReadonlySet<string> = new Set(['development', 'production']);
const DATABASES: ReadonlySet<string> = new Set(['public', 'private', 'shared']);
const EXPOSED_HEADERS = [
  'X-Apple-CloudKit-Web-Auth-Token',
  'X-Apple-CloudKit-Session',
  'X-Apple-Request-UUID',
  'X-Apple-User-Partition',
  'X-Apple-CloudKit-Version',
].join(', ');

/** What the server needs from the emulator. */
export interface ServerDeps {
  services: Services;
  auth: Auth;
  courier: Courier;
  faults: FaultInjector;
  requests: RecordedRequest[];
  admin: Omit<AdminHttpDeps, 'requests'>;
  baseUrl: () => string;
}

/** A parsed API path. */
interface ApiTarget {
  kind: 'database' | 'device';
  container: string;
  environment: Environment;
  database: DatabaseScope;
  operation: string;
  route: Route | undefined;
}

const isEnvironment = (value: string): value is Environment => ENVIRONMENTS.has(value);
const isDatabase = (value: string): value is DatabaseScope => DATABASES.has(value);

/** Reads the body, keeping at most one byte over the limit (enough to know it is too big). */
async function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size <= MAX_BODY_BYTES + 1) chunks.push(buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the HTTP server (not yet listening). */
export function createEmulatorServer(deps: ServerDeps): Server {
  const server = createServer((req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      // A bug in the emulator: answer 500 rather than hang the client.
      if (!res.headersSent) sendJson(res, 500, ckError('INTERNAL_ERROR', `Emulator error: ${String(error)}`).toBody(), {});
      else res.destroy();
    });
  });
  return server;
}

function parseApiPath(segments: string[]): ApiTarget | undefined {
  const [, kind, version, container, environment, ...rest] = segments;
  if ((kind !== 'database' && kind !== 'device') || version !== '1' || container === undefined || environment === undefined)
    return undefined;
  if (!isEnvironment(environment)) return undefined;
  if (kind === 'device') {
    const operation = rest.join('/');
    return { kind, container, environment, database: 'private', operation, route: undefined };
  }
  // subscriptions/lookup is documented without the {database} segment (docs/cloudkit.md §1.2, docs/cloudkit.md §10.12): accept both.
  if (rest[0] === 'subscriptions' && rest.length === 2) {
    return { kind, container, environment, database: 'private', operation: rest.join('/'), route: DATABASE_ROUTES[rest.join('/')] };
  }
  const [database, ...operationParts] = rest;
  if (database === undefined || !isDatabase(database)) return undefined;
  const operation = operationParts.join('/');
  return { kind, container, environment, database, operation, route: DATABASE_ROUTES[operation] };
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = req.method ?? 'GET';
  const origin = req.headers.origin;
  const cors: Record<string, string> = {
    'access-control-allow-origin': typeof origin === 'string' ? origin : '*',
    'access-control-expose-headers': EXPOSED_HEADERS,
  };
  if (method === 'OPTIONS') {
    res
      .writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
        'access-control-max-age': '600',
      })
      .end();
    return;
  }
  const { text: body, tooLarge } = await readBody(req);

  if (url.pathname.startsWith('/_admin/')) {
    let parsed: unknown = undefined;
    try {
      parsed = body === '' ? undefined : JSON.parse(body);
    } catch {
      sendJson(res, 400, { error: 'Admin request body is not JSON' }, cors);
      return;
    }
    const result = handleAdminHttp({ ...deps.admin, requests: deps.requests }, method, url.pathname, url.searchParams, parsed);
    sendJson(res, result.status, result.body, cors);
    return;
  }

  const recorded: RecordedRequest = {
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams.entries()),
    headers: Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
    ),
    body,
    status: 0,
  };
  deps.requests.push(recorded);
  res.on('finish', () => {
    recorded.status = res.statusCode;
  });

  if (url.pathname === '/_auth/sign-in') {
    handleSignInPage(req, res, url.searchParams, body, deps.auth, deps.services.settings);
    deps.services.store.save();
    return;
  }
  if (url.pathname === '/_courier/aps' && method === 'GET') {
    const fault = deps.faults.take('webcourier', 'pre-auth') ?? deps.faults.take('webcourier', 'post-auth');
    // drop-after-commit: the poll is served (a frame leaves the queue), then the connection drops
    // instead of the answer — a notification lost on the way, as a dropped connection looks.
    if (fault !== undefined && sendFault(deps, res, fault, cors, undefined) === undefined) return;
    await deps.courier.poll(res, url.searchParams.get('tok') ?? undefined, { dropAnswer: fault !== undefined });
    return;
  }

  const target = parseApiPath(url.pathname.split('/'));
  if (target === undefined) {
    sendJson(res, 404, ckError('NOT_FOUND', `No such endpoint: ${url.pathname}`).toBody(), cors);
    return;
  }
  await handleApi(deps, res, { target, method, query: url.searchParams, body, tooLarge, cors });
}

interface ApiRequest {
  target: ApiTarget;
  method: string;
  query: URLSearchParams;
  body: string;
  tooLarge: boolean;
  cors: Record<string, string>;
}

function deviceRoute(deps: ServerDeps, target: ApiTarget): Route | undefined {
  if (target.operation === 'tokens/create') return { method: 'POST', handle: (ctx) => deps.courier.createToken(ctx) };
  if (target.operation === 'tokens/register') return { method: 'POST', handle: (ctx) => deps.courier.registerToken(ctx) };
  return undefined;
}

function sendFault(
  deps: ServerDeps,
  res: ServerResponse,
  rule: Parameters<typeof faultAction>[0],
  headers: Record<string, string>,
  target: ApiTarget | undefined,
): 'drop-after-commit' | undefined {
  const action = faultAction(rule, deps.services.settings);
  switch (action.type) {
    case 'drop':
      res.socket?.destroy();
      return undefined;
    case 'drop-after-commit':
      return 'drop-after-commit';
    case 'raw':
      res.writeHead(action.status, { ...headers, 'content-type': action.contentType }).end(action.body);
      return undefined;
    case 'error': {
      const error =
        rule.kind === 'auth-required' && target !== undefined
          ? deps.auth.authenticationRequired(target.container, target.environment, deps.baseUrl())
          : action.error;
      sendJson(res, error.status, error.toBody(), headers);
      return undefined;
    }
  }
}

async function handleApi(deps: ServerDeps, res: ServerResponse, request: ApiRequest): Promise<void> {
  const { target, method, query, cors } = request;
  const { services, auth } = deps;
  const headers: Record<string, string> = {
    ...cors,
    'x-apple-request-uuid': randomUUID(),
    'x-apple-cloudkit-version': '1.0',
    'x-apple-user-partition': USER_PARTITION,
  };
  const fail = (error: CloudKitError): void => sendJson(res, error.status, error.toBody(), headers);

  // The documented /database/…/tokens/* path answers 405 live; only /device/ works (docs/cloudkit.md §1.2).
  if (target.kind === 'database' && target.operation.startsWith('tokens/')) {
    fail(new CloudKitError(405, 'BAD_REQUEST', 'tokens/* is served under /device/1/{container}/{environment}/'));
    return;
  }
  const route = target.kind === 'device' ? deviceRoute(deps, target) : target.route;
  if (route === undefined) {
    fail(ckError('NOT_FOUND', `Unknown operation ${target.operation}`));
    return;
  }
  if (route.method !== method) {
    fail(new CloudKitError(405, 'BAD_REQUEST', `${target.operation} expects ${route.method}`));
    return;
  }
  const operation = target.operation;
  const preAuth = deps.faults.take(operation, 'pre-auth');
  if (preAuth !== undefined) {
    sendFault(deps, res, preAuth, headers, target);
    return;
  }
  if (!auth.apiTokenValid(target.container, target.environment, query.get('ckAPIToken') ?? undefined)) {
    fail(ckError('AUTHENTICATION_FAILED', 'Invalid ckAPIToken for this container and environment'));
    return;
  }
  const token = query.get('ckWebAuthToken') ?? query.get('ckSession') ?? undefined;
  const authResult = auth.authenticate(target.container, target.environment, token, deps.baseUrl());
  if (!authResult.ok) {
    fail(authResult.error);
    return;
  }
  const session = authResult.session;
  const rotated = auth.rotate(session);
  headers['x-apple-cloudkit-web-auth-token'] = rotated;
  headers['x-apple-cloudkit-session'] = rotated;
  services.store.save();

  const result = run(deps, request, route, session.userName, session.deviceID, res, headers);
  if (result === undefined) return;
  services.store.save();
  if (services.settings.latencyMs > 0) await sleep(services.settings.latencyMs);
  if (result.dropAfterCommit) {
    res.socket?.destroy();
    return;
  }
  sendJson(res, result.status, result.body, headers);
}

/** Runs the operation; undefined when a fault already answered. */
function run(
  deps: ServerDeps,
  request: ApiRequest,
  route: Route,
  userName: string,
  deviceID: string,
  res: ServerResponse,
  headers: Record<string, string>,
): (HandlerResult & { dropAfterCommit: boolean }) | undefined {
  const { services, auth } = deps;
  const { target } = request;
  let parsedBody: unknown = {};
  try {
    if (request.tooLarge) throw overLimitError(services, `Request body is larger than ${MAX_BODY_BYTES} bytes`);
    if (route.method === 'POST' && request.body.trim() !== '') {
      try {
        parsedBody = JSON.parse(request.body);
      } catch {
        throw ckError('BAD_REQUEST', 'Unexpected input: the body is not JSON');
      }
    }
  } catch (error) {
    if (!(error instanceof CloudKitError)) throw error;
    return { status: error.status, body: error.toBody(), dropAfterCommit: false };
  }
  const postAuth = deps.faults.take(target.operation, 'post-auth');
  let dropAfterCommit = false;
  if (postAuth !== undefined) {
    if (sendFault(deps, res, postAuth, headers, target) === undefined) return undefined;
    dropAfterCommit = true;
  }
  const userRecordName = auth.userRecordName(target.container, userName);
  const ctx: OpContext = {
    services,
    ns: services.store.namespace(target.container, target.environment, target.database, userRecordName),
    container: target.container,
    environment: target.environment,
    database: target.database,
    userName,
    userRecordName,
    deviceID,
    body: parsedBody,
    baseUrl: deps.baseUrl(),
  };
  try {
    return { ...route.handle(ctx), dropAfterCommit };
  } catch (error) {
    if (!(error instanceof CloudKitError)) throw error;
    return { status: error.status, body: error.toBody(), dropAfterCommit };
  }
}
