import type { WritableDb } from '../database';

/**
 * Where the cache came from and when it last matched the server.
 *
 * `connection` holds the one server this profile talks to. The URL is not a secret, but it stays
 * in main: the renderer sees it only through ConnectionStatus, and it never goes to iCloud. The
 * session token is NOT here (it lives in the SecretStore). `trusted_fingerprint` is the SHA-256
 * of a self-signed certificate the user chose to trust (see [Note: TLS pinning]).
 */
export function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE connection (
      id                  INTEGER PRIMARY KEY CHECK (id = 1),
      server_url          TEXT NOT NULL,
      user_name           TEXT NOT NULL,
      server_version      TEXT,
      trusted_fingerprint TEXT
    ) STRICT;

    CREATE TABLE library_meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
  `);
}
