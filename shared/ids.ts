import { z } from 'zod';

/**
 * PhotoPrism UIDs: 16 characters, lowercase base36, the first one the entity type
 * (`p` photo, `a` album). See spec photoprism-api.md; the event log only ever carries these.
 */
/** A photo UID's form; also tested directly where a full index checks every row (a zod parse costs more). */
export const PHOTO_UID_PATTERN = /^p[0-9a-z]{15}$/;
export const PhotoUid = z.string().regex(PHOTO_UID_PATTERN, 'not a PhotoPrism photo UID');
export type PhotoUid = z.infer<typeof PhotoUid>;

export const AlbumUid = z.string().regex(/^a[0-9a-z]{15}$/, 'not a PhotoPrism album UID');
export type AlbumUid = z.infer<typeof AlbumUid>;

/** A file of a photo (`f`…): what choosing a stack's primary version and unstacking name. Never in an event. */
export const FileUid = z.string().regex(/^f[0-9a-z]{15}$/, 'not a PhotoPrism file UID');
export type FileUid = z.infer<typeof FileUid>;

/** Either kind of entity UID an event may name. */
export const EntityUid = z.union([PhotoUid, AlbumUid]);
export type EntityUid = z.infer<typeof EntityUid>;
