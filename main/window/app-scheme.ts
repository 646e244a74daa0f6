import { protocol, type Session } from 'electron';
import { APP_SCHEME } from './navigation-policy';

/**
 * Register `app:` as a privileged scheme. Must run before the app is ready.
 *
 * standard: real origins and relative URLs (so the page's assets resolve like on the web);
 * secure: treated like https (secure context); supportFetchAPI: the page may fetch() its own
 * files and thumbnails; codeCache: V8 keeps the compiled renderer chunks (Electron: CustomScheme,
 * `codeCache`, standard schemes only), so a launch after the first one does not compile the app's
 * code again before its first screen. No `bypassCSP`, no `corsEnabled`: the CSP still applies.
 * See [Note: The app origin].
 */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serve `app://` in a session with the handler from app-protocol.ts. */
export function serveAppScheme(session: Session, handler: (request: Request) => Promise<Response>): void {
  session.protocol.handle(APP_SCHEME, handler);
}
