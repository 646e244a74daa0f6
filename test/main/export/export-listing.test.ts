import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportStatus } from '../../../shared/export';
import { ExportService } from '../../../main/export/export-service';
import { createMemoryLogger } from '../../../main/log/logger';
import type { PhotoPrismClient } from '../../../main/photoprism/client';
import type { DownloadTokenSource } from '../../../main/thumbnails/preview-token';

/** A photo as PhotoPrism's GET /api/v1/photos/:uid lists it: one JPEG named after it. */
function photoOf(uid: string) {
  return { UID: uid, Files: [{ Name: `2024/${uid}.jpg`, Hash: `${uid}-hash`, Size: 5, Root: '/', Sidecar: false, FileType: 'jpg' }] };
}

/** A deferred value the test hands out when it chooses. */
function later<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * The export service against a fake server whose photo lists answer when the test says: what a
 * slow server (or a long selection) looks like, without timing anything. See
 * [Note: Exports download while their file lists are read].
 */
function exportWith(lists: Map<string, Promise<unknown>>, failing: Set<string> = new Set()) {
  const downloaded: string[] = [];
  const statuses: ExportStatus[] = [];
  const client = {
    photo: async (uid: string) => {
      await lists.get(uid);
      if (failing.has(uid)) throw new Error('the server went away');
      return photoOf(uid);
    },
    download: async (
      target: { kind: 'file'; hash: string },
      _token: string,
      options: { sink: (head: { status: number; headers: Record<string, string> }) => Writable },
    ) => {
      const head = { status: 200, headers: {} };
      const sink = options.sink(head);
      sink.end(Buffer.from(target.hash.slice(0, 5)));
      await finished(sink);
      downloaded.push(target.hash);
      return head;
    },
  } as unknown as PhotoPrismClient;
  const source = {
    active: () => ({ client }),
    downloadToken: () => 'token',
    refreshSession: () => Promise.resolve(),
    reportFailure: () => undefined,
  } as unknown as DownloadTokenSource;
  const service = new ExportService({
    source,
    albumTitle: () => undefined,
    onStatus: (s) => statuses.push(s),
    log: createMemoryLogger('test'),
  });
  return { service, downloaded, statuses };
}

describe("Export: files download while the photos' file lists are still read", () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it("writes the first photos' files before the last photo's list arrives, then finishes every file once", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pf-export-listing-'));
    folders.push(folder);
    const uids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
    const lastList = later<undefined>();
    const { service, downloaded, statuses } = exportWith(new Map([['p7', lastList.promise]]));
    const started = service.exportPhotos(uids, false, folder);
    expect(started.state).toBe('preparing');
    // The list of p7 is held back: the files of p1..p6 must not wait for it. A file is there once
    // its `.part` is renamed, a step after its download ends: wait for the files, not the downloads.
    const written = () =>
      readdirSync(folder)
        .filter((name) => !name.endsWith('.part'))
        .sort();
    await expect.poll(written, { timeout: 10_000 }).toEqual(['p1.jpg', 'p2.jpg', 'p3.jpg', 'p4.jpg', 'p5.jpg', 'p6.jpg']);
    expect(downloaded).toHaveLength(6);
    expect(service.list()[0]?.state).toBe('preparing');
    lastList.resolve(undefined);
    await service.idle();
    const done = service.list()[0];
    expect(done).toMatchObject({ state: 'done', filesDone: 7, filesTotal: 7, bytesDone: 35, bytesTotal: 35, failures: [] });
    expect([...downloaded].sort()).toEqual(uids.map((uid) => `${uid}-hash`));
    expect(readFileSync(join(folder, 'p7.jpg'), 'utf8')).toBe('p7-ha');
    // While the lists were read, the export said so, and its totals never went past the real ones.
    expect(statuses.some((s) => s.state === 'preparing' && s.filesDone > 0)).toBe(true);
    for (const s of statuses) expect(s.bytesDone).toBeLessThanOrEqual(s.bytesTotal || s.bytesDone);
  });

  it('a list that cannot be read fails the export after the files already listed are written; Resume lists the rest', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pf-export-listing-'));
    folders.push(folder);
    const uids = ['q1', 'q2', 'q3', 'q4', 'q5'];
    const failing = new Set(['q4']);
    const { service, downloaded } = exportWith(new Map(), failing);
    const started = service.exportPhotos(uids, false, folder);
    await service.idle();
    const failed = service.list()[0];
    expect(failed).toMatchObject({ state: 'failed' });
    expect(failed?.message).toBeTruthy();
    expect([...downloaded].sort()).toEqual(['q1-hash', 'q2-hash', 'q3-hash']);
    expect(readdirSync(folder).sort()).toEqual(['q1.jpg', 'q2.jpg', 'q3.jpg']);

    // The server is back: Resume reads the lists not read yet and fetches only what is missing.
    failing.clear();
    service.resume(started.id);
    await service.idle();
    expect(service.list()[0]).toMatchObject({ state: 'done', filesDone: 5, filesTotal: 5, failures: [], message: null });
    expect([...downloaded].sort()).toEqual(uids.map((uid) => `${uid}-hash`));
    expect(readdirSync(folder).sort()).toEqual(['q1.jpg', 'q2.jpg', 'q3.jpg', 'q4.jpg', 'q5.jpg']);
  });
});
