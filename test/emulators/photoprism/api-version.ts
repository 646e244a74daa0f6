/**
 * What a PhotoPrism release's auth API looks like, derived from its version string (docs/photoprism-api.md §9.2:
 * `YYMMDD-<commit>-…`). The emulator serves the shape of the release it claims to be, so a test
 * can run the same client against today's server and an older one.
 *
 * - `legacy` (up to 231128): the token travels ONLY in `X-Session-ID` and the session routes are
 *   `GET/DELETE /api/v1/session/:id` (PhotoPrism 231128-f48ff16ef internal/api/session.go,
 *   SessionID; session_get.go, GetSession; session_delete.go, DeleteSession). The login answers
 *   `{status:"ok", id, provider, user, data, config}` without `access_token` or `expires_in`
 *   (session_create.go, CreateSession). No 2FA, no app passwords, no `/oauth/*`.
 * - `i18n-codes` (240420 to 240531): today's headers and routes, but the 2FA errors carry i18n
 *   message IDs as `code`: 32 for "passcode required" and 33 for every other passcode failure
 *   (240420-ef5f14bc4 internal/api/session_create.go, CreateSession, `"code": i18n.ErrPasscodeRequired`
 *   / `i18n.ErrInvalidPasscode`; pkg/i18n/messages.go, where those are the 32nd and 33rd IDs).
 * - `current` (240711 on, and dev builds without a date): `code` 32, and 401 for other passcode
 *   failures (commit fe54cc7ef, "Fix 2FA prompt on the login page").
 */
export type ApiLevel = 'legacy' | 'i18n-codes' | 'current';

/** The first release with `X-Auth-Token`, `Authorization: Bearer`, `GET /session`, 2FA and app passwords. */
const FIRST_TOKEN_API_BUILD = 240420;
/** The first release answering code 32 / 401 for 2FA (fe54cc7ef). */
const FIRST_CURRENT_2FA_BUILD = 240711;

export function apiLevel(version: string): ApiLevel {
  const match = /^(\d{6})-/.exec(version);
  if (!match?.[1]) return 'current';
  const build = Number(match[1]);
  if (build < FIRST_TOKEN_API_BUILD) return 'legacy';
  if (build < FIRST_CURRENT_2FA_BUILD) return 'i18n-codes';
  return 'current';
}

/**
 * The first build serving photo `Caption`/`CaptionSrc` instead of `Description`/`DescriptionSrc`
 * (albums keep `Description`). The maintainer announced the rename on 2025-02-03 "for our upcoming
 * release" (photoprism/photoprism#4603); the exact build is not pinned (docs/photoprism-api.md §11),
 * so the emulator takes the first release after the announcement's month.
 */
const FIRST_CAPTION_BUILD = 250301;

/** Whether a release names the photo caption `Caption` (2025 on, and dev builds without a date). */
export function usesPhotoCaption(version: string): boolean {
  const match = /^(\d{6})-/.exec(version);
  if (!match?.[1]) return true;
  return Number(match[1]) >= FIRST_CAPTION_BUILD;
}

/**
 * The media types a release knows differ too: `document` and `audio` came with commit 5cd6e71fd
 * (2024-10-31, PhotoPrism pkg/media/types.go), after the last tag of the Dec 2024 repository
 * (240915). The emulator needs no switch of its own for them: `PUT /photos/:uid` binds `Type` as
 * any string on every release (internal/form/photo.go), so an old server stores the unknown word as
 * the emulator does. Its `version` option is the switch a test turns: the client offers and sends
 * only the types of the version it connected to (shared/library/metadata.ts, photoTypesFor).
 */
