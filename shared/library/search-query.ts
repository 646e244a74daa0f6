/**
 * PhotoPrism's search language (`q`), parsed and normalised exactly as the server does it, so the
 * offline search over the cache and the search chips agree with what the server would answer.
 * Every rule names its source in PhotoPrism's Go code (docs/photoprism-api.md §2.1, "Search language").
 *
 * [Note: One search language] The emulator (test/emulators/photoprism/search.ts) runs its search
 * on these same rules; its spec tests pin them to expectations written from the Go source, so a
 * mistake here fails there too instead of being agreed on silently.
 */

/** Every form field of `form.SearchPhotos` a `key:value` term may name (PhotoPrism internal/form/search_photos.go). */
export const SEARCH_KEYS: ReadonlySet<string> = new Set([
  'q',
  's',
  'filter',
  'id',
  'uid',
  'type',
  'path',
  'folder',
  'name',
  'filename',
  'original',
  'title',
  'hash',
  'primary',
  'stack',
  'unstacked',
  'stackable',
  'animated',
  'audio',
  'document',
  'image',
  'raw',
  'live',
  'vector',
  'video',
  'photo',
  'scan',
  'mp',
  'panorama',
  'portrait',
  'landscape',
  'square',
  'error',
  'hidden',
  'archived',
  'public',
  'private',
  'favorite',
  'unsorted',
  'near',
  's2',
  'olc',
  'lat',
  'lng',
  'alt',
  'dist',
  'latlng',
  'camera',
  'lens',
  'iso',
  'mm',
  'f',
  'color',
  'chroma',
  'diff',
  'mono',
  'geo',
  'keywords',
  'label',
  'category',
  'country',
  'state',
  'city',
  'year',
  'month',
  'day',
  'face',
  'faces',
  'subject',
  'person',
  'subjects',
  'people',
  'album',
  'albums',
  'quality',
  'review',
  'added',
  'updated',
  'edited',
  'taken',
  'before',
  'after',
  'count',
  'offset',
  'order',
  'merged',
]);

/** Fields of `form.SearchPhotos` typed `bool`: their values go through txt.Bool (internal/form/serialize.go, Unserialize). */
export const BOOL_KEYS: ReadonlySet<string> = new Set([
  'primary',
  'stack',
  'unstacked',
  'stackable',
  'animated',
  'audio',
  'document',
  'image',
  'raw',
  'live',
  'vector',
  'video',
  'photo',
  'panorama',
  'portrait',
  'landscape',
  'square',
  'error',
  'hidden',
  'archived',
  'public',
  'private',
  'unsorted',
  'mono',
  'review',
  'merged',
]);

/** One `key:value` term of a query, in the order typed. */
export interface SearchTerm {
  readonly key: string;
  readonly value: string;
}

/** A query split the way PhotoPrism's Unserialize splits it. */
export interface ParsedSearch {
  /** `key:value` terms (keys lowercased, values as typed, cleaned by clean.SearchString). */
  readonly terms: readonly SearchTerm[];
  /** The free text left over: lowercased words joined, then cleaned by clean.SearchQuery. */
  readonly text: string;
  /** Set when a term names no field (the server answers 400 for the whole search). */
  readonly error: string | null;
}

/**
 * Splits `q` like PhotoPrism internal/form/serialize.go, Unserialize: whitespace ends a term
 * unless inside double quotes; `"` toggles quoting and is dropped; the first unquoted `:` makes
 * the term `key:value`; keys and free words are lowercased, values keep their case.
 */
export function parseSearch(q: string): ParsedSearch {
  const terms: SearchTerm[] = [];
  const words: string[] = [];
  let error: string | null = null;
  let key = '';
  let value = '';
  let quoted = false;
  let isKeyValue = false;
  for (const char of `${q.trim()}\n`) {
    if (/\s/u.test(char) && !quoted) {
      if (isKeyValue) {
        const name = key.toLowerCase();
        if (SEARCH_KEYS.has(name)) terms.push({ key: name, value: cleanSearchString(value) });
        else error = `unknown filter: ${name}`;
      } else if (key.trim() !== '') {
        words.push(key.trim());
      }
      quoted = false;
      isKeyValue = false;
      key = '';
      value = '';
    } else if (char === ':' && !quoted) {
      isKeyValue = true;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (isKeyValue) {
      value += char;
    } else {
      key += char.toLowerCase();
    }
  }
  return { terms, text: words.length > 0 ? cleanSearchQuery(words.join(' ')) : '', error };
}

/** PhotoPrism pkg/clean/search.go, SearchString: `%` becomes `*`, `|\<>` and line breaks trimmed. */
export function cleanSearchString(s: string): string {
  if (s === '' || s.length > 4096) return '';
  const normalised = s.replaceAll('%%', '%').replaceAll('%', '*').replaceAll('**', '*');
  return trimChars(normalised, '|\\<>\n\r\t');
}

/**
 * PhotoPrism pkg/clean/search.go, SearchQuery: the words ` or ` become `|`, ` and `/` with `/
 * ` in `/` at `/` + ` become `&` (case-insensitive), `%` becomes `*`, then edges are trimmed.
 */
export function cleanSearchQuery(s: string): string {
  if (s === '' || s.length > 4096) return '';
  let out = s.replace(/ or /gi, '|').replace(/ or /gi, '|');
  for (const word of ['and', 'with', 'in', 'at']) out = out.replace(new RegExp(` ${word} `, 'gi'), '&');
  out = out.replaceAll(' + ', '&').replaceAll('%%', '%').replaceAll('%', '*').replaceAll('**', '*');
  return trimChars(out, '|${}\\<>: \n\r\t');
}

function trimChars(s: string, chars: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && chars.includes(s.charAt(start))) start += 1;
  while (end > start && chars.includes(s.charAt(end - 1))) end -= 1;
  return s.slice(start, end);
}

