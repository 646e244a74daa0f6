import { describe, expect, it } from 'vitest';
import { buildDiagnosticsReport, diagnosticsFileName, type DiagnosticsInput } from '../../../main/diagnostics/diagnostics';
import { scrubDiagnosticText } from '../../../main/diagnostics/scrub';
import { makeTestCore, TRUSTED } from '../../helpers/core';

/** Everything a report must never carry, planted where it could leak (see [Note: What diagnostics may contain]). */
const SECRETS = {
  sessionId: 'a3f1c9e07b2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3f',
  bearer: 'eyJhbGciOiJIUzI1NiJ9.payload.sig',
  previewToken: 'pvtok123',
  serverUrl: 'https://photos.example.com:2342',
  serverHost: 'photos.example.com',
  otherHost: 'nas.local:2342',
  ip: '192.168.1.20',
  userName: 'alice.smith',
  email: 'alice@example.org',
  albumTitle: 'Holiday in Rome 2024',
  photoTitle: 'Sunset over the bay',
  fileName: 'IMG_2024_0612.HEIC',
  path: '/Users/alice.smith/Pictures/Library/2024',
  homePath: '/home/alice.smith',
};

const LOG_LINES = [
  `2026-11-30T06:00:00.000Z INFO [photoflare:photoprism] signed in to ${SECRETS.serverUrl} as ${SECRETS.userName}`,
  `2026-11-30T06:00:01.000Z WARN [photoflare:photoprism] request failed {"url":"${SECRETS.serverUrl}/api/v1/t/${SECRETS.previewToken}/tile_500","status":502}`,
  `2026-11-30T06:00:02.000Z ERROR [photoflare:sync] session ${SECRETS.sessionId} rejected; Authorization: Bearer ${SECRETS.bearer}`,
  `2026-11-30T06:00:03.000Z INFO [photoflare:actions] added 3 photos to “${SECRETS.albumTitle}”`,
  `2026-11-30T06:00:04.000Z WARN [photoflare:library] bad row {"title":"${SECRETS.photoTitle}","fileName":"${SECRETS.fileName}"}`,
  `2026-11-30T06:00:05.000Z ERROR [photoflare:thumbnails] could not write ${SECRETS.path}/${SECRETS.fileName}: ENOSPC`,
  `2026-11-30T06:00:06.000Z WARN [photoflare:photoprism] probe of ${SECRETS.otherHost} and ${SECRETS.ip} failed; contact ${SECRETS.email}`,
  `2026-11-30T06:00:07.000Z INFO [photoflare:settings] profile folder ${SECRETS.homePath}/.local/share/photoflare`,
  `2026-11-30T06:00:08.000Z INFO [photoflare:sync] pushed 12 events (photos.updated, albums.updated)`,
];

function input(overrides: Partial<DiagnosticsInput> = {}): DiagnosticsInput {
  return {
    nowMs: Date.UTC(2026, 10, 30, 7, 0, 0),
    app: { name: 'Photoflare', version: '1.4.2', profile: 'alice', shell: 'electron', platform: 'darwin' },
    runtime: { node: '20.19.0', electron: '33.0.0', arch: 'arm64', osRelease: '24.1.0' },
    settings: { theme: 'dark', syncEnabled: true, thumbnailCacheMiB: 2048 },
    syncUndecided: false,
    connection: {
      state: 'offline',
      serverUrl: SECRETS.serverUrl,
      insecureHttp: false,
      userName: SECRETS.userName,
      serverVersion: '240915-abcdef',
      lastError: { kind: 'network', message: `Could not reach ${SECRETS.serverHost}.` },
      indexing: null,
      lastRefreshedAt: Date.UTC(2026, 10, 29),
    },
    library: { all: 2000, favorites: 31, archived: 4, review: 9, private: 3, features: { review: true, private: true }, albums: 12 },
    sync: {
      state: { name: 'backoff', until: 1, reason: `iCloud is busy for ${SECRETS.userName}`, attempt: 2 },
      pendingCount: 7,
      photoprism: 'offline',
    },
    events: { pending: 7, pushed: 120 },
    notices: [],
    log: { lines: LOG_LINES, lastError: undefined, droppedLines: 0 },
    known: [SECRETS.serverUrl, SECRETS.serverHost, 'photos.example.com', SECRETS.userName, SECRETS.albumTitle, SECRETS.homePath, 'alice'],
    ...overrides,
  };
}

describe('diagnostics report', () => {
  const report = buildDiagnosticsReport(input());

  it('carries version, states and counters', () => {
    expect(report).toContain('version: 1.4.2');
    expect(report).toContain('shell: electron');
    expect(report).toContain('state: offline');
    expect(report).toContain('photos: 2000');
    expect(report).toContain('albums: 12');
    expect(report).toContain('pending: 7');
    expect(report).toContain('events: pending=7 pushed=120');
    expect(report).toContain('state: backoff (attempt 2');
    expect(report).toContain('lastError: network: Could not reach [removed].');
    // Log lines are there, scrubbed, with what describes the app intact.
    expect(report).toContain('pushed 12 events (photos.updated, albums.updated)');
    expect(report).toContain('could not write [path]');
  });

  for (const [what, value] of Object.entries(SECRETS)) {
    it(`holds no ${what}`, () => {
      expect(report.toLowerCase()).not.toContain(value.toLowerCase());
    });
  }

  it('withholds a profile name other than "default" (people name profiles after people)', () => {
    expect(report).toContain('profile: other (name withheld)');
    expect(report).not.toMatch(/\balice\b/i);
  });

  it('scrubs by pattern what it was not told about', () => {
    const text = scrubDiagnosticText(
      'GET https://unknown.example.net/x?t=1 from 10.0.0.7:8080 for bob@home.lan with “Bob’s Birthday” {"albumTitle":"Kids"} saving DSC_0001.JPG',
      [],
    );
    for (const leaked of ['unknown.example.net', '10.0.0.7', 'bob@home.lan', 'Birthday', 'Kids', 'DSC_0001'])
      expect(text).not.toContain(leaked);
  });

  it('names the file by time only', () => {
    expect(diagnosticsFileName(Date.UTC(2026, 10, 30, 7, 0, 0))).toBe('Photoflare-Diagnostics-2026-11-30T07-00-00-000Z.txt');
  });
});

describe('app.diagnostics through the contract', () => {
  it('answers the report for the window to download, with the log file lines scrubbed', async () => {
    const { core, cleanup } = makeTestCore();
    try {
      const result = await core.dispatch('app.diagnostics', {}, TRUSTED);
      if (!result.ok) throw new Error(result.error.message);
      const { fileName, text } = result.value as { fileName: string; text: string };
      expect(fileName).toMatch(/^Photoflare-Diagnostics-.*\.txt$/);
      expect(text).toContain('version: 9.9.9-test');
      expect(text).toContain('shell: web');
      expect(text).toContain('(no log file in this run)');
    } finally {
      await cleanup();
    }
  });
});
