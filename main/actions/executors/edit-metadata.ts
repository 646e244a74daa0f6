import { AppError } from '../../../shared/errors';
import { PHOTO_TYPES, type DeviceChoice, type MetadataEdit, type MetadataKey, type PhotoMetadata } from '../../../shared/library/metadata';
import type { CachedMetadata, EditedDevices, LibraryRepo, PhotoRecord } from '../../library/library-repo';
import { deviceFacets } from '../../library/offline-search';
import { zoneOffsetAtWallTimeMs } from '../../../shared/time-zone';
import { localWallTime, normaliseTime } from '../../library/photo-mapping';
import type { PhotoPatch, PhotoPrismClient } from '../../photoprism/client';
import type { DeviceLists, EditablePhotoEntity } from '../../photoprism/schemas';
import { isItemError } from '../action-errors';
import { runEach } from '../batching';
import type { Executor } from '../executor';
import type { Operation } from '../operations';

/**
 * The metadata edit executor: one `PUT /photos/:uid` per photo (PhotoPrism's Dec 2024 API has no
 * batch edit, so a batch edit of a selection is N of these, `concurrency` at a time).
 *
 * Each photo is READ first (`GET /photos/:uid`): its numeric ID goes into `Details.PhotoID` (the
 * server ignores a Details change without it), the key it uses for the caption says which name to
 * send back (`Description` before the 2025 rename, `Caption` after — docs/photoprism-api.md §9.3),
 * and its values before the change become the undo. Every edited value goes with its `…Src:
 * "manual"`, so PhotoPrism's own metadata passes never overwrite what a person typed
 * (PhotoPrism internal/entity/src.go, SrcPriority: manual outranks every automatic source).
 *
 * Offline (or behind older queued actions) an edit is queued like every action ([Note: The
 * offline queue]): `applyLocally` writes what the cache holds of it (title, caption, time,
 * location, type, exposure values) and the edit waits in the queue. The read-first happens when
 * it is sent, so a photo changed on the server meanwhile keeps those changes in every field the
 * person did not edit: only the typed fields go into the PUT.
 */

/** One photo's change: the fields to set on it. */
export interface PhotoEdit {
  readonly uid: string;
  readonly edit: MetadataEdit;
}

/** The inspector's view of a photo entity. */
export function metadataOf(entity: EditablePhotoEntity): PhotoMetadata {
  const details = entity.Details;
  return {
    uid: entity.UID,
    title: entity.Title,
    caption: entity.Caption ?? entity.Description ?? '',
    keywords: details?.Keywords ?? '',
    takenAtLocal: entity.TakenAtLocal === '' && entity.TakenAt === '' ? '' : localWallTime(entity.TakenAtLocal, entity.TakenAt),
    timeZone: entity.TimeZone,
    lat: entity.Lat,
    lng: entity.Lng,
    altitude: Math.round(entity.Altitude),
    subject: details?.Subject ?? '',
    artist: details?.Artist ?? '',
    copyright: details?.Copyright ?? '',
    license: details?.License ?? '',
    notes: details?.Notes ?? '',
    country: entity.Country === '' ? 'zz' : entity.Country,
    type: entity.Type,
    iso: Math.round(entity.Iso),
    exposure: entity.Exposure,
    // float32 on the server: 2.8 comes back as 2.8 in JSON, but round to what people type.
    fNumber: Math.round(entity.FNumber * 100) / 100,
    focalLength: Math.round(entity.FocalLength),
    cameraId: entity.CameraID,
    lensId: entity.LensID,
    scan: entity.Scan,
    panorama: entity.Panorama,
    stack: entity.Stack,
  };
}

/** Whether the server speaks the 2025 names (`Caption`): the entity it sent says so. */
function usesCaption(entity: EditablePhotoEntity): boolean {
  return entity.Caption !== undefined && entity.Caption !== null;
}

/**
 * The `PUT` body for an edit of `entity`. A new date sends the wall-clock time with its zone;
 * the server derives the UTC time (PhotoPrism internal/entity/photo.go, SavePhotoForm:
 * `TakenAt = GetTakenAt()`, or `TakenAtLocal = TakenAt` for UTC). `TakenAt` goes too, as the
 * local digits read as UTC: what the server keeps when the zone is UTC or unknown.
 */
