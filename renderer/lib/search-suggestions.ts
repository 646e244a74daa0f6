import type { SearchSuggestions } from '../../shared/library/schemas';
import { parseSearch, type SearchTerm } from '../../shared/library/search-query';

/**
 * Search-field helpers: suggestions for the word being typed and the filter chips of an applied
 * query, both from PhotoPrism's own search syntax (shared/library/search-query.ts).
 */

/** One suggestion: what the dropdown shows and the whole query it would make. */
export interface Suggestion {
  readonly label: string;
  readonly detail: string;
  readonly query: string;
}

/** Filters people use most, offered when a word is typed that starts one of them. */
const FILTERS: ReadonlyArray<readonly [string, string]> = [
  ['favorite:true', 'Favourites'],
  ['type:video', 'Videos'],
  ['type:live', 'Live photos'],
  ['label:', 'Photos with a label, e.g. label:cat'],
  ['person:', 'A person by full name, e.g. person:"Jane Doe"'],
  ['year:', 'Taken in a year, e.g. year:2023'],
  ['camera:', 'Camera make or model, e.g. camera:canon'],
  ['lens:', 'Lens model'],
  ['city:', 'Place'],
  ['country:', 'Country code, e.g. country:pt'],
  ['album:', 'In an album'],
];

/** A value with a space needs quotes in PhotoPrism's syntax. */
function quoted(value: string): string {
  return /\s/.test(value) ? `"${value}"` : value;
}

/** Suggestions for the last word of `text` (at most `limit`). */
export function suggestionsFor(text: string, data: SearchSuggestions, limit = 8): Suggestion[] {
  const match = /(^|\s)([^\s"]*)$/.exec(text);
  const word = (match?.[2] ?? '').toLowerCase();
  if (word === '') return [];
  const before = text.slice(0, text.length - word.length);
  const out: Suggestion[] = [];
  const add = (label: string, detail: string, term: string) => {
    if (out.length < limit && !out.some((s) => s.query === `${before}${term} `)) out.push({ label, detail, query: `${before}${term} ` });
  };
  const colon = word.indexOf(':');
  const key = colon >= 0 ? word.slice(0, colon) : '';
  const value = colon >= 0 ? word.slice(colon + 1) : word;
  const values = (list: readonly string[], filterKey: string, detail: string) => {
    for (const v of list) if (v.toLowerCase().startsWith(value)) add(`${filterKey}:${quoted(v)}`, detail, `${filterKey}:${quoted(v)}`);
  };
  if (key === '') {
    for (const [filter, detail] of FILTERS) if (filter.startsWith(word) && filter !== word) add(filter, detail, filter.replace(/:$/, ':'));
  }
  if (key === '' || key === 'year') values(data.years.map(String), 'year', 'Year');
  if (key === '' || key === 'camera') values(data.cameras, 'camera', 'Camera');
  if (key === '' || key === 'city') values(data.cities, 'city', 'Place');
  if (key === '' || key === 'album') values(data.albums, 'album', 'Album');
  // A key alone (`label:`) keeps the word: the dropdown only helps with known values.
  return out.map((s) => (s.label.endsWith(':') ? { ...s, query: s.query.trimEnd() } : s));
}

/** One chip of an applied query: a filter or the free words. */
export interface Chip {
  readonly label: string;
  /** The query without this chip. */
  readonly without: string;
}

function termText(term: SearchTerm): string {
  return `${term.key}:${quoted(term.value)}`;
}

/** The chips of a query: one per `key:value` term, one for the free text. */
export function chipsOf(q: string): Chip[] {
  const parsed = parseSearch(q);
  const terms = parsed.terms.map(termText);
  const freeWords = parsed.text;
  const chips: Chip[] = terms.map((label, i) => ({
    label,
    without: [...terms.filter((_, j) => j !== i), freeWords].filter((part) => part !== '').join(' '),
  }));
  if (freeWords !== '') chips.push({ label: `“${freeWords}”`, without: terms.join(' ') });
  return chips;
}