/** `txt.Or` and `txt.And` (PhotoPrism pkg/txt/query.go). */
export const OR = '|';
export const AND = '&';

/** PhotoPrism internal/entity/search/conditions.go, Split: trims the separators, splits, drops empty parts. */
function split(s: string, sep: string): string[] {
  if (s === '') return [];
  const parts = trimChars(s, sep).split(sep);
  if (parts.length <= 1) return parts;
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** `SplitOr` (same file): values for an `IN (…)`. */
export function splitOr(s: string): string[] {
  return split(s, OR);
}

/** `SplitAnd` (same file): groups that must all match. */
export function splitAnd(s: string): string[] {
  return split(s, AND);
}

/**
 * PhotoPrism pkg/txt/empty.go, Empty: blank, `0`, `-1`, `nil`/`null`/`none`/`nan` and default
 * dates count as "not set", so a filter with such a value is not applied (the web UI sends `camera=0`).
 */
export function isEmptyValue(s: string): boolean {
  const v = trimChars(s, '%* ');
  if (v === '' || v === '0' || v === '-1') return true;
  if (['1970-01-01', '1970-01-01 00:00:00', '1980-01-01', '1980-01-01 00:00:00'].includes(v)) return true;
  return ['nil', 'null', 'none', 'nan'].includes(v.toLowerCase());
}

/** PhotoPrism pkg/txt/bool.go, Yes: starts with one of `ytjposiд`. */
export function isYes(s: string): boolean {
  const v = s.trim().toLowerCase();
  return v !== '' && 'ytjposiд'.includes(v.charAt(0));
}

/** PhotoPrism pkg/txt/bool.go, No: starts with one of `0nhufeн`. */
export function isNo(s: string): boolean {
  const v = s.trim().toLowerCase();
  return v !== '' && '0nhufeн'.includes(v.charAt(0));
}

/** PhotoPrism pkg/txt/bool.go, New. */
export function isNew(s: string): boolean {
  return s.trim().toLowerCase() === 'new';
}

/** PhotoPrism pkg/txt/bool.go, Bool: anything non-empty that is not a "no". */
export function txtBool(s: string): boolean {
  const v = s.trim();
  return v !== '' && !isNo(v);
}

/**
 * An excerpt of PhotoPrism's stopwords (pkg/txt/stopwords.go, StopWords): the function words and
 * camera/file words a library's titles and queries commonly hold. Words listed there never
 * become keywords, so `EOS` or `Canon` typed as free text match nothing.
 */
const STOP_WORDS = new Set([
  'the',
  'and',
  'or',
  'in',
  'at',
  'of',
  'an',
  'to',
  'for',
  'on',
  'by',
  'from',
  'is',
  'it',
  'photo',
  'photos',
  'image',
  'picture',
  'unknown',
  'canon',
  'eos',
  'sony',
  'iphone',
  'nikon',
  'olympus',
  'olymp',
  'leica',
  'fujifilm',
  'panasonic',
  'img',
  'dsc',
  'jpg',
  'jpeg',
  'heic',
  'mov',
  'copy',
  'edit',
  'edited',
]);

/**
 * An excerpt of PhotoPrism's real short words (pkg/txt/shortwords.go, ShortWords). A word of up
 * to 3 ASCII letters that is not a short word is ignored as noise (pkg/txt/words.go, UnknownWord).
 */
const SHORT_WORDS = new Set([
  'cat',
  'dog',
  'car',
  'sea',
  'sun',
  'new',
  'ana',
  'doe',
  'red',
  'pro',
  'box',
  'day',
  'art',
  'bus',
  'cow',
  'fox',
  'owl',
  'pet',
  'toy',
  'zoo',
  'ice',
  'sky',
]);

const WORD_RE = /[\p{L}\d\-']+/gu;
const LATIN_RE = /^[\p{Script=Latin}\d\-' ]*$/u;

/** Go's `len`: the UTF-8 byte length, which PhotoPrism's length rules count. */
function goLen(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A surrogate pair is one code point above U+FFFF: four bytes for the two units.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n += 4;
        i++;
        continue;
      }
    }
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  return n;
}

function isLatin(s: string): boolean {
  return LATIN_RE.test(s);
}

function isNumeric(s: string): boolean {
  return /^[\d.,-]+$/.test(s);
}

/** PhotoPrism pkg/txt/words.go, UnknownWord: up to 3 characters with ASCII letters, and not a known short word. */
function unknownWord(w: string): boolean {
  if (goLen(w) > 3 || !/[a-z]/i.test(w)) return false;
  return !SHORT_WORDS.has(w.toLowerCase());
}

/** PhotoPrism pkg/txt/words.go, Words: runs of letters, digits, `-` and `'`, trimmed; no numbers, no single Latin letters. */
export function words(s: string): string[] {
  const ascii = asciiWords(s);
  if (ascii) return ascii;
  const out: string[] = [];
  for (const match of s.matchAll(WORD_RE)) {
    const w = trimChars(match[0], "- '");
    if (w === '' || (goLen(w) < 2 && isLatin(w)) || isNumeric(w)) continue;
    out.push(w);
  }
  return out;
}

/**
 * [Note: ASCII words without the Unicode pattern]
 * Every photo of a full index has its title split into words (through keywordsColumn), and most
 * titles are ASCII. For ASCII text the rules of `words` come down to this scan: the word
 * characters are `A-Z`, `a-z`, `0-9`, `-` and `'`; a word is trimmed of `-` and `'`; every ASCII
 * letter and digit is Latin and one byte, so a word of one character is dropped; numbers are
 * dropped by the same isNumeric. The same answers without a match object, a Unicode class test
 * and a code-point walk per word. Undefined at the first character beyond ASCII: the general
 * path decides.
 */
function asciiWords(s: string): string[] | undefined {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x20;
    if (c >= 0x80) return undefined;
    if (isAsciiWordChar(c)) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    let from = start;
    let to = i;
    start = -1;
    while (from < to && isTrimmed(s.charCodeAt(from))) from++;
    while (to > from && isTrimmed(s.charCodeAt(to - 1))) to--;
    if (to - from < 2) continue;
    const w = s.slice(from, to);
    if (!isNumeric(w)) out.push(w);
  }
  return out;
}