export function patchFor(edit: MetadataEdit, entity: EditablePhotoEntity): PhotoPatch {
  const patch: Record<string, unknown> = {};
  if (edit.title !== undefined) Object.assign(patch, { Title: edit.title.trim(), TitleSrc: 'manual' });
  if (edit.caption !== undefined) {
    Object.assign(
      patch,
      usesCaption(entity) ? { Caption: edit.caption, CaptionSrc: 'manual' } : { Description: edit.caption, DescriptionSrc: 'manual' },
    );
  }
  if (edit.takenAtLocal !== undefined || edit.timeZone !== undefined) {
    const local = edit.takenAtLocal ?? metadataOf(entity).takenAtLocal;
    const zone = edit.timeZone ?? entity.TimeZone;
    if (local !== '') {
      const [year, month, day] = local.slice(0, 10).split('-').map(Number);
      Object.assign(patch, { TakenAtLocal: `${local}Z`, TakenAt: `${local}Z`, Year: year, Month: month, Day: day });
    }
    Object.assign(patch, { TimeZone: zone, TakenSrc: 'manual' });
  }
  if (edit.lat !== undefined || edit.lng !== undefined) {
    Object.assign(patch, { Lat: edit.lat ?? entity.Lat, Lng: edit.lng ?? entity.Lng, PlaceSrc: 'manual' });
  }
  if (edit.altitude !== undefined) patch['Altitude'] = edit.altitude;
  // A country is a place edit: PlaceSrc manual, as PhotoPrism's web UI sends it (frontend/src/model/photo.js, update).
  if (edit.country !== undefined) Object.assign(patch, { Country: edit.country, PlaceSrc: 'manual' });
  if (edit.type !== undefined) Object.assign(patch, { Type: edit.type, TypeSrc: 'manual' });
  // Any exposure value marks the camera data manual (frontend/src/model/photo.js, update: CameraSrc),
  // so the next metadata pass keeps it (internal/entity/src.go, SrcPriority).
  const exposure: Array<[MetadataKey, string]> = [
    ['iso', 'Iso'],
    ['exposure', 'Exposure'],
    ['fNumber', 'FNumber'],
    ['focalLength', 'FocalLength'],
  ];
  for (const [key, name] of exposure) {
    if (edit[key] === undefined) continue;
    patch[name] = edit[key];
    patch['CameraSrc'] = 'manual';
  }
  // Camera and lens go by the IDs of the config's lists; SavePhotoForm copies them as sent and the
  // answer's preloaded Camera / Lens name them (PhotoPrism internal/entity/photo.go, SavePhotoForm).
  // Their source is CameraSrc too (frontend/src/model/photo.js, update: CameraID or LensID).
  if (edit.cameraId !== undefined) Object.assign(patch, { CameraID: edit.cameraId, CameraSrc: 'manual' });
  if (edit.lensId !== undefined) Object.assign(patch, { LensID: edit.lensId, CameraSrc: 'manual' });
  // The flags have no …Src (internal/form/photo.go): the value is all there is.
  if (edit.scan !== undefined) patch['Scan'] = edit.scan;
  if (edit.panorama !== undefined) patch['Panorama'] = edit.panorama;
  if (edit.stack !== undefined) patch['Stack'] = edit.stack;
  const details: Record<string, unknown> = {};
  const text: Array<[MetadataKey, string]> = [
    ['keywords', 'Keywords'],
    ['subject', 'Subject'],
    ['artist', 'Artist'],
    ['copyright', 'Copyright'],
    ['license', 'License'],
    ['notes', 'Notes'],
  ];
  for (const [key, name] of text) {
    const value = edit[key];
    if (value === undefined) continue;
    details[name] = value;
    details[`${name}Src`] = 'manual';
  }
  if (Object.keys(details).length > 0) patch['Details'] = { PhotoID: entity.ID, ...details };
  return patch;
}

/** The edit that puts back what `edit` changed, from the values before it. */
export function inverseEdit(edit: MetadataEdit, before: PhotoMetadata): MetadataEdit | undefined {
  const back: Record<string, unknown> = {};
  for (const key of Object.keys(edit) as MetadataKey[]) {
    // An unknown local time cannot be sent back; the zone alone still can.
    if (key === 'takenAtLocal' && before.takenAtLocal === '') continue;
    // A type the inspector cannot send (``, or one of a later release) cannot be put back either.
    if (key === 'type' && !isSendableType(before.type)) continue;
    // No camera or lens row (ID 0): nothing the form could take back.
    if ((key === 'cameraId' || key === 'lensId') && before[key] < 1) continue;
    if (before[key] !== edit[key]) back[key] = before[key];
  }
  if (back['takenAtLocal'] !== undefined || back['timeZone'] !== undefined) {
    // The pair travels together: a zone change moves the UTC time, so undo names both.
    if (before.takenAtLocal !== '') back['takenAtLocal'] = before.takenAtLocal;
    back['timeZone'] = before.timeZone;
  }
  return Object.keys(back).length > 0 ? back : undefined;
}

