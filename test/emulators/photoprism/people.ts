import type { FaceRec, FileRec, MarkerRec, PhotoRec, SubjectRec } from './model';
import type { Store } from './store';
import { goTime } from './util';

/**
 * The emulator's one people model, read by photo search, `/subjects`, `/faces`, the config's
 * people and photo details: subjects and face clusters on the Store, face markers on each photo's
 * primary file (`PhotoRec.markers`). What the background workers would store — counts, covers —
 * is computed here from the markers, once per store version.
 */

type Json = Record<string, unknown>;

/** What the counts and covers workers keep per subject. */
export interface SubjectStats {
  /** Photos with a valid marker of the person, not archived (counts include private photos). */
  photos: PhotoRec[];
  files: number;
  /** The first valid marker (search.Subject's `MarkerUID`). */
  marker: MarkerRec | null;
  /** The cover marker's thumb: a crop of a file showing the person ('' when none). */
  thumb: string;
}

/** What the faces search joins per cluster: one valid marker and its file. */
export interface FaceStats {
  marker: MarkerRec | null;
  file: FileRec | null;
}

interface PeopleIndex {
  version: number;
  subjects: Map<string, SubjectStats>;
  faces: Map<string, FaceStats>;
}

const INDEXES = new WeakMap<Store, PeopleIndex>();

/**
 * A marker's thumb: the file hash and the crop area, `%040s-%012s` of the hash and
 * `%03x%03x%03x%03x` of X, Y, W, H in thousandths (PhotoPrism internal/thumb/crop/area.go,
 * Area.Thumb and Area.String; set by internal/entity/marker.go, Marker.SetFile).
 */
export function markerThumb(file: FileRec, m: MarkerRec): string {
  const hex = (v: number): string =>
    Math.trunc(v * 1000)
      .toString(16)
      .padStart(3, '0');
  return `${file.hash}-${hex(m.area.x)}${hex(m.area.y)}${hex(m.area.w)}${hex(m.area.h)}`;
}

function primaryFile(photo: PhotoRec, fileUid: string): FileRec | undefined {
  return photo.files.find((f) => f.uid === fileUid);
}

function build(store: Store): PeopleIndex {
  const subjects = new Map<string, SubjectStats>();
  const faces = new Map<string, FaceStats>();
  for (const s of store.subjects) subjects.set(s.uid, { photos: [], files: 0, marker: null, thumb: '' });
  for (const f of store.faces) faces.set(f.id, { marker: null, file: null });
  const fileSets = new Map<string, Set<string>>();
  const manualCover = new Set<string>();
  for (const photo of store.photos) {
    for (const m of photo.markers) {
      if (m.invalid) continue;
      const file = primaryFile(photo, m.fileUid);
      const face = faces.get(m.faceId);
      if (face && !face.marker && file) Object.assign(face, { marker: m, file });
      const stats = m.subjUid === '' ? undefined : subjects.get(m.subjUid);
      if (!stats || !file) continue;
      stats.marker ??= m;
      // internal/entity/entity_counts.go, UpdateSubjectCounts: DISTINCT files and photos of
      // valid markers, photos not archived (private ones count: the `public` switch is off).
      if (photo.deletedAtMs !== null) continue;
      if (stats.photos[stats.photos.length - 1] !== photo) stats.photos.push(photo);
      let set = fileSets.get(m.subjUid);
      if (!set) fileSets.set(m.subjUid, (set = new Set()));
      set.add(file.uid);
      // internal/entity/query/covers.go, UpdateSubjectCovers: a thumb of a valid marker on an
      // active photo, manual assignments (subj_src) first, then the best quality.
      // Every marker has the same quality here, so the first manual one wins.
      if (stats.thumb === '' || (m.subjSrc === 'manual' && !manualCover.has(m.subjUid))) {
        stats.thumb = markerThumb(file, m);
        if (m.subjSrc === 'manual') manualCover.add(m.subjUid);
      }
    }
  }
  for (const [uid, set] of fileSets) {
    const stats = subjects.get(uid);
    if (stats) stats.files = set.size;
  }
  return { version: store.version, subjects, faces };
}

