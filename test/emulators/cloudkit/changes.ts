/**
 * Change feeds: changes/zone and legacy records/changes (record changes in a zone), changes/database
 * and legacy zones/changes (which zones changed) — docs/cloudkit.md §3.6, docs/cloudkit.md §3.7, docs/cloudkit.md §9.2, docs/cloudkit.md §9.3.
 *
 * Paging: at most min(resultsLimit, maxChangesPerPage) entries per page; with `moreComing: true` the
 * returned token resumes exactly after the last entry returned. Without more to come, the token is
 * the zone's (or database's) latest position.
 */
import { type HandlerResult, type OpContext, type Services } from './context';
import { ckError, CloudKitError, errorEntry } from './errors';
import { formatRecord, type FormatOptions, zoneIdDictionary } from './fields';
import { resolveResultsLimit } from './records';
import { DatabaseChangesSchema, parseBody, RecordChangesSchema, ZoneChangesLegacySchema, ZoneChangesSchema } from './schemas';
import type { ChangeEntry, Namespace, ZoneState } from './store';
import { databaseToken, openDatabaseToken, openZoneToken, zoneToken } from './sync-tokens';
import { DEFAULT_ZONE, findZone, zoneDictionary, zoneNotFound } from './zones';

const DEFAULT_ZONE_CHANGES = 'cannot get changes in default zone';

function requireChangesDatabase(ctx: OpContext): void {
  // The change endpoints exist for private and shared databases only (docs/cloudkit.md §1.2).
  if (ctx.database === 'public') throw ckError('BAD_REQUEST', 'endpoint not applicable in the database type public');
}

/** One page of a zone's change log after `since`. */
function zoneFeedPage(
  services: Services,
  zone: ZoneState,
  since: number,
  limit: number,
  recordTypes: ReadonlyArray<string> | null | undefined,
): { entries: ChangeEntry[]; nextSeq: number; moreComing: boolean } {
  let candidates = zone.log.filter((entry) => entry.seq > since);
  if (services.settings.changeFeed === 'coalesced') {
    // One entry per record, at its latest state, in the order of that latest change.
    const latest = new Map<string, number>();
    for (const entry of candidates) latest.set(entry.recordName, entry.seq);
    candidates = candidates.filter((entry) => latest.get(entry.recordName) === entry.seq);
  }
  const pageSize = Math.min(limit, services.settings.maxChangesPerPage);
  const entries: ChangeEntry[] = [];
  let lastSeq = since;
  for (const entry of candidates) {
    if (entries.length === pageSize) break;
    lastSeq = entry.seq;
    if (recordTypes !== undefined && recordTypes !== null && !recordTypes.includes(entry.recordType)) continue;
    entries.push(entry);
  }
  const moreComing = candidates.some((entry) => entry.seq > lastSeq);
  return { entries, nextSeq: moreComing ? lastSeq : zone.seq, moreComing };
}

/** A change entry on the wire: the record at its state, or a tombstone with `deleted: true`. */
function formatEntry(ctx: OpContext, zone: ZoneState, entry: ChangeEntry, format: FormatOptions): Record<string, unknown> {
  if (entry.record !== null) return formatRecord(entry.record, zone, ctx.ns.userRecordName, format);
  // docs/cloudkit.md §10.4: which keys a tombstone carries is unverified; `minimal` is the harder case for clients.
  return ctx.services.settings.tombstoneShape === 'full'
    ? {
        recordName: entry.recordName,
        recordType: entry.recordType,
        deleted: true,
        zoneID: zoneIdDictionary(zone.zoneName, ctx.ns.userRecordName),
      }
    : { recordName: entry.recordName, deleted: true };
}

/** changes/zone: per-zone results or per-zone errors (docs/cloudkit.md §3.7). */
export function zoneChanges(ctx: OpContext): HandlerResult {
  const request = parseBody(ZoneChangesSchema, ctx.body);
  requireChangesDatabase(ctx);
  const { services, ns } = ctx;
  const zones = request.zones.map((entry) => {
    const zoneName = entry.zoneID.zoneName;
    const zoneID = zoneIdDictionary(zoneName, ns.userRecordName);
    if (zoneName === DEFAULT_ZONE) return errorEntry('BAD_REQUEST', DEFAULT_ZONE_CHANGES, { zoneID });
    const zone = findZone(ns, zoneName);
    if (zone === undefined) {
      const error = zoneNotFound(services, ns, zoneName);
      return errorEntry(error.serverErrorCode, error.message, { zoneID });
    }
    let since: number;
    try {
      since = openZoneToken(services, zone, entry.syncToken);
    } catch (error) {
      if (!(error instanceof CloudKitError) || services.settings.changesZoneTokenErrorScope === 'request') throw error;
      return errorEntry(error.serverErrorCode, error.message, { zoneID });
    }
    const limit = resolveResultsLimit(services, entry.resultsLimit ?? request.resultsLimit);
    const page = zoneFeedPage(services, zone, since, limit, entry.desiredRecordTypes ?? request.desiredRecordTypes);
    const format = { desiredKeys: entry.desiredKeys ?? request.desiredKeys, numbersAsStrings: request.numbersAsStrings };
    return {
      zoneID,
      records: page.entries.map((change) => formatEntry(ctx, zone, change, format)),
      syncToken: zoneToken(services, zone, page.nextSeq),
      moreComing: page.moreComing,
    };
  });
  return { status: 200, body: { zones } };
}