function isSendableType(type: string): type is (typeof PHOTO_TYPES)[number] {
  return (PHOTO_TYPES as readonly string[]).includes(type);
}

/**
 * The UTC time the cache sorts by, for a wall-clock time typed offline. The server derives it
 * when the edit is sent (PhotoPrism internal/entity/photo.go, SavePhotoForm) and its answer
 * replaces this; until then: a new zone's offset, the local digits for UTC or no zone, else the
 * offset the photo had (the cache does not hold its zone).
 */
function localTakenAt(local: string, zone: string | undefined, row: PhotoRecord): string {
  const localMs = Date.parse(`${local}Z`);
  let offsetMs: number;
  if (zone === undefined) {
    const oldLocalMs = Date.parse(`${row.takenAtLocal}Z`);
    const oldUtcMs = Date.parse(row.takenAt);
    offsetMs = Number.isFinite(oldLocalMs) && Number.isFinite(oldUtcMs) ? oldLocalMs - oldUtcMs : 0;
  } else if (zone === '' || zone.toUpperCase() === 'UTC') offsetMs = 0;
  else offsetMs = zoneOffsetAtWallTimeMs(zone, localMs) ?? 0;
  return normaliseTime(new Date(localMs - offsetMs).toISOString());
}

/**
 * The model text the cache shows for a camera or lens ID of the config's lists: empty for
 * Unknown (ID 1), as the server's search rows leave it; undefined when the lists do not have it.
 */
function deviceModel(list: readonly DeviceChoice[] | undefined, id: number): string | undefined {
  if (id <= 1) return '';
  return list?.find((device) => device.id === id)?.model;
}

/**
 * The camera and lens an edit picked, as the search row files them (so `camera:` finds the photo
 * at once): ID 1 and below is PhotoPrism's Unknown device; a pick the lists do not name leaves them.
 */
function editedDevices(edit: MetadataEdit, devices: DeviceLists | undefined): EditedDevices {
  const picked = (kind: 'camera' | 'lens', list: readonly DeviceChoice[] | undefined, id: number | undefined) => {
    if (id === undefined) return undefined;
    const choice = id <= 1 ? { id: 1, make: '', model: '' } : list?.find((device) => device.id === id);
    return choice ? deviceFacets(kind, choice) : undefined;
  };
  const camera = picked('camera', devices?.cameras, edit.cameraId);
  const lens = picked('lens', devices?.lenses, edit.lensId);
  return { ...(camera ? { camera } : {}), ...(lens ? { lens } : {}) };
}

/**
 * The camera and lens of the server's answer to an edit, as the search row files them; none
 * when the answer has no preloaded rows (the cache then keeps what it had).
 */
function answeredDevices(entity: EditablePhotoEntity): EditedDevices {
  const device = (kind: 'camera' | 'lens', id: number, row: { Make: string; Model: string } | null | undefined) =>
    row ? deviceFacets(kind, { id, make: row.Make, model: id <= 1 ? '' : row.Model }) : undefined;
  const camera = device('camera', entity.CameraID, entity.Camera);
  const lens = device('lens', entity.LensID, entity.Lens);
  return { ...(camera ? { camera } : {}), ...(lens ? { lens } : {}) };
}

/** The ID in the lists of the model text a cached photo shows (Unknown for none); undefined when not listed. */
function deviceIdOf(list: readonly DeviceChoice[] | undefined, model: string): number | undefined {
  if (model === '') return 1;
  return list?.find((device) => device.model === model)?.id;
}

/**
 * A cached photo as it reads after `edit` (only the fields the cache holds). A camera or lens
 * pick shows its model from the cached lists at once; the server's answer replaces it.
 */