function index(store: Store): PeopleIndex {
  let idx = INDEXES.get(store);
  if (!idx || idx.version !== store.version) INDEXES.set(store, (idx = build(store)));
  return idx;
}

/** A subject's counts, first marker and cover. */
export function subjectStats(store: Store, uid: string): SubjectStats {
  return index(store).subjects.get(uid) ?? { photos: [], files: 0, marker: null, thumb: '' };
}

/** The people named on a photo's valid face markers, in marker order. */
export function subjectsOf(photo: PhotoRec, store: Store): SubjectRec[] {
  const out: SubjectRec[] = [];
  for (const m of photo.markers) {
    if (m.invalid || m.subjUid === '') continue;
    const subject = store.subjects.find((j) => j.uid === m.subjUid);
    if (subject && !out.includes(subject)) out.push(subject);
  }
  return out;
}

/** `search.Subject` (PhotoPrism internal/entity/search/subjects_results.go, Subject). */
export function subjectJson(store: Store, s: SubjectRec): Json {
  const stats = subjectStats(store, s.uid);
  return {
    UID: s.uid,
    MarkerUID: stats.marker?.uid ?? '',
    Type: s.type,
    Slug: s.slug,
    Name: s.name,
    Alias: s.alias,
    Favorite: s.favorite,
    Hidden: s.hidden,
    Private: s.private,
    Excluded: s.excluded,
    FileCount: stats.files,
    PhotoCount: stats.photos.length,
    Thumb: stats.thumb,
  };
}

/**
 * `search.Face` (PhotoPrism internal/entity/search/faces_results.go, Face): the cluster joined to
 * one of its markers for `FileUID`, `MarkerUID`, `Name` and `Thumb` (internal/entity/search/faces.go, Faces).
 */
export function faceJson(store: Store, f: FaceRec): Json {
  const { marker, file } = index(store).faces.get(f.id) ?? { marker: null, file: null };
  const out: Json = { ID: f.id, Src: 'auto', Hidden: false, SubjUID: f.subjUid };
  if (marker?.subjSrc) out['SubjSrc'] = marker.subjSrc;
  if (file) out['FileUID'] = file.uid;
  if (marker) out['MarkerUID'] = marker.uid;
  Object.assign(out, {
    Samples: f.samples,
    SampleRadius: 0.35,
    Collisions: 0,
    CollisionRadius: 0,
    Name: store.subjects.find((s) => s.uid === f.subjUid)?.name ?? '',
    Review: false,
    Invalid: false,
    Thumb: marker && file ? markerThumb(file, marker) : '',
    MatchedAt: null,
    CreatedAt: goTime(f.createdAtMs),
    UpdatedAt: goTime(f.createdAtMs),
  });
  return out;
}

/**
 * A file's markers as `entity.Marker.MarshalJSON` writes them (PhotoPrism
 * internal/entity/marker_json.go): `Name` is the subject's name when one is assigned.
 */
export function fileMarkersJson(file: FileRec, store: Store): Json[] {
  return file.photo.markers
    .filter((m) => m.fileUid === file.uid)
    .map((m) => ({
      UID: m.uid,
      FileUID: m.fileUid,
      Type: m.type,
      Src: 'image',
      Name: store.subjects.find((s) => s.uid === m.subjUid)?.name ?? '',
      Review: false,
      Invalid: m.invalid,
      FaceID: m.faceId,
      SubjUID: m.subjUid,
      SubjSrc: m.subjSrc,
      X: m.area.x,
      Y: m.area.y,
      W: m.area.w,
      H: m.area.h,
      Thumb: markerThumb(file, m),
      CreatedAt: goTime(m.createdAtMs),
    }));
}
