import {
  manualAlbum,
  type CameraRec,
  type FaceRec,
  type FileRec,
  type LabelRec,
  type LensRec,
  type MarkerRec,
  type PhotoRec,
  type PlaceRec,
  type SubjectRec,
} from './model';
import { addGeneratedAlbums } from './browse-data';
import { Store } from './store';
import { SeededRandom, makeUid, slugify } from './util';

/**
 * Builds a deterministic, plausible PhotoPrism library: ~10 years of photos from a handful of
 * cameras and places, some RAW+JPEG / Live / video photos with two files (so merged search rows
 * exist), some favourites, private and archived photos, photos waiting in Review (quality 0–2),
 * broken ones (quality -1, primary file with an indexing error), and manual albums with members.
 * It must stay fast: 100 000 photos in about a second, so it avoids per-photo hashing.
 */

/** What the generator needs; mirrors the public emulator options. */
export interface LibraryOptions {
  photos: number;
  albums: number;
  seed: number;
  nowMs: number;
  ownerUid: string;
}

const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

const UNKNOWN_CAMERA: CameraRec = { id: 1, slug: 'zz', name: 'Unknown', make: '', model: 'Unknown', type: '' };
const CAMERAS: readonly CameraRec[] = [
  UNKNOWN_CAMERA,
  { id: 2, slug: 'apple-iphone-13-pro', name: 'Apple iPhone 13 Pro', make: 'Apple', model: 'iPhone 13 Pro', type: 'phone' },
  { id: 3, slug: 'canon-eos-6d', name: 'Canon EOS 6D', make: 'Canon', model: 'EOS 6D', type: '' },
  { id: 4, slug: 'sony-ilce-7m3', name: 'Sony ILCE-7M3', make: 'Sony', model: 'ILCE-7M3', type: '' },
  { id: 5, slug: 'fujifilm-x-t3', name: 'Fujifilm X-T3', make: 'Fujifilm', model: 'X-T3', type: '' },
  { id: 6, slug: 'google-pixel-7', name: 'Google Pixel 7', make: 'Google', model: 'Pixel 7', type: 'phone' },
];
const KNOWN_CAMERAS = CAMERAS.slice(1);
const UNKNOWN_LENS: LensRec = { id: 1, slug: 'zz', name: 'Unknown', make: '', model: 'Unknown', type: '' };
const LENSES: readonly LensRec[] = [
  UNKNOWN_LENS,
  { id: 2, slug: 'ef24-105mm-f-4l-is-usm', name: 'EF24-105mm f/4L IS USM', make: 'Canon', model: 'EF24-105mm f/4L IS USM', type: '' },
  { id: 3, slug: 'fe-35mm-f1-8', name: 'FE 35mm F1.8', make: 'Sony', model: 'FE 35mm F1.8', type: '' },
  { id: 4, slug: 'xf23mmf2-r-wr', name: 'XF23mmF2 R WR', make: 'Fujifilm', model: 'XF23mmF2 R WR', type: '' },
];
const UNKNOWN_PLACE: PlaceRec = {
  placeId: 'zz',
  label: 'Unknown',
  district: '',
  city: 'Unknown',
  state: 'Unknown',
  country: 'zz',
  lat: 0,
  lng: 0,
  timeZone: '',
  cellId: 'zz',
};
const PLACES: readonly PlaceRec[] = [
  {
    placeId: 'de:HFqPHxa2Hsol',
    label: 'Berlin, Germany',
    district: 'Mitte',
    city: 'Berlin',
    state: 'Berlin',
    country: 'de',
    lat: 52.52,
    lng: 13.405,
    timeZone: 'Europe/Berlin',
    cellId: 's2:47a85a622504',
  },
  {
    placeId: 'fr:8P1ZkfDyt0dq',
    label: 'Paris, France',
    district: '1er',
    city: 'Paris',
    state: 'Île-de-France',
    country: 'fr',
    lat: 48.8566,
    lng: 2.3522,
    timeZone: 'Europe/Paris',
    cellId: 's2:47e66e2b1c6c',
  },
  {
    placeId: 'us:M7sUk3nvIYPd',
    label: 'New York, USA',
    district: 'Manhattan',
    city: 'New York',
    state: 'New York',
    country: 'us',
    lat: 40.7128,
    lng: -74.006,
    timeZone: 'America/New_York',
    cellId: 's2:89c25a1a3d44',
  },
  {
    placeId: 'jp:cm0qy2xaVXcu',
    label: 'Tokyo, Japan',
    district: 'Chiyoda',
    city: 'Tokyo',
    state: 'Tokyo',
    country: 'jp',
    lat: 35.6762,
    lng: 139.6503,
    timeZone: 'Asia/Tokyo',
    cellId: 's2:60188b0c2f8c',
  },
  {
    placeId: 'pt:sV2iZQ0LxI3d',
    label: 'Lisbon, Portugal',
    district: 'Baixa',
    city: 'Lisbon',
    state: 'Lisbon',
    country: 'pt',
    lat: 38.7223,
    lng: -9.1393,
    timeZone: 'Europe/Lisbon',
    cellId: 's2:d19334e2e3a4',
  },
  {
    placeId: 'is:wN8ePuQ2Tf1x',
    label: 'Reykjavík, Iceland',
    district: '',
    city: 'Reykjavík',
    state: 'Capital Region',
    country: 'is',
    lat: 64.1466,
    lng: -21.9426,
    timeZone: 'Atlantic/Reykjavik',
    cellId: 's2:48d674b4b0f4',
  },
  {
    placeId: 'au:Kq6ZrMn0pY5s',
    label: 'Sydney, Australia',
    district: 'The Rocks',
    city: 'Sydney',
    state: 'New South Wales',
    country: 'au',
    lat: -33.8688,
    lng: 151.2093,
    timeZone: 'Australia/Sydney',
    cellId: 's2:6b12ae3f5f1c',
  },
];
const TZ_OFFSET_H: Record<string, number> = {
  'Europe/Berlin': 1,
  'Europe/Paris': 1,
  'America/New_York': -5,
  'Asia/Tokyo': 9,
  'Europe/Lisbon': 0,
  'Atlantic/Reykjavik': 0,
  'Australia/Sydney': 10,
};
const LABEL_NAMES = [
  'Beach',
  'Mountain',
  'Cat',
  'Dog',
  'Portrait',
  'Sunset',
  'Food',
  'Building',
  'Forest',
  'Lake',
  'Snow',
  'Flower',
  'Car',
  'Bridge',
  'Street',
  'Party',
  'Bird',
  'Boat',
  'Garden',
  'Museum',
];
const ALBUM_TITLES = [
  'Summer Holidays',
  'Family',
  'Christmas',
  'Road Trip',
  'Best of',
  'Wedding',
  'Hiking',
  'City Breaks',
  'Pets',
  'Birthday Party',
  'Weekend in Lisbon',
  'Iceland',
  'Food & Drinks',
  'Architecture',
  'Sunsets',
  'Garden',
  'Concerts',
  'Winter',
  'School',
  'Friends',
];
const EXPOSURES = ['1/30', '1/60', '1/125', '1/250', '1/500', '1/1000', '1/4000'];
const FNUMBERS = [1.8, 2, 2.8, 4, 5.6, 8, 11];
const FOCALS = [16, 24, 26, 35, 50, 85, 105];
const DIMENSIONS: ReadonlyArray<readonly [number, number]> = [
  [4032, 3024],
  [3024, 4032],
  [6000, 4000],
  [4000, 6000],
  [5472, 3648],
  [4000, 3000],
  [1920, 1080],
];
/** A phone panorama (about 4:1) and a square crop: the shapes a viewer must also letterbox. */
const PANORAMA: readonly [number, number] = [12000, 3000];
const SQUARE: readonly [number, number] = [3024, 3024];
/**
 * Every PANORAMA_EVERY-th image is a panorama and every SQUARE_EVERY-th a square, chosen by ID
 * rather than by a random draw, so a seed keeps the rest of its library (UIDs, hashes, flags).
 */
