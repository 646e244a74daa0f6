import {
  manualAlbum,
  type AlbumRec,
  type CameraRec,
  type FaceRec,
  type FileRec,
  type LabelRec,
  type LensRec,
  type PhotoRec,
  type SubjectRec,
} from './model';
import type { SeededRandom } from './util';
import { makeUid } from './util';

/**
 * The server truth: every photo, file and album, with lookup maps and a version counter.
 * Searches cache their sorted row lists per version, so a mutation must call {@link Store.bump}
 * (all mutations in this folder go through the Store methods or call it themselves).
 */
export class Store {
  /** Photos in ID order (the order they were "indexed"). Deleted photos are removed. */
  photos: PhotoRec[] = [];
  readonly photosByUid = new Map<string, PhotoRec>();
  readonly filesByUid = new Map<string, FileRec>();
  readonly filesByHash = new Map<string, FileRec>();
  readonly albums: AlbumRec[] = [];
  readonly albumsByUid = new Map<string, AlbumRec>();
  readonly labels: LabelRec[] = [];
  /** The `cameras` and `lenses` tables (ID 1 = Unknown in both). */
  readonly cameras: CameraRec[] = [];
  readonly lenses: LensRec[] = [];
  /**
   * People (`subjects` table) and face clusters (`faces` table). Face markers live on the photos
   * (`PhotoRec.markers`, the `markers` rows of their primary files) and point at both. This one
   * model serves photo search, `/subjects`, `/faces`, the config's people and photo details.
   */
  readonly subjects: SubjectRec[] = [];
  readonly faces: FaceRec[] = [];
  /**
   * Hashes of files whose original was removed from disk behind PhotoPrism's back: downloads
   * answer 404 with the broken icon (PhotoPrism internal/api/download_file.go, GetDownload,
   * `fs.FileExists`). An admin switch (`removeOriginal`).
   */
  readonly missingOriginals = new Set<string>();
  #version = 0;
  #nextAlbumId = 1;
  readonly #rng: SeededRandom;
  readonly #now: () => number;

  constructor(rng: SeededRandom, now: () => number) {
    this.#rng = rng;
    this.#now = now;
  }

  /** Increases whenever anything changes; search caches key on it. */
  get version(): number {
    return this.#version;
  }

  /** Marks the store changed so cached search orders are rebuilt. */
  bump(): void {
    this.#version += 1;
  }

  /** Adds a generated photo and its files to the maps. */
  addPhoto(photo: PhotoRec): void {
    this.photos.push(photo);
    this.photosByUid.set(photo.uid, photo);
    for (const file of photo.files) {
      this.filesByUid.set(file.uid, file);
      this.filesByHash.set(file.hash, file);
    }
  }

  /** Permanently removes photos (batch delete, docs/photoprism-api.md §5). Returns the UIDs that existed. */
  deletePhotos(uids: readonly string[]): string[] {
    const gone = new Set<string>();
    for (const uid of uids) {
      const photo = this.photosByUid.get(uid);
      if (!photo) continue;
      gone.add(uid);
      this.photosByUid.delete(uid);
      for (const file of photo.files) {
        this.filesByUid.delete(file.uid);
        this.filesByHash.delete(file.hash);
      }
      for (const album of this.albums) album.members.delete(uid);
    }
    if (gone.size > 0) {
      this.photos = this.photos.filter((p) => !gone.has(p.uid));
      this.bump();
    }
    return [...gone];
  }

  /** Creates a manual album row with PhotoPrism's defaults (docs/photoprism-api.md §4.3). */
  newAlbum(title: string, slug: string, createdBy: string, favorite: boolean): AlbumRec {
    const nowMs = this.#now();
    const album = manualAlbum({
      id: this.#nextAlbumId,
      uid: makeUid('a', nowMs, this.#rng),
      title,
      slug,
      createdBy,
      createdAtMs: nowMs,
      favorite,
    });
    this.#nextAlbumId += 1;
    this.albums.push(album);
    this.albumsByUid.set(album.uid, album);
    this.bump();
    return album;
  }

  /** Live album (not soft-deleted) by UID. */
  liveAlbum(uid: string): AlbumRec | undefined {
    const album = this.albumsByUid.get(uid);
    return album && album.deletedAtMs === null ? album : undefined;
  }

  /** Visible members of an album that still exist: what `PhotoCount` counts (docs/photoprism-api.md §4.1). */
  visibleMembers(album: AlbumRec): PhotoRec[] {
    const out: PhotoRec[] = [];
    for (const member of album.members.values()) {
      if (member.hidden || member.missing) continue;
      const photo = this.photosByUid.get(member.photoUid);
      if (photo) out.push(photo);
    }
    return out;
  }

  /**
   * Recomputes the album cover like PhotoPrism's cover update: the primary file of the
   * best-quality, most recently taken visible member, skipping private photos (docs/photoprism-api.md §4.8).
   */
  recomputeThumb(album: AlbumRec): void {
    let best: PhotoRec | undefined;
    for (const photo of this.visibleMembers(album)) {
      if (photo.private || photo.deletedAtMs !== null) continue;
      if (!best || photo.quality > best.quality || (photo.quality === best.quality && photo.takenAtMs > best.takenAtMs)) {
        best = photo;
      }
    }
    const primary = best?.files.find((f) => f.primary) ?? best?.files[0];
    album.thumb = primary?.hash ?? '';
    album.thumbSrc = '';
  }

  /** Sets the next album ID after the generator created albums directly. */
  setNextAlbumId(id: number): void {
    this.#nextAlbumId = id;
  }
}
