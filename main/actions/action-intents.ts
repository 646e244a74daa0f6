import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import type { EventName, LocalAction } from '../../shared/events/schema';
import { AlbumUid, PhotoUid } from '../../shared/ids';
import type { WritableDb } from '../db/database';
import type { LibraryRepo } from '../library/library-repo';
import type { Logger } from '../log/logger';
import { OperationJson, type Operation } from './operations';

/**
 * [Note: Action intents]
 * An action's event is appended in the same transaction as its cache update, AFTER PhotoPrism
 * answered. Two gaps remain where the server changed and we never learn it: the answer is lost
 * (timeout, a dropped connection: PhotoPrism saves before it answers), or the app dies between
 * the answer and the commit. Then no event is recorded and no other device refreshes.
 *
 * So before the first request an action writes its intent here (the same SQLite file and
 * durability as the event outbox). A clear outcome (committed, or refused before anything was
 * sent) deletes it; an unclear one keeps it, narrowed to the items whose answer was lost. Kept
 * intents are resolved when the connection is online — right after the loss, and on every start:
 * their UIDs are refreshed from the server (LibraryService.refreshByUid) and, in one
 * transaction, the events the server's state shows are appended and the intent deleted. An
 * event only means "refresh these UIDs", so one too many (the server had not changed after all,
 * or the app died after the commit but before the delete) costs a refresh and nothing else.
 */

/** What an action meant to do, in terms the server's state can be checked against. */
export const Intent = z
  .object({
    type: z.enum([
      'favorite',
      'private',
      'title',
      'approve',
      'archive',
      'add',
      'remove',
      'create-album',
      'rename-album',
      'delete-album',
      'edit',
      /** Choosing a stack's primary version or unstacking one (main/actions/executors/stack-file.ts). */
      'stack',
    ]),
    value: z.boolean().optional(),
    photos: z.array(PhotoUid),
    albums: z.array(AlbumUid),
    /** Album title: membership detail, the title created or renamed to, the album deleted. */
    title: z.string().max(1000).optional(),
  })
  .strict();
export type Intent = z.infer<typeof Intent>;

export interface StoredIntent {
  readonly id: number;
  readonly intent: Intent;
}

/** A row of the offline queue: an action accepted while the server could not be reached. */
export interface QueuedAction {
  readonly id: number;
  readonly op: Operation;
  readonly intent: Intent;
  readonly summary: string;
  readonly createdAt: number;
}

/** An action the server refused when the queue sent it, kept until the person dismisses it. */
export interface RefusedAction {
  readonly id: number;
  readonly summary: string;
  readonly reason: string;
  readonly createdAt: number;
}

/** The intent of an operation; `albumTitle` is the cached title of the album it names, if any. */
export function intentOf(op: Operation, albumTitle: string | undefined): Intent {
  const title = albumTitle !== undefined ? { title: albumTitle } : {};
  switch (op.type) {
    case 'favorite':
    case 'private':
      return { type: op.type, value: op.value, photos: [...op.uids], albums: [] };
    case 'title':
      return { type: 'title', photos: op.titles.map((t) => t.uid), albums: [] };
    case 'edit':
      return { type: 'edit', photos: op.edits.map((e) => e.uid), albums: [] };
    case 'approve':
      return { type: 'approve', photos: [...op.uids], albums: [] };
    case 'archive':
      return { type: 'archive', value: op.value, photos: [...op.uids], albums: [...(op.memberships?.keys() ?? [])] };
    case 'add':
    case 'remove':
      return { type: op.type, photos: [...op.uids], albums: [op.albumUid], ...title };
    case 'create-album':
      // `replaces`: the album's local UID while it waits offline (the refresh must leave it be).
      return { type: 'create-album', photos: [...op.uids], albums: op.replaces !== undefined ? [op.replaces] : [], title: op.title.trim() };
    case 'rename-album':
      return { type: 'rename-album', photos: [], albums: [op.albumUid], title: op.title.trim() };
    case 'delete-album':
      return { type: 'delete-album', photos: [], albums: [op.albumUid], ...title };
    case 'primary':
    case 'unstack':
      return { type: 'stack', photos: [op.uid], albums: [] };
  }
}

/** One event the server's state shows an intent did. */
export interface ResolvedAppend {
  readonly name: EventName;
  readonly uids: readonly string[];
  readonly action?: LocalAction;
  readonly detail?: string;
}

/**
 * The events an intent turned out to have caused, read from the cache right after its UIDs were
 * refreshed from the server (so the cache IS the server's state). Only items now in the state
 * the action asked for are named; `changed` (photos whose rows the refresh rewrote) keeps flag
 * intents from naming photos that were already that way.
 */
