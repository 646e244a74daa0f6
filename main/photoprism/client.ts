import { z } from 'zod';
import type { Readable } from 'node:stream';
import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import type { DeviceLists, LibraryFeatures } from './schemas';
import {
  AlbumEntity,
  AlbumPhotosResponse,
  ClientConfig,
  ErrorBody,
  EditablePhotoEntity,
  I18nMessage,
  LibraryConfig,
  LikeResponse,
  PhotoDetailEntity,
  PhotoEntity,
  SearchAlbums,
  SearchLabels,
  SearchSubjects,
  SearchPhotos,
  SessionResponse,
  StatusResponse,
  type SearchAlbum,
  type SearchLabel,
  type SearchSubject,
  type SearchPhoto,
} from './schemas';
import type { CertificateInfo } from './tls-trust';
import {
  RESPONSE_LIMITS,
  responseText,
  TransportError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type StreamBody,
} from './transport';

/**
 * [Note: Originals travel uncompressed]
 * An original is asked for with `Accept-Encoding: identity`. PhotoPrism's gzip middleware does
 * not exclude `/api/v1/dl/:hash` (no media extension in the path), so with
 * `--http-compression gzip` it would deflate every JPEG, RAW and video as it sends it
 * (PhotoPrism internal/server/start.go, Start: gzip.WithExcludedPaths). That saves no bytes on
 * already compressed media, costs the server and us CPU on every byte, and hides the size
 * (no Content-Length). See docs/photoprism-api.md §0 (Compression).
 */
const ORIGINAL_UNCOMPRESSED = { 'accept-encoding': 'identity' } as const;

/** A TLS failure caused by a certificate the user could choose to trust. */
export class UntrustedCertificateError extends AppError {
  readonly certificate: CertificateInfo;

  constructor(message: string, certificate: CertificateInfo) {
    super('tls', message);
    this.certificate = certificate;
  }
}

/** What an upload call answered: ok, or the server's refusal with its status and message. */
export type UploadAnswer =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: number; readonly serverError: string; readonly appError: PhotoPrismHttpError };

/** An HTTP status we could not turn into success; carries the status for callers that care. */
export class PhotoPrismHttpError extends AppError {
  readonly status: number;
  /** The server's own `error` text (English), for callers that tell refusals apart by it (uploads). */
  serverError = '';

  constructor(kind: AppError['kind'], message: string, status: number) {
    super(kind, message);
    this.status = status;
  }
}

/**
 * A 3xx answer. Never followed: a redirect could carry the token or the password to another
 * host. Callers that care (probe, sign-in) turn it into advice; see [Note: Redirects].
 */
export class PhotoPrismRedirectError extends PhotoPrismHttpError {
  /** The absolute target, or null when the server sent no usable Location. */
  readonly location: string | null;

  constructor(message: string, status: number, location: string | null) {
    super('server', message, status);
    this.location = location;
  }
}

/** What a successful sign-in or session check tells us. */
export interface SessionInfo {
  /** The token for later requests (a 48-hex session token). Never logged, never sent to the renderer. */
  readonly accessToken: string;
  readonly userName: string;
  readonly role: string;
  /** The user's UID (`u…`): upload paths name it (docs/photoprism-api.md §6.5); '' when the server sent none. */
  readonly userUid: string;
  /** `application` when the password was an app password (PhotoPrism 240420+, docs/photoprism-api.md §1.6). */
  readonly provider: string;
  /** For thumbnail URLs (docs/photoprism-api.md §1.8); null if the server sent none. */
  readonly previewToken: string | null;
  /** For originals, `GET /api/v1/dl/:hash?t=` (PhotoPrism internal/config/client_config.go, ClientSession); null if none. */
  readonly downloadToken: string | null;
  readonly serverVersion: string | null;
  /** Seconds until the session expires; null = unknown or never. */
  readonly expiresInSecs: number | null;
}

/** The client config's parts the library needs: its feature switches and counts (`libraryFeatures`). */
export interface LibraryConfigAnswer {
  readonly features: LibraryFeatures;
  readonly total: number | null;
  readonly all: number | null;
  /** The cameras and lenses a photo may be set to; null when the config lists none (docs/photoprism-api.md §9.1). */
  readonly devices: DeviceLists | null;
}

/** A new session, with the library's part of the client config its answer carried (null when unreadable). */
export interface SignInInfo extends SessionInfo {
  readonly libraryConfig: LibraryConfigAnswer | null;
}

/** The `config` of a sign-in answer, read as `libraryFeatures` reads GET /api/v1/config. */
const SessionLibraryConfig = z.object({ config: LibraryConfig });

/** What a probe learns without credentials. */
export interface PublicInfo {
  readonly serverVersion: string | null;
  readonly siteTitle: string | null;
}