export function cachedAfter(row: PhotoRecord, edit: MetadataEdit, devices?: DeviceLists): CachedMetadata {
  const local = edit.takenAtLocal ?? row.takenAtLocal;
  const timeEdited = (edit.takenAtLocal !== undefined || edit.timeZone !== undefined) && local !== '';
  return {
    title: edit.title?.trim() ?? row.title,
    description: edit.caption ?? row.description,
    takenAt: timeEdited ? localTakenAt(local, edit.timeZone, row) : row.takenAt,
    takenAtLocal: local,
    lat: edit.lat ?? row.lat,
    lng: edit.lng ?? row.lng,
    type: edit.type ?? row.type,
    iso: edit.iso ?? row.iso,
    exposure: edit.exposure ?? row.exposure,
    fNumber: edit.fNumber ?? row.fNumber,
    focalLengthMm: edit.focalLength ?? row.focalLengthMm,
    cameraModel: (edit.cameraId === undefined ? undefined : deviceModel(devices?.cameras, edit.cameraId)) ?? row.cameraModel,
    lensModel: (edit.lensId === undefined ? undefined : deviceModel(devices?.lenses, edit.lensId)) ?? row.lensModel,
  };
}

/**
 * What puts the cache back after a queued `edit` is cancelled: the cached values of the fields it
 * changed. Fields the cache does not hold (keywords, zone, …) were never written, so nothing to undo.
 */
function cachedInverse(edit: MetadataEdit, row: PhotoRecord, devices: DeviceLists | undefined): MetadataEdit {
  const back: Record<string, unknown> = {};
  const cached: Partial<Record<MetadataKey, unknown>> = {
    title: row.title,
    caption: row.description,
    takenAtLocal: row.takenAtLocal === '' ? undefined : row.takenAtLocal,
    lat: row.lat,
    lng: row.lng,
    type: isSendableType(row.type) ? row.type : undefined,
    iso: row.iso,
    exposure: row.exposure,
    fNumber: row.fNumber,
    focalLength: row.focalLengthMm,
    // The cache holds the model text, not the ID: the lists say which ID shows it.
    cameraId: deviceIdOf(devices?.cameras, row.cameraModel),
    lensId: deviceIdOf(devices?.lenses, row.lensModel),
  };
  for (const key of Object.keys(edit) as MetadataKey[]) if (cached[key] !== undefined) back[key] = cached[key];
  // A zone edit moved the cached UTC time: putting the local time back restores it with the old offset.
  if (edit.timeZone !== undefined && cached.takenAtLocal !== undefined) back['takenAtLocal'] = cached.takenAtLocal;
  return back;
}

/** The fields the cache does not hold: offline, the inspector shows them as unknown. */
export const UNCACHED_KEYS: readonly MetadataKey[] = [
  'keywords',
  'timeZone',
  'altitude',
  'subject',
  'artist',
  'copyright',
  'license',
  'notes',
  'country',
  'scan',
  'panorama',
  'stack',
  'cameraId',
  'lensId',
];

/** The inspector's view of cached photos (offline): what the cache holds, the rest marked unknown. */
export function cachedMetadata(repo: Pick<LibraryRepo, 'photosByUid'>, uids: readonly string[]): PhotoMetadata[] {
  const rows = repo.photosByUid(uids);
  return uids.flatMap((uid) => {
    const row = rows.get(uid);
    if (!row) return [];
    return [
      {
        uid,
        title: row.title,
        caption: row.description,
        keywords: '',
        takenAtLocal: row.takenAtLocal,
        timeZone: '',
        lat: row.lat,
        lng: row.lng,
        altitude: 0,
        subject: '',
        artist: '',
        copyright: '',
        license: '',
        notes: '',
        country: 'zz',
        type: row.type,
        iso: row.iso,
        exposure: row.exposure,
        fNumber: row.fNumber,
        focalLength: row.focalLengthMm,
        cameraId: 0,
        lensId: 0,
        scan: false,
        panorama: false,
        stack: 0,
        unknown: [...UNCACHED_KEYS],
      },
    ];
  });
}

/** Read every photo's editable fields from the server (the inspector's `photo.metadata`). */
export async function readMetadata(client: PhotoPrismClient, uids: readonly string[], concurrency: number): Promise<PhotoMetadata[]> {
  const out = new Map<string, PhotoMetadata>();
  const run = await runEach(
    uids,
    concurrency,
    async (uid) => {
      out.set(uid, metadataOf(await client.getPhotoForEdit(uid)));
    },
    isItemError,
  );
  const asError = (error: unknown) => (error instanceof Error ? error : new AppError('internal', 'The photos could not be read.'));
  if (run.stoppedBy !== undefined) throw asError(run.stoppedBy);
  const first = run.failed[0];
  // Some photos gone (404): the others are still worth editing; all gone is an error.
  if (first && out.size === 0) throw asError(first.error);
  return uids.flatMap((uid) => {
    const found = out.get(uid);
    return found ? [found] : [];
  });
}

