/**
 * The emulator's in-memory records. They mirror PhotoPrism's database rows (entity.Photo,
 * entity.File, entity.Album, photos_albums) closely enough that the JSON encoders in json.ts can
 * reproduce the wire shapes of docs/photoprism-api.md §2.5, docs/photoprism-api.md §2.6 and docs/photoprism-api.md §4.
 */

/** A camera row (`cameras` table); ID 1 is PhotoPrism's "Unknown" camera. */
export interface CameraRec {
  id: number;
  slug: string;
  name: string;
  make: string;
  model: string;
  type: string;
}

/** A lens row (`lenses` table); ID 1 is the unknown lens. */
export interface LensRec {
  id: number;
  slug: string;
  name: string;
  make: string;
  model: string;
  type: string;
}

/** A place (`places` table); `zz` is the unknown place. */
export interface PlaceRec {
  placeId: string;
  label: string;
  district: string;
  city: string;
  state: string;
  country: string;
  lat: number;
  lng: number;
  timeZone: string;
  cellId: string;
}

/** A label (`labels` table). */
export interface LabelRec {
  id: number;
  uid: string;
  slug: string;
  name: string;
  priority: number;
  createdAtMs: number;
}

/**
 * A person (`subjects` table, subj_type "person"). Search matches `person:`/`subject:` against
 * `subj_slug` and `people:`/`subjects:` against `subj_name`/`subj_alias`
 * (PhotoPrism internal/entity/search/photos.go, searchPhotos: "Filter for one or more subjects").
 */
export interface SubjectRec {
  id: number;
  /** `j…` UID (PhotoPrism internal/entity/subject.go, NewSubject: rnd.GenerateUID(SubjUID)). */
  uid: string;
  type: 'person';
  slug: string;
  name: string;
  alias: string;
  favorite: boolean;
  hidden: boolean;
  private: boolean;
  excluded: boolean;
  createdAtMs: number;
  updatedAtMs: number;
}

/**
 * A face marker (`markers` table, marker_type "face") on a photo's primary file. A marker with a
 * face cluster but no subject is a "new" face (`face:new`); search ignores invalid markers
 * (PhotoPrism internal/entity/search/photos.go, searchPhotos: `m.marker_invalid = 0`).
 */
export interface MarkerRec {
  uid: string;
  fileUid: string;
  type: 'face';
  /** The face cluster ID (32 base32 characters), '' if not clustered yet. */
  faceId: string;
  /** '' when nobody was assigned yet. */
  subjUid: string;
  subjSrc: '' | 'manual';
  invalid: boolean;
  /** The face's area, relative to the image (0–1), as `X`, `Y`, `W`, `H` of the marker. */
  area: { x: number; y: number; w: number; h: number };
  createdAtMs: number;
}

/**
 * A face cluster (`faces` table, PhotoPrism internal/entity/face.go, Face): markers of one
 * person's face point at it by `faceId`. `subjUid` '' = nobody named it yet (People → New).
 */
export interface FaceRec {
  /** 32 base32 characters like PhotoPrism's face IDs. */
  id: string;
  subjUid: string;
  /** Embeddings the cluster was built from (`Samples`). */
  samples: number;
  createdAtMs: number;
}

/** A file row (`files` table). One photo has one or more files; search rows are files. */
export interface FileRec {
  id: number;
  uid: string;
  photo: PhotoRec;
  name: string;
  root: '/' | 'sidecar';
  hash: string;
  size: number;
  primary: boolean;
  fileType: string;
  mediaType: string;
  mime: string;
  codec: string;
  video: boolean;
  durationNs: number;
  width: number;
  height: number;
  orientation: number;
  mainColor: string;
  /**
   * `files.file_error`: why indexing failed ('' = fine). Search skips such rows unless
   * `hidden`/`error` is asked for (PhotoPrism internal/entity/search/photos.go, searchPhotos).
   */
  error: string;
  createdAtMs: number;
  updatedAtMs: number;
}