const PANORAMA_EVERY = 17;
const SQUARE_EVERY = 19;

/** The photo's pixel size: the drawn one, or a panorama or square for some images. */
function shapeFor(id: number, kind: MediaKind, drawn: readonly [number, number]): readonly [number, number] {
  if (kind !== 'image') return drawn;
  if (id % PANORAMA_EVERY === 0) return PANORAMA;
  if (id % SQUARE_EVERY === 0) return SQUARE;
  return drawn;
}

type MediaKind = 'image' | 'raw' | 'live' | 'video';

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Builds a fresh Store holding the generated library. */
export function generateLibrary(options: LibraryOptions, rng: SeededRandom, now: () => number): Store {
  const store = new Store(rng, now);
  const nowMs = options.nowMs;
  const labels: LabelRec[] = LABEL_NAMES.map((name, i) => ({
    id: i + 1,
    uid: makeUid('l', nowMs - 3 * YEAR_MS + i * DAY_MS, rng),
    slug: slugify(name),
    name,
    priority: 0,
    createdAtMs: nowMs - 3 * YEAR_MS + i * DAY_MS,
  }));
  store.labels.push(...labels);
  store.cameras.push(...CAMERAS);
  store.lenses.push(...LENSES);

  const count = Math.max(0, Math.min(100_000, Math.floor(options.photos)));
  // Indexing happened over the last ~3 years (UIDs must encode a time after 2017), in ID order;
  // taken dates are spread over ~10 years, so "newest indexed" and "newest taken" differ.
  const indexStartMs = nowMs - 3 * YEAR_MS;
  const indexSpanMs = 3 * YEAR_MS - DAY_MS;
  let fileId = 1;
  for (let i = 0; i < count; i += 1) {
    const id = i + 1;
    const createdAtMs = Math.floor(indexStartMs + (indexSpanMs * i) / Math.max(1, count)) + rng.int(0, 59) * 1000;
    const takenAtMs = Math.floor(nowMs - 10 * YEAR_MS + rng.next() * (10 * YEAR_MS - 2 * DAY_MS));
    const roll = rng.next();
    const kind: MediaKind = roll < 0.83 ? 'image' : roll < 0.91 ? 'raw' : roll < 0.96 ? 'live' : 'video';
    const hasPlace = rng.chance(0.75);
    const place = hasPlace ? rng.pick(PLACES) : UNKNOWN_PLACE;
    const camera = rng.chance(0.9) ? rng.pick(KNOWN_CAMERAS) : UNKNOWN_CAMERA;
    const lens = camera.type === 'phone' || camera.id === 1 ? UNKNOWN_LENS : rng.pick(LENSES);
    const label = rng.pick(labels);
    const offsetH = TZ_OFFSET_H[place.timeZone] ?? 0;
    const takenAtLocalMs = takenAtMs + offsetH * 3_600_000;
    const local = new Date(takenAtLocalMs);
    const year = local.getUTCFullYear();
    const month = local.getUTCMonth() + 1;
    const day = local.getUTCDate();
    const base = `${year}${pad(month)}${pad(day)}_${pad(local.getUTCHours())}${pad(local.getUTCMinutes())}${pad(local.getUTCSeconds())}_${rng.base36(8).toUpperCase()}`;
    const path = `${year}/${pad(month)}`;
    const [w, h] = shapeFor(id, kind, rng.pick(DIMENSIONS));
    // Every 23rd photo waits in Review and every 97th (if a plain one-file image) is broken.
    // Derived from the ID, not drawn, so a seed keeps the library it always had (same draws in
    // the same order). A one-file broken photo has no row search lists by default.
    const broken = id % 97 === 0 && kind === 'image';
    const drawnQuality = rng.int(3, 7);
    const quality = broken ? -1 : id % 23 === 0 ? id % 3 : drawnQuality;
    const favorite = rng.chance(0.08);
    const isPrivate = rng.chance(0.04);
    const archived = rng.chance(0.03);
    const uid = makeUid('p', createdAtMs, rng);
    const title = hasPlace ? `${label.name} / ${place.city} / ${year}` : `${label.name} / ${year}`;
    const photo: PhotoRec = {
      id,
      uid,
      type: kind,
      typeSrc: '',
      takenAtMs,
      takenAtLocalMs,
      takenSrc: rng.chance(0.9) ? 'meta' : 'name',
      timeZone: place.timeZone,
      title,
      titleSrc: 'auto',
      description: '',
      descriptionSrc: '',
      path,
      name: base,
      originalName: '',
      stack: 0,
      favorite,
      private: isPrivate,
      scan: false,
      // Wider than 1.9:1 (PhotoPrism internal/entity/file.go, File.Panorama).
      panorama: w > 1000 && h > 500 && w / h > 1.9,
      place,
      placeSrc: hasPlace ? 'meta' : '',
      cellAccuracy: 0,
      altitude: hasPlace ? rng.int(0, 300) : 0,
      lat: place.lat,
      lng: place.lng,
      country: place.country,
      year,
      month,
      day,
      iso: rng.pick([50, 100, 200, 400, 800, 1600]),
      exposure: rng.pick(EXPOSURES),
      fNumber: rng.pick(FNUMBERS),
      focalLength: rng.pick(FOCALS),
      quality,
      resolution: Math.round((w * h) / 1_000_000),
      color: rng.int(0, 12),
      camera,
      cameraSerial: '',
      cameraSrc: camera.id === 1 ? '' : 'meta',
      lens,
      durationNs: kind === 'video' ? rng.int(3, 120) * 1_000_000_000 : kind === 'live' ? 3_000_000_000 : 0,
      labels: [label],
      faces: 0,
      markers: [],
      details: {
        keywords: `${label.slug}, ${place.city.toLowerCase()}`,
        keywordsSrc: 'auto',
        notes: '',
        notesSrc: '',
        subject: '',
        subjectSrc: '',
        artist: '',
        artistSrc: '',
        copyright: '',
        copyrightSrc: '',
        license: '',
        licenseSrc: '',
        software: '',
        softwareSrc: '',
      },
      createdAtMs,
      updatedAtMs: createdAtMs,
      editedAtMs: null,
      checkedAtMs: createdAtMs,
      deletedAtMs: archived ? createdAtMs + DAY_MS : null,
      files: [],
    };
    const makeFile = (name: string, root: '/' | 'sidecar', primary: boolean, kind: FileKind, sizeBytes: number): FileRec => {
      const file = newFile(photo, fileId, name, root, primary, kind, sizeBytes, w, h, rng);
      fileId += 1;
      return file;
    };
    const jpegSize = rng.int(1_500_000, 9_000_000);
    if (kind === 'image') {
      photo.files.push(makeFile(`${path}/${base}.jpg`, '/', true, FILE_KINDS.jpg, jpegSize));
    } else if (kind === 'raw') {
      photo.files.push(
        makeFile(`${path}/${base}.cr2.jpg`, 'sidecar', true, FILE_KINDS.jpg, jpegSize),
        makeFile(`${path}/${base}.cr2`, '/', false, FILE_KINDS.raw, rng.int(20_000_000, 30_000_000)),
      );
    } else if (kind === 'live') {
      photo.files.push(
        makeFile(`${path}/${base}.heic`, '/', true, FILE_KINDS.heic, jpegSize),
        makeFile(`${path}/${base}.mov`, '/', false, FILE_KINDS.mov, rng.int(2_000_000, 6_000_000)),
      );
    } else {
      photo.files.push(
        makeFile(`${path}/${base}.mp4.jpg`, 'sidecar', true, FILE_KINDS.jpg, rng.int(200_000, 800_000)),
        makeFile(`${path}/${base}.mp4`, '/', false, FILE_KINDS.mp4, rng.int(10_000_000, 200_000_000)),
      );
    }
    // Search rows list the primary file first, then the rest by file UID (docs/photoprism-api.md §2.2).
    const [primaryFile, ...rest] = photo.files;
    // A broken photo is one whose primary file failed to index (PhotoPrism
    // internal/entity/query/photo.go, FlagHiddenPhotos: primary file with file_error → quality -1).
    if (primaryFile && broken) primaryFile.error = 'failed to decode image';
    if (primaryFile) photo.files = [primaryFile, ...rest.sort((a, b) => (a.uid < b.uid ? -1 : 1))];
    store.addPhoto(photo);
  }

  addSecondLabels(store.photos, labels);
  addPeople(store, options);
  addStacks(store, options, fileId);

  const albumCount = Math.max(0, Math.floor(options.albums));
  const albumStartMs = nowMs - 2 * YEAR_MS;
  for (let i = 0; i < albumCount; i += 1) {
    const baseTitle = ALBUM_TITLES[i % ALBUM_TITLES.length] ?? 'Album';
    const round = Math.floor(i / ALBUM_TITLES.length);
    const title = round === 0 ? baseTitle : `${baseTitle} ${round + 1}`;
    const createdAtMs = albumStartMs + i * 7 * DAY_MS + rng.int(0, 3600) * 1000;
    // Draw from the generator in the same order as always, so a seed keeps its library.
    const uid = makeUid('a', createdAtMs, rng);
    const category = rng.chance(0.3) ? 'Travel' : '';
    const description = rng.chance(0.5) ? `Photos of ${title.toLowerCase()}.` : '';
    const album = manualAlbum({
      id: i + 1,
      uid,
      title,
      slug: slugify(title),
      createdBy: options.ownerUid,
      createdAtMs,
      favorite: i % 4 === 1,
      category,
      description,
    });
    const want = Math.min(count, rng.int(3, 60));
    for (let k = 0; k < want * 3 && album.members.size < want; k += 1) {
      const photo = store.photos[rng.int(0, count - 1)];
      if (!photo || album.members.has(photo.uid)) continue;
      album.members.set(photo.uid, {
        photoUid: photo.uid,
        order: 0,
        // Archiving hides the photo in every album (docs/photoprism-api.md §5), so archived members are hidden.
        hidden: photo.deletedAtMs !== null,
        missing: false,
        createdAtMs,
        updatedAtMs: createdAtMs,
      });
    }
    store.albums.push(album);
    store.albumsByUid.set(album.uid, album);
    store.recomputeThumb(album);
  }
  addGeneratedAlbums(store, options.seed, nowMs);
  store.setNextAlbumId(store.albums.reduce((max, a) => Math.max(max, a.id), 0) + 1);
  return store;
}

