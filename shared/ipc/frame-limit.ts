import type { z } from 'zod';
import { CHANNELS, contract } from './contract';

/**
 * [Note: Bridge frame limit]
 *
 * The web shell's bridge refuses frames larger than any legal request could be. That bound is
 * derived here from the contract's zod schemas (array and string maxima, literal and enum
 * sizes), so a new channel or a raised maximum moves the limit with it: a legal request is
 * never refused for its size, and a flood cannot hide inside one frame. A channel whose request
 * has no bound (an unbounded string or array, `unknown`) makes `maxJsonBytes` throw: every
 * request schema must bound its input.
 */

/** JSON.stringify writes at most 6 bytes per UTF-16 unit (`\u001f`); non-ASCII is ≤ 3 bytes of UTF-8. */
const WORST_BYTES_PER_CHAR = 6;
/** Longest JSON number: `-1.7976931348623157e+308`. */
const MAX_NUMBER_CHARS = 24;
/** One atom of a plain pattern (a word character, `\d`, `\w`, or a class of them) and its count (`{n}`, `{n,m}`, `?`). */
const PLAIN_ATOM = /(\\[dw]|[\w-]|\[[\w\\-]+\])(\{(\d+)(?:,(\d+))?\}|\?)?/y;

/**
 * The longest string an anchored pattern of word characters and fixed counts accepts (the UIDs'
 * `^p[0-9a-z]{15}$`, a 2FA code's `^\d{6}$`), or undefined for any other pattern. Such strings
 * need no JSON escaping: one byte per character.
 */
export function plainPatternMaxLength(pattern: RegExp): number | undefined {
  const source = pattern.source;
  if (!source.startsWith('^') || !source.endsWith('$') || pattern.flags !== '') return undefined;
  const body = source.slice(1, -1);
  let length = 0;
  PLAIN_ATOM.lastIndex = 0;
  while (PLAIN_ATOM.lastIndex < body.length) {
    const at = PLAIN_ATOM.lastIndex;
    const match = PLAIN_ATOM.exec(body);
    if (!match || match.index !== at) return undefined;
    length += match[2] === undefined ? 1 : match[2] === '?' ? 1 : Number(match[4] ?? match[3]);
  }
  return length;
}

interface Def {
  readonly type: string;
  readonly checks?: ReadonlyArray<{ readonly _zod: { readonly def: { check: string; maximum?: number; pattern?: RegExp } } }>;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly values?: readonly unknown[];
  readonly entries?: Record<string, unknown>;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function maxLengthOf(def: Def): number | undefined {
  const maxima = (def.checks ?? []).flatMap((check) => (check._zod.def.check === 'max_length' ? [check._zod.def.maximum ?? Infinity] : []));
  return maxima.length === 0 ? undefined : Math.min(...maxima);
}

function unbounded(path: string, what: string): never {
  throw new Error(`The contract leaves ${path || 'a request'} unbounded (${what}); give it a maximum.`);
}

/** The most bytes `schema`'s largest accepted value takes as compact JSON (what the renderer sends). */
export function maxJsonBytes(schema: z.ZodType, path = ''): number {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      const keys = Object.entries(def.shape ?? {});
      const members = keys.reduce((sum, [key, value]) => sum + JSON.stringify(key).length + 1 + maxJsonBytes(value, `${path}.${key}`), 0);
      return 2 + members + Math.max(0, keys.length - 1);
    }
    case 'array': {
      const max = maxLengthOf(def) ?? unbounded(path, 'an array without .max()');
      return 2 + max * maxJsonBytes(def.element as z.ZodType, `${path}[]`) + Math.max(0, max - 1);
    }
    case 'string': {
      const patterns = (def.checks ?? []).flatMap((check) => (check._zod.def.pattern ? [check._zod.def.pattern] : []));
      const plain = patterns.map(plainPatternMaxLength).filter((length) => length !== undefined);
      if (plain.length > 0) return 2 + Math.min(maxLengthOf(def) ?? Infinity, ...plain);
      const max = maxLengthOf(def) ?? unbounded(path, 'a string without .max()');
      return 2 + max * WORST_BYTES_PER_CHAR;
    }
    case 'number':
    case 'int':
      return MAX_NUMBER_CHARS;
    case 'boolean':
      return 5;
    case 'null':
      return 4;
    case 'literal':
      return Math.max(...(def.values ?? []).map((value) => JSON.stringify(value).length));
    case 'enum':
      return Math.max(...Object.values(def.entries ?? {}).map((value) => JSON.stringify(value).length));
    case 'optional':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return maxJsonBytes(def.innerType as z.ZodType, path);
    case 'nullable':
      return Math.max(4, maxJsonBytes(def.innerType as z.ZodType, path));
    case 'pipe':
      return maxJsonBytes(def.in as z.ZodType, path);
    case 'union':
      return Math.max(...(def.options ?? []).map((option) => maxJsonBytes(option, path)));
    default:
      return unbounded(path, `a ${def.type}`);
  }
}

/** Largest request id the renderer sends (ids count up from 1; JSON keeps them exact up to 2^53). */
const MAX_ID_DIGITS = String(Number.MAX_SAFE_INTEGER).length;

/** A request frame's bytes around its channel name and request (shared/ipc/wire.ts RequestFrame). */
export function requestFrameOverhead(channel: string): number {
  return `{"type":"request","id":,"channel":${JSON.stringify(channel)},"request":}`.length + MAX_ID_DIGITS;
}

/** The largest legal request frame of each channel, in bytes. */
export function maxRequestFrameBytesOf(channel: (typeof CHANNELS)[number]): number {
  return requestFrameOverhead(channel) + maxJsonBytes(contract[channel].request, channel);
}

/** The bridge's frame limit: the largest legal request frame of any channel. */
export const MAX_REQUEST_FRAME_BYTES: number = Math.max(...CHANNELS.map(maxRequestFrameBytesOf));