/** Legacy records/changes: one custom zone, whole-request errors (docs/cloudkit.md §3.7). */
export function recordChanges(ctx: OpContext): HandlerResult {
  const request = parseBody(RecordChangesSchema, ctx.body);
  requireChangesDatabase(ctx);
  const { services, ns } = ctx;
  if (request.zoneID.zoneName === DEFAULT_ZONE) throw ckError('BAD_REQUEST', DEFAULT_ZONE_CHANGES);
  const zone = findZone(ns, request.zoneID.zoneName);
  if (zone === undefined) throw zoneNotFound(services, ns, request.zoneID.zoneName);
  const since = openZoneToken(services, zone, request.syncToken);
  const page = zoneFeedPage(services, zone, since, resolveResultsLimit(services, request.resultsLimit), undefined);
  const format = { desiredKeys: request.desiredKeys, numbersAsStrings: request.numbersAsStrings };
  return {
    status: 200,
    body: {
      records: page.entries.map((change) => formatEntry(ctx, zone, change, format)),
      syncToken: zoneToken(services, zone, page.nextSeq),
      moreComing: page.moreComing,
      reverse: false,
    },
  };
}

/** One page of the database feed: zones changed after `since`, deleted ones as `deleted: true`. */
function databaseFeedPage(
  ctx: OpContext,
  ns: Namespace,
  since: number,
  limit: number,
): { zones: unknown[]; nextSeq: number; moreComing: boolean } {
  const { services } = ctx;
  // `deletedZonesInFeed: false`: a zone deleted elsewhere (or purged in iCloud settings) simply
  // stops appearing, as a feed that does not report deletions would; the client learns of it
  // only from ZONE_NOT_FOUND (docs/cloudkit.md §10.2; Apple documents the `deleted` key of a zone in
  // "Fetching Database Changes" but not that a user's purge is reported through Web Services).
  const changed = [...ns.zones.values()]
    .filter((zone) => zone.zoneName !== DEFAULT_ZONE && zone.dbSeq > since)
    .filter((zone) => !zone.deleted || services.settings.deletedZonesInFeed)
    .sort((a, b) => a.dbSeq - b.dbSeq);
  const page = changed.slice(0, Math.min(limit, services.settings.maxChangesPerPage));
  const moreComing = page.length < changed.length;
  const last = page.at(-1);
  const zones = page.map((zone) => {
    if (!zone.deleted) return zoneDictionary(services, ns, zone);
    const tombstone: Record<string, unknown> = { zoneID: zoneIdDictionary(zone.zoneName, ns.userRecordName), deleted: true };
    if (zone.purged && services.settings.reportPurgedInFeed) tombstone['purged'] = true;
    return tombstone;
  });
  return { zones, nextSeq: moreComing && last !== undefined ? last.dbSeq : ns.dbSeq, moreComing };
}

/** changes/database (docs/cloudkit.md §3.6). */
export function databaseChanges(ctx: OpContext): HandlerResult {
  const request = parseBody(DatabaseChangesSchema, ctx.body);
  requireChangesDatabase(ctx);
  const since = openDatabaseToken(ctx.services, ctx.ns, request.syncToken);
  const page = databaseFeedPage(ctx, ctx.ns, since, resolveResultsLimit(ctx.services, request.resultsLimit));
  return {
    status: 200,
    body: { zones: page.zones, syncToken: databaseToken(ctx.services, ctx.ns, page.nextSeq), moreComing: page.moreComing },
  };
}

/**
 * Legacy zones/changes (docs/cloudkit.md §3.6). As live, the token key is `metaSyncToken`; a `syncToken` key is
 * silently ignored, so a client using the wrong key gets page one forever.
 */
export function legacyZoneChanges(ctx: OpContext): HandlerResult {
  const request = parseBody(ZoneChangesLegacySchema, ctx.body);
  requireChangesDatabase(ctx);
  const since = openDatabaseToken(ctx.services, ctx.ns, request.metaSyncToken);
  const page = databaseFeedPage(ctx, ctx.ns, since, resolveResultsLimit(ctx.services, request.resultsLimit));
  return {
    status: 200,
    body: { moreComing: page.moreComing, metaSyncToken: databaseToken(ctx.services, ctx.ns, page.nextSeq), zones: page.zones },
  };
}