/** `[\p{L}\d\-']` for an ASCII character. */
function isAsciiWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x27;
}

/** `-` and `'`: what `words` trims off a word (a space is never inside one). */
function isTrimmed(c: number): boolean {
  return c === 0x2d || c === 0x27;
}

/** PhotoPrism pkg/txt/words.go, Keywords: lowercased words without stopwords and unknown short words. */
export function keywords(s: string): string[] {
  const out: string[] = [];
  for (const word of words(s)) {
    const w = word.toLowerCase();
    if (!unknownWord(w) && !STOP_WORDS.has(w)) out.push(w);
  }
  return out;
}

/** PhotoPrism pkg/txt/words.go, UniqueWords: lowercased, sorted, deduplicated, no single Latin letters. */
export function uniqueWords(list: readonly string[]): string[] {
  const sorted = list.map((w) => trimChars(w.toLowerCase(), "- '")).sort();
  const out: string[] = [];
  for (const w of sorted) {
    if (w === '' || (goLen(w) < 2 && isLatin(w)) || w === out[out.length - 1]) continue;
    out.push(w);
  }
  return out;
}

/** PhotoPrism pkg/txt/words.go, UniqueKeywords: keywords of at least 3 characters, sorted and unique. */
export function uniqueKeywords(s: string): string[] {
  const sorted = keywords(s).sort();
  const out: string[] = [];
  for (const w of sorted) {
    if ((goLen(w) < 3 && isLatin(w)) || w === out[out.length - 1]) continue;
    out.push(w);
  }
  return out;
}

/**
 * English singular, the common rules of github.com/jinzhu/inflection (which PhotoPrism's search
 * uses to also match "cat" for "cats"): -ies → -y, -ches/-shes/-sses/-xes → drop -es, -s → drop.
 */
export function singular(w: string): string {
  if (/ies$/.test(w) && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(ch|sh|ss|x)es$/.test(w)) return w.slice(0, -2);
  if (/[^su]s$/.test(w) && w.length > 3) return w.slice(0, -1);
  return w;
}

