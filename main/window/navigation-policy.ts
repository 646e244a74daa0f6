/**
 * Which URLs the app window may show, and which links may leave the app: pure, no Electron.
 *
 * [Note: The app origin]
 * The renderer is served from `app://photoflare/` (a privileged standard scheme, see
 * app-protocol.ts), never from file:// (which would give the page the whole disk) nor from a
 * web server. Node's WHATWG URL gives custom schemes an opaque origin ("null"), so the origin
 * is checked as scheme + host, not with `url.origin`.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'photoflare';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the main window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Longest external link we will hand to the system browser. */
const MAX_EXTERNAL_URL_LENGTH = 2048;

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Whether a URL belongs to our app origin (`app://photoflare/...`). */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/**
 * Whether the window may navigate to `url`: only within our own origin.
 *
 * Anything else (a link, a redirect, `location = …` from a compromised page) is refused; links
 * meant to leave the app go through `decideWindowOpen()` instead.
 */
export function decideNavigation(url: string): 'allow' | 'deny' {
  return isAppUrl(url) ? 'allow' : 'deny';
}

/**
 * An external link the system browser may open, or undefined.
 *
 * Only plain https links: no http (PhotoPrism links are opened by main with care elsewhere), no
 * file:, javascript:, custom schemes that launch other apps, nor credentials in the URL.
 */
export function checkExternalUrl(url: string): string | undefined {
  if (url.length > MAX_EXTERNAL_URL_LENGTH) return undefined;
  const parsed = parse(url);
  if (!parsed || parsed.protocol !== 'https:') return undefined;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return undefined;
  return parsed.href;
}

/** What to do with `window.open` / target=_blank: never a new app window; maybe the browser. */
export interface WindowOpenDecision {
  readonly action: 'deny';
  /** Set when the link is safe to open in the system browser. */
  readonly openExternally?: string;
}

/** Decide a window-open request: always denied in-app; checked https links go to the browser. */
export function decideWindowOpen(url: string): WindowOpenDecision {
  const external = checkExternalUrl(url);
  return external === undefined ? { action: 'deny' } : { action: 'deny', openExternally: external };
}