type EditOp = Extract<Operation, { type: 'edit' }>;

/** Read, PUT, record the server's answer in the cache and the event log. */
export const editMetadata: Executor<EditOp> = {
  subject: 'photo',
  items: (op) => [...new Set(op.edits.map((e) => e.uid))],
  applyLocally(op, kit) {
    const prior = kit.repo.photosByUid(op.edits.map((e) => e.uid));
    const devices = kit.repo.deviceLists();
    const applied: string[] = [];
    const inverse: Array<{ uid: string; edit: MetadataEdit }> = [];
    for (const { uid, edit } of op.edits) {
      const row = prior.get(uid);
      // Not cached: nothing to show, but the edit still waits in the queue for the server.
      if (!row) continue;
      kit.repo.setPhotoMetadata(uid, cachedAfter(row, edit, devices), editedDevices(edit, devices));
      applied.push(uid);
      inverse.push({ uid, edit: cachedInverse(edit, row, devices) });
    }
    return {
      applied,
      photos: applied,
      albums: false,
      queued: op,
      // Always a step, even for fields the cache lacks: undo must be able to cancel the queued edit.
      inverse: { type: 'edit', edits: inverse },
    };
  },
  async send(op, client, ctx) {
    // An edit with no field (the cancel step of a queued edit of fields the cache lacks) sends nothing.
    const wanted = new Map(op.edits.filter((e) => Object.keys(e.edit).length > 0).map((e) => [e.uid, e.edit]));
    const uids = [...wanted.keys()];
    const before = new Map<string, PhotoMetadata>();
    const after = new Map<string, EditablePhotoEntity>();
    const run = await runEach(
      uids,
      ctx.concurrency,
      async (uid) => {
        const edit = wanted.get(uid);
        if (!edit) return;
        const entity = await client.getPhotoForEdit(uid);
        before.set(uid, metadataOf(entity));
        after.set(uid, await client.updatePhotoForEdit(uid, patchFor(edit, entity)));
      },
      isItemError,
    );
    const applied = uids.filter((uid) => after.has(uid));
    const { failed, gone } = ctx.failures(run, applied.length);
    const dbFailure = ctx.commit({
      write: () => {
        const cached = ctx.repo.photosByUid([...after.keys()]);
        for (const [uid, entity] of after) {
          const now = metadataOf(entity);
          const row = cached.get(uid);
          // The answer's preloaded rows name the camera and lens; without them the cache keeps its text.
          const model = (id: number, device: { Model: string } | null | undefined, old: string | undefined) =>
            device ? (id <= 1 ? '' : device.Model) : (old ?? '');
          ctx.repo.setPhotoMetadata(
            uid,
            {
              title: now.title,
              description: now.caption,
              takenAt: normaliseTime(entity.TakenAt),
              takenAtLocal: now.takenAtLocal,
              lat: now.lat,
              lng: now.lng,
              type: now.type,
              iso: now.iso,
              exposure: now.exposure,
              fNumber: now.fNumber,
              focalLengthMm: now.focalLength,
              cameraModel: model(entity.CameraID, entity.Camera, row?.cameraModel),
              lensModel: model(entity.LensID, entity.Lens, row?.lensModel),
            },
            answeredDevices(entity),
          );
        }
        ctx.repo.deletePhotos(gone);
      },
      // UIDs only, as every action: a receiver refreshes them from its own server ([Note: Action events]).
      appends: [{ name: 'photos.updated', uids: applied }],
      photos: [...applied, ...gone],
      albums: gone.length > 0,
      uids: applied,
    });
    if (dbFailure) return ctx.dbFailed(dbFailure, failed);
    const inverse = applied.flatMap((uid) => {
      const edit = wanted.get(uid);
      const prior = before.get(uid);
      const back = edit && prior ? inverseEdit(edit, prior) : undefined;
      return back ? [{ uid, edit: back }] : [];
    });
    return { result: { applied, failed }, inverse: inverse.length > 0 ? { type: 'edit', edits: inverse } : undefined };
  },
};
