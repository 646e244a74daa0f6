/**
 * The admin surface: in-process {@link CloudKitAdmin} and the same operations as JSON over HTTP
 * under /_admin/ (for tests that run the app in another process). See README.md for the endpoints.
 */
import { z } from 'zod';
import { type Auth, WebAccessOffError } from './auth';
import type { Services } from './context';
import type { Courier } from './courier';
import type { FaultInjector } from './faults';
import { parseCkdb, SchemaLanguageError } from './schema-language';
import { formatSubscription } from './subscriptions';
import { namespaceKey, type Namespace } from './store';
import { DEFAULT_ZONE, findZone, removeZone } from './zones';
import type {
  AdminScope,
  CloudKitAdmin,
  DatabaseScope,
  Environment,
  RecordedRequest,
  RecordSnapshot,
  TokenMode,
  ZoneSnapshot,
} from './types';

/** What the admin needs from the running emulator. */
export interface AdminDeps {
  services: Services;
  auth: Auth;
  courier: Courier;
  faults: FaultInjector;
  requests: RecordedRequest[];
  /** Puts settings changed through the admin (latency, token mode, …) back to the options. */
  restoreSettings: () => void;
}

/** Builds the in-process admin object. */
export function createAdmin(deps: AdminDeps): CloudKitAdmin {
  const { services, auth, courier, faults, requests, restoreSettings } = deps;
  const { store, settings } = services;

  const coordinates = (userName: string, scope: AdminScope | undefined) => {
    const container = scope?.containerId ?? settings.containerId;
    const environment: Environment = scope?.environment ?? 'development';
    const database: DatabaseScope = scope?.database ?? 'private';
    return { container, environment, database, userRecordName: auth.userRecordName(container, userName) };
  };
  const existingNamespace = (userName: string, scope: AdminScope | undefined): Namespace | undefined => {
    const at = coordinates(userName, scope);
    return store.state.namespaces.get(namespaceKey(at.container, at.environment, at.database, at.userRecordName));
  };
  const changed = <T>(result: T): T => {
    store.save();
    return result;
  };

  return {
    injectFault: (spec) => faults.add(spec),
    removeFault: (id) => faults.remove(id),
    clearFaults: () => faults.clear(),
    setLatency: (ms) => {
      settings.latencyMs = Math.max(0, ms);
    },
    setTokenMode: (mode: TokenMode) => {
      settings.tokenMode = mode;
    },
    setIndexLag: (ms) => {
      settings.indexLagMs = Math.max(0, ms);
    },
    setSignInCallback: (url) => {
      settings.signInCallbackUrl = url;
    },
    purgeZone: (userName, zoneName, scope) => {
      const at = coordinates(userName, scope);
      const ns = store.namespace(at.container, at.environment, at.database, at.userRecordName);
      if (zoneName === DEFAULT_ZONE || findZone(ns, zoneName) === undefined) {
        throw new Error(`Cannot purge zone '${zoneName}' of ${userName}: it does not exist.`);
      }
      removeZone(ns, zoneName, true);
      changed(undefined);
    },
    expireSyncTokens: () => {
      store.state.syncTokenGeneration += 1;
      changed(undefined);
    },
    installSchema: (schema, environment) => {
      const recordTypes = typeof schema === 'string' ? parseCkdb(schema) : structuredClone(schema);
      if (environment === undefined || environment === 'development') settings.schemas.development = recordTypes;
      if (environment === undefined || environment === 'production') settings.schemas.production = recordTypes;
    },
    setDeletedZonesInFeed: (reported) => {
      settings.deletedZonesInFeed = reported;
    },
    setExpiredSyncTokenError: (spec) => {
      settings.expiredSyncTokenError = { ...spec };
    },
    expireWebAuthTokens: (userName) => changed(auth.expireSessions(userName)),
    switchAccount: (fromUser, toUser) => changed(auth.switchAccount(fromUser, toUser)),
    setWebAccess: (enabled, userName) => changed(auth.setWebAccess(enabled, userName)),
    userRecordName: (userName, containerId) => auth.userRecordName(containerId ?? settings.containerId, userName),
    records: (userName, zoneName, scope): RecordSnapshot[] => {
      const ns = existingNamespace(userName, scope);
      const zone = ns === undefined ? undefined : findZone(ns, zoneName);
      return [...(zone?.records.values() ?? [])].map((record) => ({
        recordName: record.recordName,
        recordType: record.recordType,
        recordChangeTag: record.recordChangeTag,
        fields: structuredClone(record.fields),
        createdTimestamp: record.created.timestamp,
        modifiedTimestamp: record.modified.timestamp,
      }));
    },
    zones: (userName, scope): ZoneSnapshot[] => {
      const ns = existingNamespace(userName, scope);
      return [...(ns?.zones.values() ?? [])].map((zone) => ({
        zoneName: zone.zoneName,
        deleted: zone.deleted,
        purged: zone.purged,
        recordCount: zone.records.size,
      }));
    },
    subscriptions: (userName, scope) => {
      const ns = existingNamespace(userName, scope);
      return ns === undefined ? [] : [...ns.subscriptions.values()].map((sub) => formatSubscription(ns, sub));
    },
    pendingNotifications: (userName, scope) => {
      const at = coordinates(userName, scope);
      return structuredClone(courier.pending(at.container, at.environment, at.userRecordName));
    },
    clearRequests: () => {
      requests.length = 0;
    },
    reset: () => {
      faults.clear();
      courier.clear();
      requests.length = 0;
      restoreSettings();
      store.reset();
    },
  };
}