/** A photo row (`photos` table) plus its details and relations. */
export interface PhotoRec {
  id: number;
  uid: string;
  type: string;
  typeSrc: string;
  takenAtMs: number;
  takenAtLocalMs: number;
  takenSrc: string;
  timeZone: string;
  title: string;
  titleSrc: string;
  description: string;
  descriptionSrc: string;
  path: string;
  name: string;
  originalName: string;
  stack: number;
  favorite: boolean;
  private: boolean;
  scan: boolean;
  panorama: boolean;
  place: PlaceRec;
  placeSrc: string;
  cellAccuracy: number;
  altitude: number;
  lat: number;
  lng: number;
  country: string;
  year: number;
  month: number;
  day: number;
  iso: number;
  exposure: string;
  fNumber: number;
  focalLength: number;
  /**
   * `photo_quality`: 3+ shows in the library, 0–2 waits in Review, -1 is hidden (a broken
   * primary file; PhotoPrism internal/entity/query/photo.go, FlagHiddenPhotos).
   */
  quality: number;
  resolution: number;
  color: number;
  camera: CameraRec;
  cameraSerial: string;
  cameraSrc: string;
  lens: LensRec;
  durationNs: number;
  labels: LabelRec[];
  /**
   * `photo_faces`: how many faces were detected (what `faces:yes`/`faces:N` filter on).
   * Set with `markers` by the generator's people pass.
   */
  faces: number;
  /** Face markers on the primary file (see MarkerRec). */
  markers: MarkerRec[];
  details: {
    keywords: string;
    keywordsSrc: string;
    notes: string;
    notesSrc: string;
    subject: string;
    subjectSrc: string;
    artist: string;
    artistSrc: string;
    copyright: string;
    copyrightSrc: string;
    license: string;
    licenseSrc: string;
    software: string;
    softwareSrc: string;
  };
  createdAtMs: number;
  updatedAtMs: number;
  editedAtMs: number | null;
  checkedAtMs: number | null;
  deletedAtMs: number | null;
  /** Primary file first, then the others by file UID (the order of search rows). */
  files: FileRec[];
}

/** A `photos_albums` row. Removal only sets `hidden` (docs/photoprism-api.md §4.7). */
export interface MemberRec {
  photoUid: string;
  order: number;
  hidden: boolean;
  missing: boolean;
  createdAtMs: number;
  updatedAtMs: number;
}

/** An album row (`albums` table) with its membership rows. */
export interface AlbumRec {
  id: number;
  uid: string;
  parentUid: string;
  slug: string;
  path: string;
  type: string;
  title: string;
  location: string;
  category: string;
  caption: string;
  description: string;
  notes: string;
  filter: string;
  order: string;
  template: string;
  state: string;
  country: string;
  year: number;
  month: number;
  day: number;
  favorite: boolean;
  private: boolean;
  thumb: string;
  thumbSrc: string;
  createdBy: string;
  createdAtMs: number;
  updatedAtMs: number;
  deletedAtMs: number | null;
  /** Keyed by photo UID, in insertion order. */
  members: Map<string, MemberRec>;
}

/**
 * A manual album with PhotoPrism's defaults for every field a client cannot set at creation
 * (docs/photoprism-api.md §4.3). The generator and `POST /albums` both build albums through this.
 */
export function manualAlbum(fields: {
  id: number;
  uid: string;
  title: string;
  slug: string;
  createdBy: string;
  createdAtMs: number;
  favorite: boolean;
  category?: string;
  description?: string;
}): AlbumRec {
  return {
    id: fields.id,
    uid: fields.uid,
    parentUid: '',
    slug: fields.slug,
    path: '',
    type: 'album',
    title: fields.title,
    location: '',
    category: fields.category ?? '',
    caption: '',
    description: fields.description ?? '',
    notes: '',
    filter: '',
    order: 'oldest',
    template: '',
    state: '',
    country: 'zz',
    year: 0,
    month: 0,
    day: 0,
    favorite: fields.favorite,
    private: false,
    thumb: '',
    thumbSrc: '',
    createdBy: fields.createdBy,
    createdAtMs: fields.createdAtMs,
    updatedAtMs: fields.createdAtMs,
    deletedAtMs: null,
    members: new Map(),
  };
}