export interface SearchPage<T> {
  readonly results: T[];
  /** `X-Count`: file rows (photos) or albums in THIS page, before merging (docs/photoprism-api.md §2.4). */
  readonly count: number;
  /** `X-Limit`: the `count` we asked for. */
  readonly limit: number;
  /** `X-Preview-Token`, when the server sent a fresh one. */
  readonly previewToken: string | null;
}

export type SearchParams = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * Keys of `PUT /photos/:uid` the curation actions send (docs/photoprism-api.md §2.7). A partial update: absent
 * keys keep their stored values. Edited text goes with its `…Src: 'manual'` so PhotoPrism's
 * automatic titles never overwrite what the user typed.
 */
export interface PhotoPatch {
  readonly Title?: string;
  readonly TitleSrc?: 'manual';
  /** Servers before the 2025 rename (docs/photoprism-api.md §9.3). */
  readonly Description?: string;
  readonly DescriptionSrc?: 'manual';
  /** Servers after the 2025 rename. */
  readonly Caption?: string;
  readonly CaptionSrc?: 'manual';
  readonly Favorite?: boolean;
  /** The idempotent way to set the flag: `/batch/photos/private` TOGGLES it (docs/photoprism-api.md §5). */
  readonly Private?: boolean;
  /** Wall-clock time, sent with a `Z` as Go reads it; the server derives `TakenAt` from it and `TimeZone`. */
  readonly TakenAtLocal?: string;
  readonly TimeZone?: string;
  readonly TakenSrc?: 'manual';
  /** With TakenSrc manual, the server keeps these as sent (PhotoPrism internal/entity/photo_datetime.go, UpdateDateFields). */
  readonly Year?: number;
  readonly Month?: number;
  readonly Day?: number;
  readonly Lat?: number;
  readonly Lng?: number;
  readonly Altitude?: number;
  /** Manual place: the server looks the new coordinates up (PhotoPrism internal/entity/photo.go, SavePhotoForm). */
  readonly PlaceSrc?: 'manual';
  /** Lower-case ISO code or `zz`; with coordinates the server's location lookup decides (PhotoPrism internal/entity/photo_location.go, UpdateLocation). */
  readonly Country?: string;
  readonly Type?: string;
  readonly TypeSrc?: 'manual';
  readonly Iso?: number;
  readonly Exposure?: string;
  readonly FNumber?: number;
  readonly FocalLength?: number;
  /** A row of the config's `cameras` / `lenses` (docs/photoprism-api.md §9.1). */
  readonly CameraID?: number;
  readonly LensID?: number;
  /** Set with any exposure value, camera or lens, as PhotoPrism's web UI does (frontend/src/model/photo.js, update). */
  readonly CameraSrc?: 'manual';
  readonly Scan?: boolean;
  readonly Panorama?: boolean;
  /** -1 never stack, 0 default, 1 always (PhotoPrism internal/entity/photo.go, PhotoStack). */
  readonly Stack?: number;
  /** Applied only when `PhotoID` is the photo's numeric ID (docs/photoprism-api.md §2.7). */
  readonly Details?: {
    readonly PhotoID: number;
    readonly Keywords?: string;
    readonly KeywordsSrc?: 'manual';
    readonly Subject?: string;
    readonly SubjectSrc?: 'manual';
    readonly Artist?: string;
    readonly ArtistSrc?: 'manual';
    readonly Copyright?: string;
    readonly CopyrightSrc?: 'manual';
    readonly License?: string;
    readonly LicenseSrc?: 'manual';
    readonly Notes?: string;
    readonly NotesSrc?: 'manual';
  };
}

export interface PhotoPrismClientOptions {
  /** Canonical server URL (see parseServerUrl); the API is under `/api/v1`. */
  readonly baseUrl: string;
  readonly transport: HttpTransport;
  /** The current session token, if signed in. Read per request so a new sign-in applies at once. */
  readonly getToken: () => string | undefined;
  readonly log: Logger;
  readonly timeoutMs?: number;
}

/**
 * The PhotoPrism REST client: one method per endpoint we use, every body parsed with zod.
 *
 * It owns no state beyond its options and never retries: the caller decides (only idempotent
 * reads are retried, and never after a 401 — docs/photoprism-api.md §1.5 lockout). Every failure is an AppError
 * with a kind the UI can act on and a sentence a person can read. See style.md practice 11.
 */
export class PhotoPrismClient {
  readonly #options: PhotoPrismClientOptions;
  readonly #host: string;

  constructor(options: PhotoPrismClientOptions) {
    this.#options = options;
    this.#host = new URL(options.baseUrl).host;
  }

  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  /** `GET /api/v1/status`: is a PhotoPrism answering at all (no credentials). */
  async status(): Promise<void> {
    const res = await this.#send({ method: 'GET', path: '/api/v1/status', auth: false });
    this.#parse(StatusResponse, res, 'status');
  }