/** The people the generator recognises in photos (subjects with names). */
const PEOPLE_NAMES = ['Jane Doe', 'John Doe', 'Ana Silva', 'Kenji Sato', 'Marie Dubois', "Liam O'Brien"];
/** Every LABEL_EVERY-th photo gets a second label (derived from the ID, not drawn). */
const SECOND_LABEL_EVERY = 5;

/**
 * Gives some photos a second label, so `label:a&b` style searches have something to find.
 * Derived from the photo ID, so the main draws (and every seed's library) stay as they were.
 */
function addSecondLabels(photos: readonly PhotoRec[], labels: readonly LabelRec[]): void {
  for (const photo of photos) {
    if (photo.id % SECOND_LABEL_EVERY !== 0) continue;
    const second = labels[(photo.id * 7) % labels.length];
    if (second && !photo.labels.includes(second)) photo.labels.push(second);
  }
}

/** Unnamed face clusters PhotoPrism lists under People → New; unassigned markers join one of them. */
const NEW_FACE_CLUSTERS = 2;

/**
 * People: named subjects, their face clusters, and face markers on ~12% of the images (a few of
 * them unassigned "new" faces, in one of the unnamed clusters). A separate generator derived from
 * the seed draws them, so adding people did not change any photo, file or album a seed produced
 * before. This is the emulator's only people model: search, `/subjects`, `/faces`, the config
 * and photo details all read it (people.ts).
 */
