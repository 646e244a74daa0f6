/**
 * Minting and checking zone and database sync tokens (docs/cloudkit.md §9.2).
 *
 * A token names a position in one zone incarnation (or one database) under the current token
 * generation. A token from another incarnation (the zone was deleted and re-created), from before
 * expireSyncTokens(), or not minted here at all is answered with the configurable
 * `expiredSyncTokenError` (docs/cloudkit.md §10.1).
 */
import type { Services } from './context';
import { CloudKitError } from './errors';
import { SyncPositionSchema } from './opaque';
import type { Namespace, ZoneState } from './store';

/** The error for a stale or foreign token, with the status and code the options chose. */
export function expiredTokenError(services: Services): CloudKitError {
  const { status, serverErrorCode } = services.settings.expiredSyncTokenError;
  return new CloudKitError(status, serverErrorCode, 'Sync token is expired or invalid; fetch changes again without a token');
}

/** Token for a zone position (defaults to the zone's latest change). */
export function zoneToken(services: Services, zone: ZoneState, seq = zone.seq): string {
  return services.sealer.seal({ k: 'zone', e: zone.epoch, s: seq, g: services.store.state.syncTokenGeneration });
}

/** Token for a database-feed position. */
export function databaseToken(services: Services, ns: Namespace, seq: number): string {
  return services.sealer.seal({ k: 'db', e: ns.epoch, s: seq, g: services.store.state.syncTokenGeneration });
}

function open(services: Services, token: string, kind: 'zone' | 'db', epoch: string, latest: number): number {
  const position = services.sealer.open(token, SyncPositionSchema);
  if (
    position === undefined ||
    position.k !== kind ||
    position.e !== epoch ||
    position.g !== services.store.state.syncTokenGeneration ||
    position.s > latest
  ) {
    throw expiredTokenError(services);
  }
  return position.s;
}

/** The position a zone token names; no token means "from the beginning" (0). Throws if invalid. */
export function openZoneToken(services: Services, zone: ZoneState, token: string | null | undefined): number {
  return token === undefined || token === null ? 0 : open(services, token, 'zone', zone.epoch, zone.seq);
}

/** The position a database token names; no token means "from the beginning" (0). Throws if invalid. */
export function openDatabaseToken(services: Services, ns: Namespace, token: string | null | undefined): number {
  return token === undefined || token === null ? 0 : open(services, token, 'db', ns.epoch, ns.dbSeq);
}
