import { redactText } from '../log/logger';

/**
 * Remove from text what a diagnostics report must never carry: tokens, server addresses, user
 * names, titles and file names. Log lines are already redacted of tokens by the logger; this is
 * the second, stricter pass for a file the person will send to someone (see
 * [Note: What diagnostics may contain] in main/diagnostics/diagnostics.ts).
 *
 * `known` lists the values this profile is known to hold (its server URL and host, user name,
 * album titles, home folder): each is removed wherever it appears. Patterns then catch the
 * rest: URLs, host names and IP addresses, e-mail addresses, paths, media file names, quoted
 * titles, fields named like a title or a name, and long token-like strings.
 */
export function scrubDiagnosticText(text: string, known: readonly string[]): string {
  let out = redactText(text);
  const values = [...new Set(known.map((value) => value.trim()).filter((value) => value !== ''))].sort((a, b) => b.length - a.length);
  for (const value of values) {
    // Whole words only, so a two-letter user name does not eat every word containing it.
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(value)}(?![\\p{L}\\p{N}])`, 'giu'), '[removed]');
  }
  return (
    out
      // Fields that hold names and titles, in the JSON of a log line.
      .replace(
        /"([A-Za-z_]*(?:title|name|user|file|path|url|host|server|description|detail|label|album)[A-Za-z_]*)":\s*"(?:[^"\\]|\\.)*"/gi,
        '"$1":"[removed]"',
      )
      .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)\]]+/gi, '[address]')
      .replace(/\b[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}\b/gi, '[user]')
      .replace(/\[[0-9a-f:]{2,}\](?::\d+)?/gi, '[address]')
      .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, '[address]')
      .replace(HOST_NAME, '[address]')
      .replace(/(?:~|\b[A-Z]:\\|(?<![\w.])\/)(?:[^\s/\\"':]+[/\\])+[^\s/\\"':]*/gi, '[path]')
      .replace(MEDIA_FILE, '[file]')
      // Titles quoted for a person (“Trip to Rome”, ‘…’, «…»).
      .replace(/“[^”]*”|‘[^’]*’|«[^»]*»/g, '“[removed]”')
      // Session ids, preview and API tokens: long runs of token characters.
      .replace(/\b[A-Za-z0-9_-]{32,}\b/g, '[redacted]')
  );
}

/** host.example.com, nas.local:2342 — common top-level and local-network suffixes, or any with a port. */
const HOST_NAME =
  /\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:(?:com|net|org|io|app|dev|cloud|me|biz|co|us|eu|de|uk|fr|nl|ch|at|se|no|dk|fi|it|es|pl|be|jp|au|ca|local|lan|home|internal|arpa|localhost)\b(?::\d+)?|[a-z]{2,}:\d+\b)/gi;

/** A file name with a photo, video, sidecar or settings extension. */
const MEDIA_FILE =
  /[^\s"'/\\[\]]+\.(?:jpe?g|heic|heif|png|gif|tiff?|webp|avif|bmp|raw|dng|cr2|cr3|nef|arw|orf|rw2|raf|mp4|mov|m4v|avi|mkv|3gp|webm|xmp|aae|yml|yaml|txt|pdf)\b/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
