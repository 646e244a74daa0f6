/**
 * All emulator state, its zod schema, and optional JSON persistence.
 *
 * State is namespaced by {container, environment, database, user} (docs/cloudkit.md §9.6): two users, or the two
 * environments, never see each other's zones. The types are derived from the zod schemas so the
 * persisted file is parsed (never cast) when it is loaded back.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { FIRES_ON, FilterSchema } from './schemas';

const StampSchema = z.object({ timestamp: z.number(), userRecordName: z.string(), deviceID: z.string() });

/** A field as stored: always typed, even when the client left `type` out. */
export const StoredFieldSchema = z.object({ value: z.unknown(), type: z.string() });
export type StoredField = z.infer<typeof StoredFieldSchema>;

export const StoredRecordSchema = z.object({
  recordName: z.string(),
  recordType: z.string(),
  fields: z.record(z.string(), StoredFieldSchema),
  recordChangeTag: z.string(),
  created: StampSchema,
  modified: StampSchema,
});
export type StoredRecord = z.infer<typeof StoredRecordSchema>;

/**
 * One entry of a zone's change log: the record as it was right after the change, or null for a
 * deletion. The log serves the change feeds (coalesced or not) and the lagging query index.
 */
const ChangeEntrySchema = z.object({
  seq: z.number().int(),
  atMs: z.number(),
  recordName: z.string(),
  recordType: z.string(),
  record: StoredRecordSchema.nullable(),
});
export type ChangeEntry = z.infer<typeof ChangeEntrySchema>;

const ZoneStateSchema = z.object({
  zoneName: z.string(),
  /** Random per incarnation: a re-created zone has a new token history (docs/cloudkit.md §9.4). */
  epoch: z.string(),
  /** Sequence number of the latest change in this zone (0 = none). */
  seq: z.number().int(),
  /** Database-feed position of this zone's latest change (creation, write, deletion). */
  dbSeq: z.number().int(),
  records: z.map(z.string(), StoredRecordSchema),
  log: z.array(ChangeEntrySchema),
  deleted: z.boolean(),
  purged: z.boolean(),
});
export type ZoneState = z.infer<typeof ZoneStateSchema>;

export const StoredSubscriptionSchema = z.object({
  subscriptionID: z.string(),
  subscriptionType: z.enum(['zone', 'query']),
  zoneName: z.string().nullable(),
  query: z.object({ recordType: z.string(), filterBy: z.array(FilterSchema) }).nullable(),
  firesOn: z.array(z.enum(FIRES_ON)),
  firesOnce: z.boolean(),
  zoneWide: z.boolean(),
  notificationInfo: z.record(z.string(), z.unknown()).nullable(),
});
export type StoredSubscription = z.infer<typeof StoredSubscriptionSchema>;

const NamespaceSchema = z.object({
  container: z.string(),
  environment: z.enum(['development', 'production']),
  database: z.enum(['public', 'private', 'shared']),
  userRecordName: z.string(),
  epoch: z.string(),
  dbSeq: z.number().int(),
  zones: z.map(z.string(), ZoneStateSchema),
  subscriptions: z.map(z.string(), StoredSubscriptionSchema),
});
export type Namespace = z.infer<typeof NamespaceSchema>;

/** A signed-in browser session; its tokens rotate, its user may be switched by the admin. */
const SessionSchema = z.object({
  sessionId: z.string(),
  userName: z.string(),
  container: z.string(),
  environment: z.enum(['development', 'production']),
  deviceID: z.string(),
  ttlMs: z.number(),
  expiresAtMs: z.number(),
  /** The one token strict mode accepts. */
  currentToken: z.string(),
});
export type Session = z.infer<typeof SessionSchema>;

const CourierTokenSchema = z.object({
  apnsToken: z.string(),
  container: z.string(),
  environment: z.enum(['development', 'production']),
  userRecordName: z.string(),
  expiresAtMs: z.number(),
});
export type CourierToken = z.infer<typeof CourierTokenSchema>;