const ScopeSchema = z.object({
  environment: z.enum(['development', 'production']).optional(),
  database: z.enum(['public', 'private', 'shared']).optional(),
  containerId: z.string().optional(),
});
const FaultSpecSchema = z.object({
  operation: z.string().optional(),
  kind: z.enum([
    'throttled',
    'try-again-later',
    'server-error',
    'service-unavailable-html',
    'drop-connection',
    'drop-after-commit',
    'quota-exceeded',
    'auth-failed',
    'auth-required',
    'zone-not-found',
    'bad-request',
  ]),
  times: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).optional(),
  retryAfterSeconds: z.number().min(0).optional(),
});
const SignInSchema = z.object({
  userName: z.string().min(1).default('alice'),
  environment: z.enum(['development', 'production']).default('development'),
  keepSignedIn: z.boolean().default(false),
});
const UserSchema = ScopeSchema.extend({ userName: z.string().min(1) });

/** What an admin HTTP request answers. */
export interface AdminResponse {
  status: number;
  body: unknown;
}

/** Everything the HTTP admin router needs beyond the admin object. */
export interface AdminHttpDeps {
  admin: CloudKitAdmin;
  auth: Auth;
  settings: Services['settings'];
  info: () => Record<string, unknown>;
  requests: ReadonlyArray<RecordedRequest>;
}

/** Strips empty-string query values so optional scope keys stay optional. */
function queryObject(query: URLSearchParams): Record<string, string> {
  return Object.fromEntries([...query.entries()].filter(([, value]) => value !== ''));
}

/**
 * Routes one /_admin/ request. Bodies and queries are zod-parsed; a bad one answers 400 with the
 * issues, an admin operation that throws answers 409 with its message.
 */
