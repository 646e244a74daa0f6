/**
 * Plain-fetch helpers for the emulator's conformance tests. Deliberately not our CloudKit client:
 * the emulator is checked against the spec, not against the code it will test.
 */
import type { CloudKitEmulator, CloudKitEmulatorOptions, DatabaseScope, Environment, TokenMode } from '../index';
import { startCloudKitEmulator } from '../index';
import { photoflareSchema } from '../photoflare-schema';

/** Both token modes; suites that touch auth run once per mode. */
export const TOKEN_MODES: ReadonlyArray<TokenMode> = ['lenient', 'strict'];

/** A decoded response. */
export interface CkResponse {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

/** Walks into parsed JSON: `at(body, 'records', 0, 'recordName')`; undefined when absent. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Reflect.get(current, key);
  }
  return current;
}

/** Like {@link at} but the value must be a string. */
export function str(value: unknown, ...path: Array<string | number>): string {
  const found = at(value, ...path);
  if (typeof found !== 'string') throw new Error(`Expected a string at ${path.join('.')}, got ${JSON.stringify(found)}`);
  return found;
}

/** Like {@link at} but the value must be an array. */
export function list(value: unknown, ...path: Array<string | number>): unknown[] {
  const found = at(value, ...path);
  if (!Array.isArray(found)) throw new Error(`Expected an array at ${path.join('.')}, got ${JSON.stringify(found)}`);
  return found;
}

interface CallOptions {
  method?: 'GET' | 'POST';
  database?: DatabaseScope;
  environment?: Environment;
  /** Override the web auth token (null: send none). */
  token?: string | null;
  apiToken?: string;
  contentType?: string;
  rawBody?: string;
  extraQuery?: Record<string, string>;
  /** Use the /device/ path (tokens/*). */
  device?: boolean;
}

const GET_OPERATIONS = new Set(['zones/list', 'subscriptions/list', 'users/caller', 'users/current']);

/**
 * A signed-in test user that always adopts the newest token from every response (including errors),
 * which is what a client must do to survive strict mode.
 */
export class TestUser {
  readonly emulator: CloudKitEmulator;
  readonly userName: string;
  readonly environment: Environment;
  token: string;

  constructor(emulator: CloudKitEmulator, userName = 'alice', environment: Environment = 'development') {
    this.emulator = emulator;
    this.userName = userName;
    this.environment = environment;
    this.token = emulator.signIn(userName, { environment });
  }

  url(operation: string, options: CallOptions = {}): string {
    const environment = options.environment ?? this.environment;
    const base =
      options.device === true
        ? `${this.emulator.url}/device/1/${this.emulator.containerId}/${environment}/${operation}`
        : `${this.emulator.url}/database/1/${this.emulator.containerId}/${environment}/${options.database ?? 'private'}/${operation}`;
    const query = new URLSearchParams({
      ckAPIToken: options.apiToken ?? (environment === 'development' ? this.emulator.apiToken : this.emulator.productionApiToken),
      ...options.extraQuery,
    });
    const token = options.token === undefined ? this.token : options.token;
    if (token !== null) query.set('ckWebAuthToken', token);
    return `${base}?${query.toString()}`;
  }

  async call(operation: string, body?: unknown, options: CallOptions = {}): Promise<CkResponse> {
    const method = options.method ?? (GET_OPERATIONS.has(operation) ? 'GET' : 'POST');
    const init: RequestInit = { method };
    if (method === 'POST') {
      init.body = options.rawBody ?? JSON.stringify(body ?? {});
      init.headers = { 'content-type': options.contentType ?? 'text/plain' };
    }
    const response = await fetch(this.url(operation, options), init);
    const rotated = response.headers.get('x-apple-cloudkit-web-auth-token');
    if (rotated !== null) this.token = rotated;
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, text, headers: response.headers };
  }

  /** Creates a custom zone (asserting success). */
  async createZone(zoneName: string): Promise<void> {
    const res = await this.call('zones/modify', { operations: [{ operationType: 'create', zone: { zoneID: { zoneName } } }] });
    if (res.status !== 200 || at(res.body, 'zones', 0, 'serverErrorCode') !== undefined) {
      throw new Error(`zone create failed: ${res.text}`);
    }
  }

  /** Saves events with the given names in a zone (non-atomic create). */
  async createEvents(zoneName: string, names: ReadonlyArray<string>): Promise<CkResponse> {
    return this.call('records/modify', {
      zoneID: { zoneName },
      atomic: false,
      operations: names.map((recordName) => eventOp('create', recordName)),
    });
  }
}

/** A records/modify operation for the default PhotoflareEvent type. */
export function eventOp(
  operationType: string,
  recordName: string,
  extra: { recordChangeTag?: string; event?: string; entities?: string[]; omitType?: boolean } = {},
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (extra.event !== undefined || extra.entities === undefined)
    fields['event'] = { value: extra.event ?? 'photos.updated', type: 'STRING' };
  if (extra.entities !== undefined) fields['entities'] = { value: extra.entities, type: 'STRING_LIST' };
  const record: Record<string, unknown> = { recordName, fields };
  if (extra.omitType !== true) record['recordType'] = 'PhotoflareEvent';
  if (extra.recordChangeTag !== undefined) record['recordChangeTag'] = extra.recordChangeTag;
  return { operationType, record };
}

/**
 * Starts an emulator for a test and returns it with a `close` for afterEach. Photoflare's schema
 * is installed unless the test gives its own `recordTypes` (the emulator alone starts empty).
 */
export async function start(options: CloudKitEmulatorOptions = {}): Promise<CloudKitEmulator> {
  return startCloudKitEmulator({ recordTypes: photoflareSchema(), ...options });
}

/** A controllable clock for TTL and index-lag tests. */
export class FakeClock {
  nowMs = 1_760_000_000_000;
  readonly now = (): number => this.nowMs;
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** POSTs JSON to an admin endpoint. */
export async function adminPost(emulator: CloudKitEmulator, path: string, body: unknown = {}): Promise<CkResponse> {
  const response = await fetch(`${emulator.url}/_admin/${path}`, { method: 'POST', body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), text, headers: response.headers };
}

/** GETs an admin endpoint. */
export async function adminGet(emulator: CloudKitEmulator, pathAndQuery: string): Promise<CkResponse> {
  const response = await fetch(`${emulator.url}/_admin/${pathAndQuery}`);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), text, headers: response.headers };
}