  /** `GET /api/v1/config` without a token: version and title for the sign-in form. */
  async publicInfo(): Promise<PublicInfo> {
    const res = await this.#send({ method: 'GET', path: '/api/v1/config', auth: false });
    const config = this.#parse(ClientConfig, res, 'config');
    return { serverVersion: config.version || null, siteTitle: config.siteTitle || config.name || null };
  }

  /**
   * `GET /api/v1/config` WITH the session: the session's client config, of which we read the
   * feature switches that decide what the library shows (PhotoPrism
   * internal/api/api_client_config.go, GetClientConfig → ClientSession).
   */
  async libraryFeatures(): Promise<LibraryConfigAnswer> {
    const res = await this.#send({ method: 'GET', path: '/api/v1/config' });
    const { features, total, all, devices } = this.#parse(LibraryConfig, res, 'config');
    // Unreadable switches fail the call (the caller keeps the last known ones); the counts are a nicety.
    if (!features) throw new AppError('server', `${this.#host} answered with an unexpected config (settings.features).`);
    return { features, total, all, devices };
  }

  /** `POST /api/v1/session` with a password or an app password (and a 2FA code). */
  async login(credentials: { username: string; password: string; code?: string | undefined }): Promise<SignInInfo> {
    const body: Record<string, string> = { username: credentials.username, password: credentials.password };
    if (credentials.code) body['code'] = credentials.code;
    // No auth header: a valid token sent along with credentials would be regenerated (docs/photoprism-api.md §1.2).
    const res = await this.#send({ method: 'POST', path: '/api/v1/session', auth: false, body, context: 'login' });
    const session = this.#sessionInfo(this.#parse(SessionResponse, res, 'session'), undefined);
    // The answer carries the session's client config, as GET /api/v1/config would send it
    // (PhotoPrism internal/api/session_create.go: CreateSessionResponse with conf.ClientSession).
    const { features, total, all, devices } = this.#parse(SessionLibraryConfig, res, 'session').config;
    return { ...session, libraryConfig: features ? { features, total, all, devices } : null };
  }

  /**
   * `GET /api/v1/session`: validate the stored token (the only reliable check, docs/photoprism-api.md §1.3) and get
   * fresh session config (preview token). Servers before 240420 only know `/session/<token>`.
   */
  async session(): Promise<SessionInfo> {
    const token = this.#options.getToken();
    let res: HttpResponse;
    try {
      res = await this.#send({ method: 'GET', path: '/api/v1/session' });
    } catch (error) {
      if (!(error instanceof PhotoPrismHttpError && error.status === 404) || !token) throw error;
      res = await this.#send({ method: 'GET', path: `/api/v1/session/${encodeURIComponent(token)}` });
    }
    return this.#sessionInfo(this.#parse(SessionResponse, res, 'session'), token);
  }

  /**
   * `DELETE /api/v1/session`: end the session on the server (best effort by the caller).
   * Servers up to 231128 only know `DELETE /api/v1/session/<token>` (there the session ID is the
   * token; PhotoPrism 231128 internal/api/session_delete.go, DeleteSession): a 404 tries that.
   */
  async logout(): Promise<void> {
    const token = this.#options.getToken();
    try {
      await this.#send({ method: 'DELETE', path: '/api/v1/session' });
    } catch (error) {
      if (!(error instanceof PhotoPrismHttpError && error.status === 404) || !token) throw error;
      await this.#send({ method: 'DELETE', path: `/api/v1/session/${encodeURIComponent(token)}` });
    }
  }

  /** `GET /api/v1/photos`: one page of file rows (merge them with mergeSearchRows). */
  async searchPhotos(params: SearchParams): Promise<SearchPage<SearchPhoto>> {
    const res = await this.#send({ method: 'GET', path: '/api/v1/photos', query: params });
    return this.#page(this.#parse(SearchPhotos, res, 'photo search'), res);
  }

  /** `GET /api/v1/albums`. */
  async searchAlbums(params: SearchParams): Promise<SearchPage<SearchAlbum>> {
    const res = await this.#send({ method: 'GET', path: '/api/v1/albums', query: params });
    return this.#page(this.#parse(SearchAlbums, res, 'album search'), res);
  }

  /** `GET /api/v1/subjects`: people (docs/photoprism-api.md §12.1). */
  async searchSubjects(params: SearchParams): Promise<SearchPage<SearchSubject>> {
    const res = await this.#send({ method: 'GET', path: '/api/v1/subjects', query: params });
    return this.#page(this.#parse(SearchSubjects, res, 'people search'), res);
  }

  /** `GET /api/v1/labels`; it sends no X-Count, so `count` is the page's length (docs/photoprism-api.md §12.2). */
  async searchLabels(params: SearchParams): Promise<SearchPage<SearchLabel>> {
    const res = await this.#send({ method: 'GET', path: '/api/v1/labels', query: params });
    return this.#page(this.#parse(SearchLabels, res, 'label search'), res);
  }