export function handleAdminHttp(deps: AdminHttpDeps, method: string, path: string, query: URLSearchParams, body: unknown): AdminResponse {
  const { admin } = deps;
  const route = `${method} ${path.replace(/^\/_admin/, '')}`;
  const parse = <T>(schema: z.ZodType<T>, input: unknown): T => {
    const result = schema.safeParse(input);
    if (!result.success)
      throw new AdminInputError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
    return result.data;
  };
  const ok = (result: unknown = { ok: true }): AdminResponse => ({ status: 200, body: result });
  try {
    switch (route) {
      case 'GET /info':
        return ok(deps.info());
      case 'POST /sign-in': {
        const input = parse(SignInSchema, body);
        const token = deps.auth.signIn(deps.settings.containerId, input.environment, input.userName, input.keepSignedIn);
        return ok({ ckWebAuthToken: token, userRecordName: admin.userRecordName(input.userName) });
      }
      case 'POST /faults':
        return ok({ id: admin.injectFault(parse(FaultSpecSchema, body)) });
      case 'DELETE /faults':
        admin.clearFaults();
        return ok();
      case 'POST /latency':
        admin.setLatency(parse(z.object({ ms: z.number().min(0) }), body).ms);
        return ok();
      case 'POST /token-mode':
        admin.setTokenMode(parse(z.object({ mode: z.enum(['lenient', 'strict']) }), body).mode);
        return ok();
      case 'POST /index-lag':
        admin.setIndexLag(parse(z.object({ ms: z.number().min(0) }), body).ms);
        return ok();
      case 'POST /sign-in-callback':
        admin.setSignInCallback(parse(z.object({ url: z.url().nullable() }), body).url);
        return ok();
      case 'POST /purge-zone': {
        const input = parse(UserSchema.extend({ zoneName: z.string().min(1) }), body);
        admin.purgeZone(input.userName, input.zoneName, scopeOf(input));
        return ok();
      }
      case 'POST /expire-sync-tokens':
        admin.expireSyncTokens();
        return ok();
      case 'POST /schema': {
        const input = parse(z.object({ ckdb: z.string().min(1), environment: z.enum(['development', 'production']).optional() }), body);
        admin.installSchema(input.ckdb, input.environment);
        return ok();
      }
      case 'POST /deleted-zones-in-feed':
        admin.setDeletedZonesInFeed(parse(z.object({ reported: z.boolean() }), body).reported);
        return ok();
      case 'POST /expired-sync-token-error':
        admin.setExpiredSyncTokenError(
          parse(z.object({ status: z.number().int().min(400).max(599), serverErrorCode: z.string().min(1) }), body),
        );
        return ok();
      case 'POST /expire-web-auth-tokens':
        admin.expireWebAuthTokens(parse(z.object({ userName: z.string().min(1).optional() }), body ?? {}).userName);
        return ok();
      case 'POST /switch-account': {
        const input = parse(z.object({ fromUser: z.string().min(1), toUser: z.string().min(1) }), body);
        admin.switchAccount(input.fromUser, input.toUser);
        return ok();
      }
      case 'POST /web-access': {
        const input = parse(z.object({ enabled: z.boolean(), userName: z.string().min(1).optional() }), body);
        admin.setWebAccess(input.enabled, input.userName);
        return ok();
      }
      case 'GET /records': {
        const input = parse(UserSchema.extend({ zoneName: z.string().min(1) }), queryObject(query));
        return ok({ records: admin.records(input.userName, input.zoneName, scopeOf(input)) });
      }
      case 'GET /zones': {
        const input = parse(UserSchema, queryObject(query));
        return ok({ zones: admin.zones(input.userName, scopeOf(input)) });
      }
      case 'GET /subscriptions': {
        const input = parse(UserSchema, queryObject(query));
        return ok({ subscriptions: admin.subscriptions(input.userName, scopeOf(input)) });
      }
      case 'GET /notifications': {
        const input = parse(UserSchema, queryObject(query));
        return ok({ notifications: admin.pendingNotifications(input.userName, scopeOf(input)) });
      }
      case 'GET /requests':
        return ok({ requests: deps.requests });
      case 'DELETE /requests':
        admin.clearRequests();
        return ok();
      case 'POST /reset':
        admin.reset();
        return ok();
      default:
        if (method === 'DELETE' && path.startsWith('/_admin/faults/')) {
          admin.removeFault(decodeURIComponent(path.slice('/_admin/faults/'.length)));
          return ok();
        }
        return { status: 404, body: { error: `No admin endpoint ${route}` } };
    }
  } catch (error) {
    if (error instanceof AdminInputError || error instanceof SchemaLanguageError) return { status: 400, body: { error: error.message } };
    if (error instanceof WebAccessOffError) return { status: 403, body: { error: error.message } };
    if (error instanceof Error) return { status: 409, body: { error: error.message } };
    throw error;
  }
}

class AdminInputError extends Error {}

function scopeOf(input: z.infer<typeof ScopeSchema>): AdminScope {
  const scope: AdminScope = {};
  if (input.environment !== undefined) scope.environment = input.environment;
  if (input.database !== undefined) scope.database = input.database;
  if (input.containerId !== undefined) scope.containerId = input.containerId;
  return scope;
}