export function resolvedAppends(intent: Intent, repo: LibraryRepo, changed: ReadonlySet<string>): ResolvedAppend[] {
  const photos = repo.photosByUid(intent.photos);
  const moved = intent.photos.filter((uid) => changed.has(uid) && photos.has(uid));
  const detail = intent.title !== undefined ? { detail: intent.title } : {};
  switch (intent.type) {
    case 'favorite':
    case 'private': {
      const flag = intent.type;
      const uids = moved.filter((uid) => photos.get(uid)?.[flag] === intent.value);
      const action: LocalAction =
        flag === 'favorite' ? (intent.value ? 'favourite' : 'unfavourite') : intent.value ? 'make-private' : 'make-public';
      return [{ name: 'photos.updated', uids, action }];
    }
    // 'stack': the stack's row changed (new primary, one version fewer). An unstacked file's new
    // photo is not named: its UID never reached us; the next refresh lists it as a new photo.
    case 'title':
    case 'edit':
    case 'stack':
      return [{ name: 'photos.updated', uids: moved }];
    case 'approve':
      // Approved means out of Review: PhotoPrism sets the quality to at least 3 (Photo.Approve).
      return [{ name: 'photos.updated', uids: moved.filter((uid) => (photos.get(uid)?.quality ?? 0) >= 3), action: 'approve' }];
    case 'archive': {
      const uids = moved.filter((uid) => photos.get(uid)?.archived === intent.value);
      return intent.value
        ? [{ name: 'photos.archived', uids, action: 'archive' }]
        : [
            { name: 'photos.restored', uids, action: 'restore' },
            { name: 'albums.updated', uids: uids.length > 0 ? intent.albums : [] },
          ];
    }
    case 'add':
    case 'remove': {
      const albumUid = intent.albums[0] ?? '';
      const members = repo.albumMembers(albumUid);
      const uids = intent.photos.filter((uid) => members.has(uid) === (intent.type === 'add'));
      return [
        { name: 'photos.updated', uids, action: intent.type === 'add' ? 'add-to-album' : 'remove-from-album', ...detail },
        { name: 'albums.updated', uids: uids.length > 0 ? [albumUid] : [] },
      ];
    }
    case 'create-album': {
      const album = repo.albums().find((a) => a.title === intent.title);
      return album ? [{ name: 'albums.created', uids: [album.uid], action: 'create-album', ...detail }] : [];
    }
    case 'rename-album': {
      const albumUid = intent.albums[0] ?? '';
      return repo.albumByUid(albumUid)?.title === intent.title
        ? [{ name: 'albums.updated', uids: [albumUid], action: 'rename-album', ...detail }]
        : [];
    }
    case 'delete-album': {
      const albumUid = intent.albums[0] ?? '';
      return repo.albumByUid(albumUid) === undefined
        ? [{ name: 'albums.deleted', uids: [albumUid], action: 'delete-album', ...detail }]
        : [];
    }
  }
}

/**
 * The action ledger (migrations 0130, 0140): the intents of changes sent whose answer is unclear
 * (state 'sent'), the offline queue (state 'queued', see [Note: The offline queue]) and the
 * actions the server refused when the queue sent them ('conflict'). ONE table, ordered by id,
 * so the queue and the journal can never disagree about what is pending. Every write is its own
 * transaction, or the caller's.
 */
export class ActionIntents {
  readonly #db: WritableDb;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #insert: Statement;
  readonly #update: Statement;
  readonly #delete: Statement;
  readonly #enqueue: Statement;
  readonly #requeue: Statement;
  readonly #refuse: Statement;
  readonly #deleteQueued: Statement;

  constructor(options: { db: WritableDb; log: Logger; now?: () => number }) {
    this.#db = options.db;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.#insert = this.#db.prepare(`INSERT INTO action_intents (intent, created_at) VALUES (?, ?)`);
    this.#enqueue = this.#db.prepare(`INSERT INTO action_intents (intent, created_at, state, op, summary) VALUES (?, ?, 'queued', ?, ?)`);
    this.#requeue = this.#db.prepare(`UPDATE action_intents SET intent = ?, op = ?, summary = ? WHERE id = ? AND state = 'queued'`);
    this.#refuse = this.#db.prepare(`UPDATE action_intents SET state = 'conflict', op = NULL, reason = ? WHERE id = ?`);
    this.#deleteQueued = this.#db.prepare(`DELETE FROM action_intents WHERE id = ? AND state = 'queued'`);
    this.#update = this.#db.prepare(`UPDATE action_intents SET intent = ? WHERE id = ?`);
    this.#delete = this.#db.prepare(`DELETE FROM action_intents WHERE id = ?`);
  }

  record(intent: Intent): number {
    return Number(this.#insert.run(JSON.stringify(Intent.parse(intent)), this.#now()).lastInsertRowid);
  }

  /** Keep the intent, but only for what is still unclear. */
  narrow(id: number, intent: Intent): void {
    this.#update.run(JSON.stringify(Intent.parse(intent)), id);
  }

  delete(id: number): void {
    this.#delete.run(id);
  }