/** PhotoPrism pkg/txt/slug.go, Slug (gosimple/slug): ASCII-folded, lowercase, non-alphanumerics become `-`. */
export function slug(s: string): string {
  return s
    .trim()
    .replaceAll('&', ' and ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/** One `LIKE` pattern: `exact` compares equal, otherwise the value is a prefix (`word%`). */
export interface WordPattern {
  readonly word: string;
  readonly prefix: boolean;
}

/**
 * PhotoPrism internal/entity/search/conditions.go, LikeAny: `|` counts as a space, `&` splits the
 * text into groups that must ALL match; within a group ANY word may match. Keywords of 4+
 * characters match as a prefix, shorter ones exactly, and a plural also matches its singular.
 * `LikeAnyKeyword` (keywords = true) uses keyword rules, `LikeAnyWord` plain words (prefix from 2).
 */
export function likeAnyGroups(s: string, useKeywords: boolean): WordPattern[][] {
  if (s === '') return [];
  const text = cleanSearchQuery(s).replaceAll(OR, ' ');
  const threshold = useKeywords ? 4 : 2;
  const groups: WordPattern[][] = [];
  for (const part of text.split(AND)) {
    const list = useKeywords ? uniqueKeywords(part) : uniqueWords(part.split(/\s+/).filter((w) => w !== ''));
    const group: WordPattern[] = [];
    for (const w of list) {
      group.push({ word: trimChars(w, ' |&*%'), prefix: goLen(w) >= threshold });
      if (!useKeywords || !/[a-z]/i.test(w)) continue;
      const one = singular(w);
      if (one !== w) group.push({ word: one, prefix: false });
    }
    if (group.length > 0) groups.push(group);
  }
  return groups;
}

/** Does a word pattern match a value (SQL `LIKE`, case-insensitive)? */
export function likeWord(value: string, pattern: WordPattern): boolean {
  const v = value.toLowerCase();
  const w = pattern.word.toLowerCase();
  return pattern.prefix ? v.startsWith(w) : v === w;
}

/**
 * Magic words in the free text switch a filter on instead of searching for the word; only the
 * FIRST one in this order counts, and it is removed from the text as a substring (PhotoPrism
 * internal/entity/search/photos.go, searchPhotos: "Set search filters based on search terms").
 */
const MAGIC_WORDS: ReadonlyArray<readonly [string, string, string]> = [
  ['faces', 'faces', 'true'],
  ['people', 'faces', 'true'],
  ['videos', 'video', 'true'],
  ['video', 'video', 'true'],
  ['vectors', 'vector', 'true'],
  ['vector', 'vector', 'true'],
  ['animated', 'animated', 'true'],
  ['gifs', 'animated', 'true'],
  ['gif', 'animated', 'true'],
  ['live', 'live', 'true'],
  ['raws', 'raw', 'true'],
  ['raw', 'raw', 'true'],
  ['favorites', 'favorite', 'true'],
  ['stacks', 'stack', 'true'],
  ['panoramas', 'panorama', 'true'],
  ['scans', 'scan', 'true'],
  ['monochrome', 'mono', 'true'],
  ['mono', 'mono', 'true'],
];

/** What the free text means once PhotoPrism has looked at it. */
export interface FreeText {
  /** Text left to match against keywords and labels ('' = none). */
  readonly query: string;
  /** A title pattern (`text*`) when the text has no keyword at all. */
  readonly title: string;
  /** A filter a magic word switched on, e.g. `{ key: 'video', value: 'true' }`. */
  readonly magic: SearchTerm | null;
}

/**
 * The free-text step of searchPhotos (PhotoPrism internal/entity/search/photos.go): text without
 * any keyword (only stopwords or noise, e.g. `EOS`) becomes a title prefix search unless a title
 * filter is set; otherwise the first magic word found switches its filter on.
 */
export function interpretFreeText(text: string, titleSet: boolean): FreeText {
  if (text === '') return { query: '', title: '', magic: null };
  const terms = new Set(uniqueKeywords(text));
  if (terms.size === 0) {
    if (!titleSet) return { query: '', title: `${trimChars(text, '%*')}*`, magic: null };
    return { query: text, title: '', magic: null };
  }
  for (const [word, key, value] of MAGIC_WORDS) {
    if (terms.has(word)) return { query: text.replaceAll(word, ''), title: '', magic: { key, value } };
  }
  return { query: text, title: '', magic: null };
}

/**
 * `LIKE` with PhotoPrism's `*` wildcard (internal/entity/search/conditions.go, OrLike: `|`
 * separates alternatives, `*` is `%`), case-insensitive like MariaDB's default collation.
 */
export function orLike(value: string, pattern: string): boolean {
  const alternatives = pattern.replaceAll('*', '%').replaceAll('%%', '%').split(OR);
  const v = value.toLowerCase();
  return alternatives.some((alt) => {
    const term = (alternatives.length > 1 ? alt.trim() : alt).toLowerCase();
    const re = new RegExp(
      `^${term
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replaceAll('%', '.*')
        .replaceAll('_', '.')}$`,
      's',
    );
    return re.test(v);
  });
}
