import { createHash } from 'node:crypto';

/**
 * Small helpers shared by the emulator modules: Go-style time formatting, a seeded random
 * generator and hashing. Kept free of emulator state so every module can use them.
 */

/** Go's zero `time.Time`, which PhotoPrism serialises for unset non-pointer times (docs/photoprism-api.md §0.1). */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Formats epoch milliseconds the way Go's `time.Time` JSON encoder does (RFC 3339 with the
 * fraction trimmed of trailing zeros, no fraction at all when it is zero), so clients see the
 * same strings as from a real server.
 */
export function goTime(ms: number): string {
  // A 100k index formats about a million times: toISOString cost the emulator ~2 s of CPU there
  // (on the cores our index shares), so the date is formatted once per day and the time of day
  // by arithmetic. The digits are toISOString's (the test compares the two).
  const day = Math.floor(ms / DAY_MS);
  let date = dayPrefixes.get(day);
  if (date === undefined) {
    if (dayPrefixes.size >= DAY_PREFIX_CACHE_SIZE) dayPrefixes.clear();
    date = new Date(day * DAY_MS).toISOString().slice(0, -14);
    dayPrefixes.set(day, date);
  }
  const inDay = ms - day * DAY_MS;
  const millis = inDay % 1000;
  const seconds = Math.floor(inDay / 1000);
  const clock = `${twoDigits(Math.floor(seconds / 3600))}:${twoDigits(Math.floor(seconds / 60) % 60)}:${twoDigits(seconds % 60)}`;
  if (millis === 0) return `${date}T${clock}Z`;
  // Go trims the fraction's trailing zeros.
  const fraction = millis % 100 === 0 ? millis / 100 : millis % 10 === 0 ? twoDigits(millis / 10) : String(millis).padStart(3, '0');
  return `${date}T${clock}.${fraction}Z`;
}

const DAY_MS = 86_400_000;
/** Day prefixes kept ("2024-12-13"): a generated library spans a few thousand days. */
const DAY_PREFIX_CACHE_SIZE = 100_000;
const dayPrefixes = new Map<number, string>();

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Like {@link goTime} but for `*time.Time` fields, which become `null` when unset. */
export function goTimeOrNull(ms: number | null): string | null {
  return ms === null ? null : goTime(ms);
}

/**
 * A deterministic PRNG (mulberry32). The library must be identical for the same seed so tests
 * and the other engineer's fixtures stay stable across runs.
 */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick() needs a non-empty list');
    return item;
  }

  /** `length` lowercase base36 characters, as in PhotoPrism's random UID part. */
  base36(length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += BASE36.charAt(Math.floor(this.next() * 36));
    return out;
  }
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A PhotoPrism UID (docs/photoprism-api.md §0.1, checklist 13): prefix, 6 base36 chars of the Unix creation time,
 * 9 random base36 chars. Real validators check the time part, so it must be a plausible time.
 */
export function makeUid(prefix: string, createdAtMs: number, rng: SeededRandom): string {
  const seconds = Math.floor(createdAtMs / 1000);
  const time = seconds.toString(36).padStart(6, '0').slice(-6);
  return `${prefix}${time}${rng.base36(9)}`;
}

/**
 * An app password in PhotoPrism's format: four groups of six Base62 characters joined by `-`,
 * the last character a checksum (docs/photoprism-api.md §1.1). The checksum algorithm of the real server is not in
 * the spec, so ours is our own; clients must not validate it anyway.
 */
export function makeAppPassword(rng: SeededRandom): string {
  let chars = '';
  for (let i = 0; i < 23; i += 1) chars += BASE62.charAt(Math.floor(rng.next() * 62));
  let sum = 0;
  for (const ch of chars) sum = (sum * 31 + ch.charCodeAt(0)) % 62;
  chars += BASE62.charAt(sum);
  return `${chars.slice(0, 6)}-${chars.slice(6, 12)}-${chars.slice(12, 18)}-${chars.slice(18, 24)}`;
}

/** `n` lowercase hex characters from the seeded generator (used for tokens). */
export function randomHex(rng: SeededRandom, n: number): string {
  let out = '';
  for (let i = 0; i < n; i += 1) out += Math.floor(rng.next() * 16).toString(16);
  return out;
}

/** SHA-256 hex, which PhotoPrism uses as the session ID of a token (docs/photoprism-api.md §1.1). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** SHA-1 hex, the shape of PhotoPrism file hashes (docs/photoprism-api.md §0.1). */
export function sha1Hex(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Matches a 48-hex session token. */
export const SESSION_TOKEN_RE = /^[0-9a-f]{48}$/;
/** Matches an app password (four groups of six Base62 characters). */
export const APP_PASSWORD_RE = /^[0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{6}$/;
/** Matches any PhotoPrism UID with the given prefix. */
export function isUid(value: string, prefix: string): boolean {
  return value.length === 16 && value.startsWith(prefix) && /^[0-9a-z]{16}$/.test(value);
}
/** Matches a file SHA-1. */
export const SHA1_RE = /^[0-9a-f]{40}$/;

/** Go `strconv.ParseBool` semantics, which gin uses to bind boolean query parameters (docs/photoprism-api.md §2.1). */
export function parseGoBool(value: string): boolean | 'invalid' {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  return 'invalid';
}

/** Lowercase ASCII slug like PhotoPrism's `txt.Slug` (close enough for dedupe by slug). */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