function addPeople(store: Store, options: LibraryOptions): void {
  const rng = new SeededRandom(options.seed * 7919 + 104_729);
  const createdAtMs = options.nowMs - 2 * YEAR_MS;
  const subjects: SubjectRec[] = PEOPLE_NAMES.map((name, i) => ({
    id: i + 1,
    uid: makeUid('j', createdAtMs + i * DAY_MS, rng),
    type: 'person',
    slug: slugify(name),
    name,
    alias: '',
    favorite: i === 0,
    hidden: false,
    private: false,
    excluded: false,
    createdAtMs: createdAtMs + i * DAY_MS,
    updatedAtMs: createdAtMs + i * DAY_MS,
  }));
  store.subjects.push(...subjects);
  // One face cluster per person and a few nobody named yet (32 base32-like characters like
  // PhotoPrism's face IDs; internal/entity/face.go, Face.SetEmbeddings).
  const named: FaceRec[] = subjects.map((s) => ({
    id: rng.base36(32).toUpperCase(),
    subjUid: s.uid,
    samples: 0,
    createdAtMs: s.createdAtMs,
  }));
  const unnamed: FaceRec[] = Array.from({ length: NEW_FACE_CLUSTERS }, (_, i) => ({
    id: rng.base36(32).toUpperCase(),
    subjUid: '',
    samples: 0,
    createdAtMs: options.nowMs - (30 - i * 10) * DAY_MS,
  }));
  store.faces.push(...named, ...unnamed);
  for (const photo of store.photos) {
    if (photo.type === 'video' || !rng.chance(0.12)) continue;
    const primary = photo.files[0];
    if (!primary) continue;
    const faces = rng.int(1, 3);
    const markers: MarkerRec[] = [];
    const seen = new Set<number>();
    for (let k = 0; k < faces; k += 1) {
      const who = rng.int(0, subjects.length - 1);
      // A face nobody was assigned to yet (~15%), or the same person twice, stays a "new" face.
      const assigned = !seen.has(who) && rng.chance(0.85);
      seen.add(who);
      const subject = subjects[who];
      const face = assigned ? named[who] : unnamed[(photo.id + k) % unnamed.length];
      if (face) face.samples += 1;
      markers.push({
        uid: makeUid('m', photo.createdAtMs, rng),
        fileUid: primary.uid,
        type: 'face',
        faceId: face?.id ?? '',
        subjUid: assigned && subject ? subject.uid : '',
        subjSrc: assigned ? 'manual' : '',
        invalid: false,
        // Side by side across the upper half, derived from the position (no draw).
        area: { x: 0.1 + k * 0.3, y: 0.2, w: 0.2, h: 0.3 },
        createdAtMs: photo.createdAtMs,
      });
    }
    photo.faces = faces;
    photo.markers = markers;
  }
}