  /**
   * `GET /api/v1/t/:hash/:previewToken/:size`. Resolves for 200 (which may be an SVG
   * placeholder: check the content type, docs/photoprism-api.md §6.3) and rejects otherwise (403 = stale token).
   */
  async thumbnail(hash: string, previewToken: string, size: string, signal?: AbortSignal): Promise<{ contentType: string; body: Buffer }> {
    const path = `/api/v1/t/${encodeURIComponent(hash)}/${encodeURIComponent(previewToken)}/${encodeURIComponent(size)}`;
    const res = await this.#send({
      method: 'GET',
      path,
      auth: false,
      accept: 'image/*',
      maxBodyBytes: RESPONSE_LIMITS.thumbnailBytes,
      ...(signal ? { signal } : {}),
    });
    return { contentType: res.headers['content-type'] ?? 'application/octet-stream', body: res.body };
  }

  /**
   * `GET /api/v1/videos/:hash/:previewToken/:format`, one byte range (PhotoPrism
   * internal/api/video.go, GetVideo: gin's c.File answers Range with 206 as Go's
   * http.ServeContent does). Asking in bounded ranges keeps every response small, so a long
   * video streams through the same bounded transport as everything else. Rejects for non-2xx.
   */
  async videoRange(
    hash: string,
    previewToken: string,
    format: string,
    range: { readonly start: number; readonly end: number },
  ): Promise<{ status: number; contentType: string; contentRange: string; body: Buffer }> {
    const path = `/api/v1/videos/${encodeURIComponent(hash)}/${encodeURIComponent(previewToken)}/${encodeURIComponent(format)}`;
    const res = await this.#send({
      method: 'GET',
      path,
      auth: false,
      accept: 'video/*',
      headers: { range: `bytes=${range.start}-${range.end}` },
    });
    return {
      status: res.status,
      contentType: res.headers['content-type'] ?? 'application/octet-stream',
      contentRange: res.headers['content-range'] ?? '',
      body: res.body,
    };
  }

  /**
   * `GET /api/v1/dl/:hash?t=<downloadToken>`: one original file (PhotoPrism
   * internal/api/download_file.go, GetDownload). Only a DOWNLOAD token opens it (403 with an
   * SVG otherwise, also for a preview token); an unknown hash or a file gone from disk is 404.
   * Rejects for non-2xx. Bounded like every response (RESPONSE_LIMITS.originalBytes).
   */
  async original(hash: string, downloadToken: string): Promise<{ contentType: string; body: Buffer }> {
    const res = await this.#send({
      method: 'GET',
      path: `/api/v1/dl/${encodeURIComponent(hash)}`,
      query: { t: downloadToken },
      auth: false,
      accept: 'image/*',
      headers: ORIGINAL_UNCOMPRESSED,
      maxBodyBytes: RESPONSE_LIMITS.originalBytes,
    });
    return { contentType: res.headers['content-type'] ?? 'application/octet-stream', body: res.body };
  }

  /** `GET /api/v1/photos/:uid`: one photo with its files, keywords and labels (see PhotoDetailEntity). */
  /**
   * A download streamed to disk (an export): `GET /api/v1/dl/:hash?t=` for one original
   * (PhotoPrism internal/api/download_file.go, GetDownload: c.FileAttachment answers Range with
   * 206 as Go's http.ServeContent does, so a `.part` file continues where it stopped), or
   * `GET /api/v1/albums/:uid/dl?t=` for an album's zip (internal/api/download_album.go,
   * DownloadAlbum: written as it is made, no ranges). Rejects for non-2xx.
   */
  async download(
    target: { readonly kind: 'file'; readonly hash: string } | { readonly kind: 'album'; readonly albumUid: string },
    downloadToken: string,
    options: {
      readonly sink: NonNullable<HttpRequest['sink']>;
      readonly fromByte?: number;
      readonly maxBytes: number;
      readonly signal?: AbortSignal;
      readonly deadlineMs: number;
    },
  ): Promise<{ status: number; headers: Readonly<Record<string, string>> }> {
    const path =
      target.kind === 'file' ? `/api/v1/dl/${encodeURIComponent(target.hash)}` : `/api/v1/albums/${encodeURIComponent(target.albumUid)}/dl`;
    const res = await this.#send({
      method: 'GET',
      path,
      query: { t: downloadToken },
      auth: false,
      accept: '*/*',
      headers: { ...ORIGINAL_UNCOMPRESSED, ...(options.fromByte ? { range: `bytes=${options.fromByte}-` } : {}) },
      maxBodyBytes: options.maxBytes,
      sink: options.sink,
      ...(options.signal ? { signal: options.signal } : {}),
      deadlineMs: options.deadlineMs,
    });
    return { status: res.status, headers: res.headers };
  }

  async photo(uid: string): Promise<PhotoDetailEntity> {
    const res = await this.#send({ method: 'GET', path: `/api/v1/photos/${encodeURIComponent(uid)}` });
    return this.#parse(PhotoDetailEntity, res, 'photo');
  }

  // --- mutations (curation actions, main/actions/) -------------------------------------
  // None of these is retried here: the caller decides, and never retries a non-idempotent one.

  /**
   * `POST /api/v1/photos/:uid/files/:file_uid/primary`: make one file of a stack its primary one
   * (PhotoPrism internal/api/photos.go, PhotoPrimary → internal/entity/query/files.go,
   * SetPhotoPrimary; docs/photoprism-api.md §12.5). Answers the photo with its files.
   */
  async setPrimaryFile(uid: string, fileUid: string): Promise<PhotoDetailEntity> {
    const path = `/api/v1/photos/${encodeURIComponent(uid)}/files/${encodeURIComponent(fileUid)}/primary`;
    return this.#parse(PhotoDetailEntity, await this.#send({ method: 'POST', path }), 'photo');
  }

  /**
   * `POST /api/v1/photos/:uid/files/:file_uid/unstack`: move a file out of a stack into a photo of
   * its own (PhotoPrism internal/api/photo_unstack.go, PhotoUnstack; docs/photoprism-api.md §12.5).
   * Not idempotent and not reversible: the server renames the file. Answers the stack photo.
   */
  async unstackFile(uid: string, fileUid: string): Promise<PhotoDetailEntity> {
    const path = `/api/v1/photos/${encodeURIComponent(uid)}/files/${encodeURIComponent(fileUid)}/unstack`;
    return this.#parse(PhotoDetailEntity, await this.#send({ method: 'POST', path }), 'photo');
  }

  /** `POST /api/v1/photos/:uid/like`: favourite one photo (idempotent, docs/photoprism-api.md §3). */
  async likePhoto(uid: string): Promise<PhotoEntity> {
    const res = await this.#send({ method: 'POST', path: `/api/v1/photos/${encodeURIComponent(uid)}/like` });
    return this.#parse(LikeResponse, res, 'photo').photo;
  }

  /** `DELETE /api/v1/photos/:uid/like`: unfavourite one photo (idempotent, docs/photoprism-api.md §3). */
  async unlikePhoto(uid: string): Promise<PhotoEntity> {
    const res = await this.#send({ method: 'DELETE', path: `/api/v1/photos/${encodeURIComponent(uid)}/like` });
    return this.#parse(LikeResponse, res, 'photo').photo;
  }

  /** `GET /api/v1/photos/:uid`: the editable fields of one photo, fresh from the server (docs/photoprism-api.md §2.6). */
  async getPhotoForEdit(uid: string): Promise<EditablePhotoEntity> {
    const res = await this.#send({ method: 'GET', path: `/api/v1/photos/${encodeURIComponent(uid)}` });
    return this.#parse(EditablePhotoEntity, res, 'photo');
  }

  /** `PUT /api/v1/photos/:uid` answering the editable fields (the entity after the server's own derivations). */
  async updatePhotoForEdit(uid: string, patch: PhotoPatch): Promise<EditablePhotoEntity> {
    const res = await this.#send({ method: 'PUT', path: `/api/v1/photos/${encodeURIComponent(uid)}`, body: patch });
    return this.#parse(EditablePhotoEntity, res, 'photo');
  }

  /** `PUT /api/v1/photos/:uid`: partial update of one photo (docs/photoprism-api.md §2.7). */
  async updatePhoto(uid: string, patch: PhotoPatch): Promise<PhotoEntity> {
    const res = await this.#send({ method: 'PUT', path: `/api/v1/photos/${encodeURIComponent(uid)}`, body: patch });
    return this.#parse(PhotoEntity, res, 'photo');
  }

  /**
   * `POST /api/v1/batch/photos/archive`: archive photos (docs/photoprism-api.md §5). The server also hides each
   * one in EVERY album, and restoring does not bring those memberships back.
   */
  async archivePhotos(uids: readonly string[]): Promise<void> {
    const res = await this.#send({ method: 'POST', path: '/api/v1/batch/photos/archive', body: { photos: uids } });
    this.#parse(I18nMessage, res, 'archive result');
  }

  /**
   * `POST /api/v1/batch/photos/approve`: approve photos waiting in Review (PhotoPrism
   * internal/api/batch.go, BatchPhotosApprove): quality 3, restored if archived; UIDs the server
   * does not know are skipped, and 404 when none of them exists.
   */
  async approvePhotos(uids: readonly string[]): Promise<void> {
    const res = await this.#send({ method: 'POST', path: '/api/v1/batch/photos/approve', body: { photos: uids } });
    this.#parse(I18nMessage, res, 'approve result');
  }

  /** `POST /api/v1/batch/photos/restore`: take photos out of the archive (docs/photoprism-api.md §5). */
  async restorePhotos(uids: readonly string[]): Promise<void> {
    const res = await this.#send({ method: 'POST', path: '/api/v1/batch/photos/restore', body: { photos: uids } });
    this.#parse(I18nMessage, res, 'restore result');
  }

  /**
   * `POST /api/v1/albums` (docs/photoprism-api.md §4.3). NOT always a new album: an album with the same title
   * (case-insensitive) or slug is returned instead, and a deleted twin is restored.
   */
  async createAlbum(title: string): Promise<AlbumEntity> {
    const res = await this.#send({ method: 'POST', path: '/api/v1/albums', body: { Title: title } });
    return this.#parse(AlbumEntity, res, 'album');
  }

  /** `PUT /api/v1/albums/:uid`: partial update, e.g. a new title (docs/photoprism-api.md §4.4). */
  async updateAlbum(uid: string, patch: { readonly Title?: string }): Promise<AlbumEntity> {
    const res = await this.#send({ method: 'PUT', path: `/api/v1/albums/${encodeURIComponent(uid)}`, body: patch });
    return this.#parse(AlbumEntity, res, 'album');
  }

  /** `DELETE /api/v1/albums/:uid`: soft-deletes a manual album (docs/photoprism-api.md §4.5). */
  async deleteAlbum(uid: string): Promise<AlbumEntity> {
    const res = await this.#send({ method: 'DELETE', path: `/api/v1/albums/${encodeURIComponent(uid)}` });
    return this.#parse(AlbumEntity, res, 'album');
  }

  /** `POST /api/v1/albums/:uid/photos` (docs/photoprism-api.md §4.6); answers the photo UIDs the server resolved. */
  async addPhotosToAlbum(albumUid: string, photoUids: readonly string[]): Promise<AlbumPhotosResponse> {
    const path = `/api/v1/albums/${encodeURIComponent(albumUid)}/photos`;
    const res = await this.#send({ method: 'POST', path, body: { photos: photoUids } });
    return this.#parse(AlbumPhotosResponse, res, 'album change');
  }

  /** `DELETE /api/v1/albums/:uid/photos` with a body (docs/photoprism-api.md §4.7): hides the memberships. */
  async removePhotosFromAlbum(albumUid: string, photoUids: readonly string[]): Promise<AlbumPhotosResponse> {
    const path = `/api/v1/albums/${encodeURIComponent(albumUid)}/photos`;
    const res = await this.#send({ method: 'DELETE', path, body: { photos: photoUids } });
    return this.#parse(AlbumPhotosResponse, res, 'album change');
  }

  // --- plumbing ---------------------------------------------------------------------------

  /**
   * `POST /api/v1/users/:uid/upload/:token`: one file as multipart `files`, streamed from disk
   * (PhotoPrism internal/api/users_upload.go, UploadUserFiles; docs/photoprism-api.md §6.5).
   * `open` yields the whole multipart body; `lengthBytes` is its exact size (see multipart.ts).
   */
  async uploadUserFile(
    userUid: string,
    token: string,
    body: { contentType: string; lengthBytes: number; open: () => Readable; signal?: AbortSignal },
  ): Promise<UploadAnswer> {
    // However steady the bytes, a big file takes long: allow 2 min plus 1 s per 256 KB (the idle timeout still catches a stall).
    const deadlineMs = 120_000 + Math.ceil(body.lengthBytes / 262_144) * 1000;
    return this.#answer(() =>
      this.#send({
        method: 'POST',
        path: `/api/v1/users/${encodeURIComponent(userUid)}/upload/${encodeURIComponent(token)}`,
        stream: { contentType: body.contentType, deadlineMs, body: { lengthBytes: body.lengthBytes, open: body.open } },
        ...(body.signal ? { signal: body.signal } : {}),
      }),
    );
  }

  /** `PUT /api/v1/users/:uid/upload/:token` `{"albums":[…]}`: import what was uploaded under the token (ProcessUserUpload). */
  async processUserUpload(userUid: string, token: string, albumUids: readonly string[]): Promise<UploadAnswer> {
    return this.#answer(() =>
      this.#send({
        method: 'PUT',
        path: `/api/v1/users/${encodeURIComponent(userUid)}/upload/${encodeURIComponent(token)}`,
        body: { albums: albumUids },
      }),
    );
  }

  /**
   * An upload call whose refusals the caller words itself (they differ by the server's message:
   * read-only, offensive, could not save): an HTTP refusal is answered, not thrown.
   */
  async #answer(send: () => Promise<HttpResponse>): Promise<UploadAnswer> {
    try {
      await send();
      return { ok: true };
    } catch (error) {
      if (!(error instanceof PhotoPrismHttpError) || error instanceof PhotoPrismRedirectError) throw error;
      return { ok: false, status: error.status, serverError: error.serverError, appError: error };
    }
  }

  async #send(req: {
    method: HttpRequest['method'];
    path: string;
    query?: SearchParams;
    body?: unknown;
    auth?: boolean;
    accept?: string;
    context?: 'login' | 'api';
    /** Extra request headers (a video's Range). */
    headers?: Readonly<Record<string, string>>;
    /** Body cap for this kind of endpoint (the transport defaults to the JSON cap). */
    maxBodyBytes?: number;
    /** An upload's body, streamed from disk (with its content type). See [Note: Streamed request bodies] in transport.ts. */
    stream?: { body: StreamBody; contentType: string; deadlineMs: number };
    /** A streamed download: the 2xx body goes here, see [Note: Streamed response bodies]. */
    sink?: HttpRequest['sink'];
    signal?: AbortSignal;
    deadlineMs?: number;
  }): Promise<HttpResponse> {
    const url = new URL(`${this.#options.baseUrl}${req.path}`);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { ...req.headers, accept: req.accept ?? 'application/json' };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (req.stream) headers['content-type'] = req.stream.contentType;
    if (req.auth !== false) {
      const token = this.#options.getToken();
      if (!token) throw new AppError('auth', 'You are not signed in to PhotoPrism. Sign in to continue.');
      // All three headers the server versions read (docs/photoprism-api.md §1.1, docs/photoprism-api.md §9.3); harmless together.
      headers['x-auth-token'] = token;
      headers['authorization'] = `Bearer ${token}`;
      headers['x-session-id'] = token;
    }
    let res: HttpResponse;
    try {
      res = await this.#options.transport({
        method: req.method,
        url: url.toString(),
        headers,
        ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
        ...(this.#options.timeoutMs !== undefined ? { timeoutMs: this.#options.timeoutMs } : {}),
        ...(req.maxBodyBytes !== undefined ? { maxBodyBytes: req.maxBodyBytes } : {}),
        ...(req.stream ? { streamBody: req.stream.body, deadlineMs: req.stream.deadlineMs } : {}),
        ...(req.sink ? { sink: req.sink } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
        ...(req.deadlineMs !== undefined ? { deadlineMs: req.deadlineMs } : {}),
        // A JSON answer (no other type asked for, none streamed to disk) is read as text: see [Note: JSON answers are decoded as they arrive].
        ...(req.accept === undefined && !req.sink ? { asText: true } : {}),
      });
    } catch (error) {
      throw this.#transportFailure(error);
    }
    this.#options.log.debug('photoprism request', {
      method: req.method,
      path: url.pathname.replace(/\/(t|videos)\/.*$/, '/$1/…'),
      status: res.status,
    });
    if (res.status >= 200 && res.status < 300) return res;
    if (res.status >= 300 && res.status < 400) throw this.#redirect(res, url);
    throw this.#httpFailure(res, req.context ?? 'api');
  }

  #transportFailure(error: unknown): AppError {
    if (error instanceof TransportError) {
      switch (error.code) {
        case 'tls-untrusted':
          if (error.certificate) {
            return new UntrustedCertificateError(
              `The certificate of ${this.#host} is not trusted by this Mac. If this is your own server with a self-signed certificate, compare its fingerprint (${error.certificate.fingerprintSha256}) with the one on the server and trust it; otherwise do not connect.`,
              error.certificate,
            );
          }
          return new AppError('tls', `The certificate of ${this.#host} is not trusted. Check the server's certificate.`);
        case 'tls':
          return new AppError(
            'tls',
            `A secure connection to ${this.#host} could not be set up. If the server only speaks plain HTTP on your network, use an http:// address.`,
          );
        case 'timeout':
          // The cause is kept: an action tells "never sent" from "sent, answer lost" by it.
          return new AppError('network', `${this.#host} did not answer in time. Check that the server is running, then try again.`, {
            cause: error,
          });
        case 'network':
          return new AppError(
            'network',
            `Could not reach ${this.#host}. Check the address, your network, and that the server is running.`,
            { cause: error },
          );
        case 'cancelled':
          return new AppError('network', 'Cancelled.', { cause: error });
        case 'too-large':
          return new AppError(
            'server',
            `${this.#host} sent an answer far larger than expected, so it was refused. Is this a PhotoPrism server?`,
          );
      }
    }
    return new AppError('network', `Could not reach ${this.#host}. Check your network and try again.`, { cause: error });
  }

  #redirect(res: HttpResponse, from: URL): PhotoPrismRedirectError {
    let location: string | null = null;
    try {
      location = res.headers['location'] ? new URL(res.headers['location'], from).toString() : null;
    } catch {
      // An unparsable Location is no target.
    }
    const where = location ? new URL(location).host : 'another address';
    return new PhotoPrismRedirectError(
      `${this.#host} sends this request on to ${where} (error ${res.status}); Photoflare does not follow redirects.`,
      res.status,
      location,
    );
  }

  #httpFailure(res: HttpResponse, context: 'login' | 'api'): AppError {
    const failure = this.#httpFailureOf(res, context);
    if (failure instanceof PhotoPrismHttpError) {
      try {
        const parsed = ErrorBody.safeParse(JSON.parse(responseText(res)));
        if (parsed.success) failure.serverError = parsed.data.error ?? '';
      } catch {
        // Not JSON (a proxy's HTML page): no server message.
      }
    }
    return failure;
  }

  #httpFailureOf(res: HttpResponse, context: 'login' | 'api'): AppError {
    // Error bodies may arrive as text/plain (docs/photoprism-api.md §7.3): parse JSON whatever the content type.
    let body: ErrorBody = {};
    try {
      const parsed = ErrorBody.safeParse(JSON.parse(responseText(res)));
      if (parsed.success) body = parsed.data;
    } catch {
      // Not JSON: the status alone decides.
    }
    const status = res.status;
    if (status === 429) {
      return new PhotoPrismHttpError(
        'rate-limited',
        'The server refused further sign-in attempts for now (too many tries). Wait a few minutes, then try again.',
        status,
      );
    }
    if (status === 401 && context === 'login') {
      // [Note: 2FA answers]
      // A wrong user name or password answers `{"error": <localised>}` alone. Only the 2FA
      // branches add `code` and `message` (PhotoPrism internal/api/session_create.go,
      // CreateSession): code 32 = passcode required in every version; any other passcode
      // failure is 33 (240420 to 240531, an i18n ID) or 401 (240711 on), with the Go error as
      // `error`. Match on those, never on the localised text (docs/photoprism-api.md §7.3). Every passcode problem
      // keeps the form on the code step (kind two-factor-required) and says what is wrong.
      if (body.code === 32) {
        return new PhotoPrismHttpError(
          'two-factor-required',
          'This account uses two-factor authentication. Enter the 6-digit code from your authenticator app.',
          status,
        );
      }
      if (body.code !== undefined && body.message !== undefined) {
        // pquerna/otp's ErrValidateInputInvalidLength, via Passcode.Valid (internal/entity/passcode.go).
        if (body.error === 'Input length unexpected') {
          return new PhotoPrismHttpError(
            'two-factor-required',
            'The verification code has 6 digits. Enter all 6 digits your authenticator app shows now.',
            status,
          );
        }
        return new PhotoPrismHttpError(
          'two-factor-required',
          'That verification code is not right. Codes change every 30 seconds: enter the one your authenticator app shows now.',
          status,
        );
      }
      return new PhotoPrismHttpError(
        'auth',
        'The user name or password is wrong. Check them (an app password works too) and try again.',
        status,
      );
    }
    if (status === 401) {
      return new PhotoPrismHttpError('auth', 'Your PhotoPrism session has expired or was signed out. Sign in again to continue.', status);
    }
    if (status === 403) {
      return new PhotoPrismHttpError('permission', 'Your PhotoPrism account is not allowed to do this.', status);
    }
    if (status === 404) {
      return new PhotoPrismHttpError(
        'not-found',
        `${this.#host} has no such item (it may have been deleted), or this is not a PhotoPrism server.`,
        status,
      );
    }
    if (status >= 500) {
      return new PhotoPrismHttpError('server', `${this.#host} had a problem (error ${status}). Try again later.`, status);
    }
    return new PhotoPrismHttpError('server', `${this.#host} refused the request (error ${status}).`, status);
  }

  #parse<T extends z.ZodType>(schema: T, res: HttpResponse, what: string): z.output<T> {
    let json: unknown;
    try {
      json = JSON.parse(responseText(res));
    } catch {
      throw new AppError('server', `${this.#host} answered, but not like a PhotoPrism server (its ${what} was not JSON).`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues
        .slice(0, 3)
        .map((issue) => issue.path.join('.') || '(body)')
        .join(', ');
      this.#options.log.warn('unexpected PhotoPrism response', { what, where });
      throw new AppError('server', `${this.#host} answered with an unexpected ${what} (${where}). Is this a supported PhotoPrism version?`);
    }
    return parsed.data;
  }

  #page<T>(results: T[], res: HttpResponse): SearchPage<T> {
    const count = Number(res.headers['x-count']);
    const limit = Number(res.headers['x-limit']);
    return {
      results,
      // Older proxies may strip headers: fall back to what we can see.
      count: Number.isFinite(count) ? count : results.length,
      limit: Number.isFinite(limit) ? limit : Number.NaN,
      previewToken: res.headers['x-preview-token'] ?? null,
    };
  }

  #sessionInfo(session: SessionResponse, knownToken: string | undefined): SessionInfo {
    const accessToken = session.token || knownToken || '';
    if (!accessToken) throw new AppError('server', `${this.#host} accepted the sign-in but sent no session token.`);
    const config = session.config;
    return {
      accessToken,
      userName: session.user.Name || session.user.DisplayName,
      role: session.user.Role,
      userUid: session.user.UID,
      provider: session.provider,
      previewToken: config?.previewToken || null,
      downloadToken: config?.downloadToken || null,
      serverVersion: config?.version || null,
      expiresInSecs: session.expires_in && session.expires_in > 0 ? session.expires_in : null,
    };
  }
}