  /** How many sent changes wait to be checked (their answer was lost). */
  count(): number {
    return (this.#db.prepare(`SELECT count(*) AS n FROM action_intents WHERE state = 'sent'`).get() as { n: number }).n;
  }

  /** Every kept intent of a sent change, oldest first. A row that no longer parses is logged and dropped. */
  all(): StoredIntent[] {
    const rows = this.#db.prepare(`SELECT id, intent FROM action_intents WHERE state = 'sent' ORDER BY id`).all() as Array<{
      id: number;
      intent: string;
    }>;
    const out: StoredIntent[] = [];
    for (const row of rows) {
      const parsed = Intent.safeParse(safeJson(row.intent));
      if (parsed.success) out.push({ id: row.id, intent: parsed.data });
      else {
        this.#log.warn('dropped an unreadable action intent', { id: row.id });
        this.#delete.run(row.id);
      }
    }
    return out;
  }

  // --- the offline queue ------------------------------------------------------------------

  /** Queue an action (behind every other queued one); its id orders it. */
  enqueue(op: Operation, intent: Intent, summary: string): number {
    const json = JSON.stringify(OperationJson.encode(op));
    return Number(this.#enqueue.run(JSON.stringify(Intent.parse(intent)), this.#now(), json, summary).lastInsertRowid);
  }

  /** Keep a queued action in its place, but only for what is still to be sent. */
  requeue(id: number, op: Operation, intent: Intent, summary: string): void {
    this.#requeue.run(JSON.stringify(Intent.parse(intent)), JSON.stringify(OperationJson.encode(op)), summary, id);
  }

  /** The server refused (part of) a queued action: keep it, with why, for Activity. */
  refuse(id: number, reason: string): void {
    this.#refuse.run(reason, id);
  }

  /** Drop a queued action that was not sent yet (its undo). False if it is no longer queued. */
  cancel(id: number): boolean {
    return this.#deleteQueued.run(id).changes > 0;
  }

  /** The queued actions, in the order they were made. A row that no longer parses is logged and dropped. */
  queued(): QueuedAction[] {
    const rows = this.#db
      .prepare(`SELECT id, intent, op, summary, created_at AS createdAt FROM action_intents WHERE state = 'queued' ORDER BY id`)
      .all() as Array<{ id: number; intent: string; op: string | null; summary: string | null; createdAt: number }>;
    const out: QueuedAction[] = [];
    for (const row of rows) {
      const intent = Intent.safeParse(safeJson(row.intent));
      const op = OperationJson.schema.safeParse(safeJson(row.op ?? ''));
      if (intent.success && op.success) {
        out.push({
          id: row.id,
          op: OperationJson.decode(op.data),
          intent: intent.data,
          summary: row.summary ?? '',
          createdAt: row.createdAt,
        });
      } else {
        this.#log.warn('dropped an unreadable queued action', { id: row.id });
        this.#delete.run(row.id);
      }
    }
    return out;
  }

  queuedCount(): number {
    return (this.#db.prepare(`SELECT count(*) AS n FROM action_intents WHERE state = 'queued'`).get() as { n: number }).n;
  }

  /** Is this action still waiting (not sent, cancelled or refused)? */
  isQueued(id: number): boolean {
    return this.#db.prepare(`SELECT 1 FROM action_intents WHERE id = ? AND state = 'queued'`).get(id) !== undefined;
  }

  /** An album created offline got its real UID: queued actions naming the local one follow it. */
  renameAlbum(from: string, to: string): void {
    for (const row of this.queued()) {
      if (!row.intent.albums.includes(from)) continue;
      const op = renameAlbumIn(row.op, from, to);
      const intent = { ...row.intent, albums: row.intent.albums.map((uid) => (uid === from ? to : uid)) };
      this.requeue(row.id, op, intent, row.summary);
    }
  }

  /** The refused actions, newest first. */
  refused(): RefusedAction[] {
    return this.#db
      .prepare(
        `SELECT id, summary, reason, created_at AS createdAt FROM action_intents WHERE state = 'conflict' ORDER BY id DESC LIMIT ${MAX_KEPT_CONFLICTS}`,
      )
      .all() as RefusedAction[];
  }

  /** The person read a refusal. */
  dismiss(id: number): void {
    this.#db.prepare(`DELETE FROM action_intents WHERE id = ? AND state = 'conflict'`).run(id);
  }

  /** Forget everything (signed in to another library: the rows name the old one). */
  clear(): void {
    this.#db.prepare(`DELETE FROM action_intents`).run();
  }
}

/** Refusals shown at most; older ones stay until dismissed (a bounded list for the view). */
const MAX_KEPT_CONFLICTS = 100;

function renameAlbumIn(op: Operation, from: string, to: string): Operation {
  if ('albumUid' in op) return op.albumUid === from ? { ...op, albumUid: to } : op;
  if (op.type === 'create-album' && op.replaces === from) return { ...op, replaces: to };
  if (op.type === 'archive' && op.memberships?.has(from)) {
    return { ...op, memberships: new Map([...op.memberships].map(([album, photos]) => [album === from ? to : album, photos])) };
  }
  return op;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
