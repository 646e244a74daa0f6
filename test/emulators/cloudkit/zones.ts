/**
 * Zones: zones/modify, zones/list, zones/lookup (docs/cloudkit.md §3.4, docs/cloudkit.md §3.5), zone deletion and purge (docs/cloudkit.md §9.4, docs/cloudkit.md §9.5).
 */
import type { HandlerResult, OpContext, Services } from './context';
import { MAX_OPERATIONS } from './context';
import { ckError, CloudKitError, errorEntry } from './errors';
import { zoneIdDictionary } from './fields';
import { LookupZonesSchema, ModifyZonesSchema, parseBody } from './schemas';
import { newZone, type Namespace, type ZoneState } from './store';
import { zoneToken } from './sync-tokens';

export const DEFAULT_ZONE = '_defaultZone';

/** The over-limit error (more than 200 operations, body over 1 MB), as configured (docs/cloudkit.md §10.13). */
export function overLimitError(services: Services, reason: string): CloudKitError {
  const { status, serverErrorCode } = services.settings.overLimitError;
  return new CloudKitError(status, serverErrorCode, reason);
}

/** The zone's ZONE_NOT_FOUND error; a purged zone carries the distinguishing reason (docs/cloudkit.md §9.5). */
export function zoneNotFound(services: Services, ns: Namespace, zoneName: string): CloudKitError {
  const purged = ns.zones.get(zoneName)?.purged === true;
  return ckError('ZONE_NOT_FOUND', purged ? services.settings.purgedZoneReason : `Zone '${zoneName}' does not exist`, {
    zoneID: zoneIdDictionary(zoneName, ns.userRecordName),
  });
}

/** The live zone, or undefined if it never existed or was deleted/purged. `_defaultZone` always exists. */
export function findZone(ns: Namespace, zoneName: string): ZoneState | undefined {
  if (zoneName === DEFAULT_ZONE && !ns.zones.has(DEFAULT_ZONE)) ns.zones.set(DEFAULT_ZONE, newZone(DEFAULT_ZONE, 0));
  const zone = ns.zones.get(zoneName);
  return zone === undefined || zone.deleted ? undefined : zone;
}

/** The live zone or a thrown 404 ZONE_NOT_FOUND. */
export function requireZone(services: Services, ns: Namespace, zoneName: string): ZoneState {
  const zone = findZone(ns, zoneName);
  if (zone === undefined) throw zoneNotFound(services, ns, zoneName);
  return zone;
}

/** The zone dictionary: `{zoneID, syncToken, atomic}` (docs/cloudkit.md §3.5). */
export function zoneDictionary(services: Services, ns: Namespace, zone: ZoneState): Record<string, unknown> {
  return {
    zoneID: zoneIdDictionary(zone.zoneName, ns.userRecordName),
    syncToken: zoneToken(services, zone),
    atomic: zone.zoneName !== DEFAULT_ZONE,
  };
}

/** Marks a change of the zone in the database feed. The default zone is not in that feed. */
export function touchZone(ns: Namespace, zone: ZoneState): void {
  if (zone.zoneName === DEFAULT_ZONE) return;
  ns.dbSeq += 1;
  zone.dbSeq = ns.dbSeq;
}

/**
 * Deletes (or purges) a zone: its records go, and the database feed reports it with deleted: true.
 * Re-creating it later starts a new incarnation with a fresh token history.
 */
export function removeZone(ns: Namespace, zoneName: string, purged: boolean): void {
  ns.dbSeq += 1;
  const tombstone = newZone(zoneName, ns.dbSeq);
  tombstone.deleted = true;
  tombstone.purged = purged;
  ns.zones.set(zoneName, tombstone);
}

function requireZoneDatabase(ctx: OpContext): void {
  // Custom zones exist only in the private database (docs/cloudkit.md §1.2 zones/modify).
  if (ctx.database !== 'private') throw ckError('BAD_REQUEST', `Zones cannot be modified in the ${ctx.database} database`);
}

/** zones/modify: create or delete, one result per zone, in order (docs/cloudkit.md §3.4). */
export function modifyZones(ctx: OpContext): HandlerResult {
  const { operations } = parseBody(ModifyZonesSchema, ctx.body);
  requireZoneDatabase(ctx);
  if (operations.length > MAX_OPERATIONS) throw overLimitError(ctx.services, `Too many operations (limit ${MAX_OPERATIONS})`);
  const { ns, services } = ctx;
  const zones = operations.map(({ operationType, zone: { zoneID } }) => {
    const name = zoneID.zoneName;
    const zoneIdOut = zoneIdDictionary(name, ns.userRecordName);
    if (name === DEFAULT_ZONE) return errorEntry('BAD_REQUEST', 'The default zone cannot be created or deleted', { zoneID: zoneIdOut });
    const existing = findZone(ns, name);
    if (operationType === 'create') {
      if (existing !== undefined) {
        // docs/cloudkit.md §10.16: idempotent success (default) or EXISTS.
        return services.settings.zoneCreateExisting === 'EXISTS'
          ? errorEntry('EXISTS', `Zone '${name}' already exists`, { zoneID: zoneIdOut })
          : zoneDictionary(services, ns, existing);
      }
      ns.dbSeq += 1;
      const zone = newZone(name, ns.dbSeq);
      ns.zones.set(name, zone);
      return zoneDictionary(services, ns, zone);
    }
    if (existing === undefined) {
      const error = zoneNotFound(services, ns, name);
      return errorEntry(error.serverErrorCode, error.message, { zoneID: zoneIdOut });
    }
    removeZone(ns, name, false);
    return { zoneID: zoneIdOut, deleted: true };
  });
  return { status: 200, body: { zones } };
}

/** zones/list (GET): every live zone including `_defaultZone`, each with its current syncToken. */
export function listZones(ctx: OpContext): HandlerResult {
  findZone(ctx.ns, DEFAULT_ZONE);
  const zones = [...ctx.ns.zones.values()].filter((zone) => !zone.deleted).map((zone) => zoneDictionary(ctx.services, ctx.ns, zone));
  return { status: 200, body: { zones } };
}

/** zones/lookup: per-zone dictionary or ZONE_NOT_FOUND entry. */
export function lookupZones(ctx: OpContext): HandlerResult {
  const { zones: ids } = parseBody(LookupZonesSchema, ctx.body);
  const zones = ids.map(({ zoneName }) => {
    const zone = findZone(ctx.ns, zoneName);
    if (zone !== undefined) return zoneDictionary(ctx.services, ctx.ns, zone);
    const error = zoneNotFound(ctx.services, ctx.ns, zoneName);
    return errorEntry(error.serverErrorCode, error.message, { zoneID: zoneIdDictionary(zoneName, ctx.ns.userRecordName) });
  });
  return { status: 200, body: { zones } };
}
