/**
 * The one redaction function for everything the app logs: pure, no I/O, so the logger (and
 * whichever sink writes its lines: stderr, the rotating log file) can rely on it.
 *
 * [Note: Secrets never in logs]
 * Tokens reach log text in many shapes, so each shape has its own rule (test/main/log/redact.test.ts
 * has one case per shape):
 * - query strings: any URL's query is dropped, and a secret-named parameter (`t`, `token`,
 *   `ckWebAuthToken`, `ckAPIToken`, `ckSession`, `session`, `access_token`, …) is masked even
 *   outside a full URL (`/api/v1/dl/<hash>?t=<token>`) and in fragments (`#ckWebAuthToken=`);
 * - paths: PhotoPrism puts tokens in paths: `/session/<token>` (servers before 240420,
 *   PhotoPrism internal/api/session.go, GetSession), `/t/<hash>/<previewToken>/<size>`
 *   (internal/api/thumbnails.go, GetThumb) and `/videos/<hash>/<previewToken>/<format>`
 *   (internal/api/video.go, GetVideo);
 * - headers written as text (`X-Auth-Token: …`, `Authorization: Bearer …`, `Cookie: …`) or as
 *   JSON (`"X-Session-ID":"…"`);
 * - bare PhotoPrism session/auth tokens (48 hex digits, PhotoPrism pkg/rnd, AuthToken/SessionID)
 *   anywhere in free text;
 * - object fields whose NAME looks secret are masked whatever their value, at any depth; Error
 *   messages, stacks and causes go through the same text rules.
 */

export const REDACTED = '[redacted]';

/** Field names whose values are secrets (headers, settings keys, options). */
const SECRET_KEY = /token|secret|password|passwd|session|authorization|cookie|credential|apikey|api_key/i;

/** Query/fragment parameters that carry secrets; `t` is PhotoPrism's download/preview token. */
const SECRET_PARAM =
  /([?&#;](?:t|token|access_token|refresh_token|id_token|ckWebAuthToken|ckAPIToken|ckSession|session|session_id|sessionid|api_key|apikey|password|secret|code)=)[^&#\s"'<>]*/gi;

/** Headers that carry credentials, written as `Name: value` or `"Name": "value"`. */
const SECRET_HEADER_NAMES =
  'authorization|proxy-authorization|x-auth-token|x-session-id|x-download-token|x-preview-token|cookie|set-cookie';
const SECRET_HEADER_TEXT = new RegExp(`\\b(${SECRET_HEADER_NAMES})(\\s*[:=]\\s*)(?!")[^\\r\\n,;"'}]+(?:;[^\\r\\n,"'}]*)*`, 'gi');
const SECRET_HEADER_JSON = new RegExp(`("(?:${SECRET_HEADER_NAMES})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');

/** Tokens in URL paths (see the header). Keeps the non-secret parts so logs stay useful. */
const SECRET_PATHS: readonly [RegExp, string][] = [
  [/(\/session\/)[^/?#\s"']+/gi, `$1${REDACTED}`],
  [/(\/(?:t|videos)\/[^/?#\s"']+\/)[^/?#\s"']+/g, `$1${REDACTED}`],
];

const URL_QUERY = /\b((?:https?|wss?):\/\/[^\s?#"'<>]+)\?[^\s#"'<>]*/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const BARE_SESSION_TOKEN = /\b[0-9a-f]{48}\b/gi;

/** Mask every token shape in a piece of text (a log message, an error message, a stack). */
export function redactText(text: string): string {
  let out = text.replace(URL_QUERY, '$1?[query redacted]');
  out = out.replace(SECRET_PARAM, `$1${REDACTED}`);
  for (const [pattern, replacement] of SECRET_PATHS) out = out.replace(pattern, replacement);
  out = out.replace(SECRET_HEADER_JSON, `$1"${REDACTED}"`);
  out = out.replace(SECRET_HEADER_TEXT, `$1$2${REDACTED}`);
  out = out.replace(BEARER, `$1 ${REDACTED}`);
  return out.replace(BARE_SESSION_TOKEN, REDACTED);
}

/** Mask secrets in any value about to be logged (fields, errors, nested objects). */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 4) return '[…]';
  if (value instanceof Error) {
    // The stack's first line repeats the message, so it is redacted like any other text.
    const stack = value.stack?.split('\n').slice(0, 6).join('\n');
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      message: redactText(value.message),
      ...(typeof code === 'string' ? { code } : {}),
      ...(stack ? { stack: redactText(stack) } : {}),
      ...(value.cause === undefined ? {} : { cause: redact(value.cause, depth + 1) }),
    };
  }
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.slice(0, 20).map((item) => redact(item, depth + 1));
  if (value instanceof URL) return redactText(value.href);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? REDACTED : redact(inner, depth + 1);
    }
    return out;
  }
  return value;
}