const StateSchema = z.object({
  version: z.literal(1),
  /** Key that seals sync tokens and markers; persisted so tokens survive a restart. */
  keyHex: z.string().regex(/^[0-9a-f]{64}$/),
  /** Bumped by expireSyncTokens(): older tokens are rejected. */
  syncTokenGeneration: z.number().int(),
  namespaces: z.map(z.string(), NamespaceSchema),
  sessions: z.map(z.string(), SessionSchema),
  /** Every token ever issued → its session (lenient mode accepts any of them). */
  webTokens: z.map(z.string(), z.string()),
  courierTokens: z.map(z.string(), CourierTokenSchema),
  webAccessOffUsers: z.array(z.string()),
  webAccessOffForAll: z.boolean(),
});
export type State = z.infer<typeof StateSchema>;

function freshState(): State {
  return {
    version: 1,
    keyHex: randomBytes(32).toString('hex'),
    syncTokenGeneration: 1,
    namespaces: new Map(),
    sessions: new Map(),
    webTokens: new Map(),
    courierTokens: new Map(),
    webAccessOffUsers: [],
    webAccessOffForAll: false,
  };
}

/** A short random id (hex), used for epochs, session ids and device ids. */
export function randomId(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** The key that identifies one namespace. */
export function namespaceKey(container: string, environment: string, database: string, userRecordName: string): string {
  return `${container}|${environment}|${database}|${userRecordName}`;
}

/** A fresh zone incarnation (new epoch, empty log). */
export function newZone(zoneName: string, dbSeq: number): ZoneState {
  return { zoneName, epoch: randomId(), seq: 0, dbSeq, records: new Map(), log: [], deleted: false, purged: false };
}

// JSON has no Map; the replacer/reviver pair marks them so the zod schema can check them on load.
const MAP_MARKER = '$map';
function replacer(_key: string, value: unknown): unknown {
  return value instanceof Map ? { [MAP_MARKER]: [...value.entries()] } : value;
}
function reviver(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && MAP_MARKER in value) {
    const entries = (value as Record<string, unknown>)[MAP_MARKER];
    if (Array.isArray(entries)) return new Map(entries as Array<[unknown, unknown]>);
  }
  return value;
}

/**
 * Holds the state; loads it from and saves it to `persistPath` when one is given.
 *
 * Saving writes a temp file and renames it, so a crash mid-write never leaves a torn file.
 */
export class Store {
  #state: State;
  readonly #persistPath: string | undefined;

  constructor(persistPath?: string) {
    this.#persistPath = persistPath;
    this.#state = persistPath !== undefined && existsSync(persistPath) ? Store.#load(persistPath) : freshState();
  }

  static #load(path: string): State {
    const parsed = StateSchema.safeParse(JSON.parse(readFileSync(path, 'utf8'), reviver));
    if (!parsed.success) {
      throw new Error(
        `The CloudKit emulator state file ${path} is not valid (${parsed.error.issues[0]?.message ?? 'unknown'}); delete it to start fresh.`,
      );
    }
    return parsed.data;
  }

  get state(): State {
    return this.#state;
  }

  /** The namespace for these coordinates, created empty on first use. */
  namespace(container: string, environment: Namespace['environment'], database: Namespace['database'], userRecordName: string): Namespace {
    const key = namespaceKey(container, environment, database, userRecordName);
    let ns = this.#state.namespaces.get(key);
    if (ns === undefined) {
      ns = { container, environment, database, userRecordName, epoch: randomId(), dbSeq: 0, zones: new Map(), subscriptions: new Map() };
      this.#state.namespaces.set(key, ns);
    }
    return ns;
  }

  save(): void {
    if (this.#persistPath === undefined) return;
    const tmp = `${this.#persistPath}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.#state, replacer));
    renameSync(tmp, this.#persistPath);
  }

  /** Forgets everything, including the sealing key (so every old token becomes invalid). */
  reset(): void {
    this.#state = freshState();
    this.save();
  }
}