/** Every STACK_EVERY-th plain image is a stack (derived from the ID, not drawn). */
const STACK_EVERY = 29;

/**
 * Stacks: some images also have an edited copy, `<name> (1).jpg`, which PhotoPrism's indexer
 * stacks with the original (same base name; internal/photoprism/mediafile_related.go), so the
 * photo has two JPEGs and shows as a stack (stacks.ts). A generator of their own draws them.
 */
function addStacks(store: Store, options: LibraryOptions, firstFileId: number): void {
  const rng = new SeededRandom(options.seed * 7919 + 300_007);
  let fileId = firstFileId;
  for (const photo of store.photos) {
    const primary = photo.files[0];
    if (photo.id % STACK_EVERY !== 0 || photo.type !== 'image' || !primary || primary.error !== '') continue;
    const copy = newFile(
      photo,
      fileId,
      `${photo.path}/${photo.name} (1).jpg`,
      '/',
      false,
      FILE_KINDS.jpg,
      primary.size,
      primary.width,
      primary.height,
      rng,
    );
    fileId += 1;
    photo.files = [primary, ...[...photo.files.slice(1), copy].sort((a, b) => (a.uid < b.uid ? -1 : 1))];
    store.filesByUid.set(copy.uid, copy);
    store.filesByHash.set(copy.hash, copy);
  }
}

const HEX_PAIRS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** 40 hex chars from the seeded generator; cheaper than hashing 100k strings. */
function randomSha1(rng: SeededRandom): string {
  const parts: string[] = [];
  for (let i = 0; i < 20; i += 1) parts.push(HEX_PAIRS[Math.floor(rng.next() * 256)] ?? '00');
  return parts.join('');
}

interface FileKind {
  fileType: string;
  mediaType: string;
  mime: string;
  video: boolean;
}
const FILE_KINDS = {
  jpg: { fileType: 'jpg', mediaType: 'image', mime: 'image/jpeg', video: false },
  raw: { fileType: 'raw', mediaType: 'raw', mime: 'image/x-canon-cr2', video: false },
  heic: { fileType: 'heic', mediaType: 'image', mime: 'image/heic', video: false },
  mov: { fileType: 'mov', mediaType: 'video', mime: 'video/quicktime', video: true },
  mp4: { fileType: 'mp4', mediaType: 'video', mime: 'video/mp4', video: true },
} as const satisfies Record<string, FileKind>;
const MAIN_COLORS = ['blue', 'green', 'grey', 'orange', 'white', 'black'];

function newFile(
  photo: PhotoRec,
  id: number,
  name: string,
  root: '/' | 'sidecar',
  primary: boolean,
  kind: FileKind,
  sizeBytes: number,
  w: number,
  h: number,
  rng: SeededRandom,
): FileRec {
  return {
    id,
    uid: makeUid('f', photo.createdAtMs, rng),
    photo,
    name,
    root,
    hash: randomSha1(rng),
    size: sizeBytes,
    primary,
    fileType: kind.fileType,
    mediaType: kind.mediaType,
    mime: kind.mime,
    codec: kind.video ? 'avc1' : kind.fileType === 'jpg' ? 'jpeg' : '',
    video: kind.video,
    durationNs: kind.video ? photo.durationNs : 0,
    width: w,
    height: h,
    orientation: 1,
    mainColor: rng.pick(MAIN_COLORS),
    error: '',
    createdAtMs: photo.createdAtMs,
    updatedAtMs: photo.createdAtMs,
  };
}
