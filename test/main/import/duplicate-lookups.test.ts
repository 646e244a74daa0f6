import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportStatus } from '../../../shared/import/schemas';
import { ImportService } from '../../../main/import/import-service';
import { EventHub } from '../../../main/ipc/event-hub';
import { createMemoryLogger } from '../../../main/log/logger';
import type { PhotoPrismClient } from '../../../main/photoprism/client';
import { TransportError } from '../../../main/photoprism/transport';
import { writeImportFiles } from '../../helpers/import-files';

/**
 * When the duplicate check runs (see [Note: Duplicates are looked up while files are still
 * sending]). The server here is a scripted stand-in, not the emulator: these tests hold one
 * upload's answer back on purpose and watch which look-ups happen meanwhile, which a real
 * server's timing cannot promise.
 */

let dir: string | undefined;
let service: ImportService | undefined;

afterEach(async () => {
  await service?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
  service = undefined;
  dir = undefined;
});

/** A server that answers each upload when the test lets it, and remembers which hashes it holds. */
function scriptedServer(options: { holding: readonly string[]; failFirstSearch?: boolean }) {
  const holding = new Set(options.holding);
  const received: string[] = [];
  const searches: Array<{ hashes: string[]; afterImport: boolean }> = [];
  const held = new Map<string, () => void>();
  let imported = false;
  let failNext = options.failFirstSearch ?? false;
  const client = {
    session: async () => ({ userUid: 'us1' }),
    uploadUserFile: async (_user: string, _token: string, body: { open: () => Readable }) => {
      // Read the whole body, as the socket would: that is when the file's hash is known.
      let text = '';
      for await (const chunk of body.open() as AsyncIterable<Buffer>) text += chunk.toString('latin1');
      const name = /filename="([^"]+)"/.exec(text)?.[1] ?? '';
      received.push(name);
      if (name.includes('HOLD')) await new Promise<void>((resolve) => held.set(name, resolve));
      return { ok: true };
    },
    searchPhotos: async (params: { uid?: string }) => {
      const hashes = (params.uid ?? '').split('|');
      searches.push({ hashes, afterImport: imported });
      if (failNext) {
        failNext = false;
        throw new TransportError('network', 'The connection dropped.');
      }
      const results = hashes.filter((hash) => holding.has(hash)).map((hash) => ({ UID: `p${hash.slice(0, 15)}`, Hash: hash, Quality: 3 }));
      return { results, count: results.length };
    },
    processUserUpload: async () => {
      imported = true;
      for (const name of received) holding.add(hashesByName.get(name) ?? '');
      return { ok: true };
    },
  };
  const hashesByName = new Map<string, string>();
  return {
    client: client as unknown as PhotoPrismClient,
    searches,
    hashesByName,
    /** Answer the held upload of this file. */
    release: (name: string) => held.get(name)?.(),
    isHeld: (name: string) => held.has(name),
  };
}

function startService(
  server: ReturnType<typeof scriptedServer>,
  options: { refreshByUid?: () => Promise<never>; appendLocal?: (events: readonly unknown[]) => void } = {},
): ImportService {
  const log = createMemoryLogger('import');
  dir = mkdtempSync(join(tmpdir(), 'pf-lookups-'));
  service = new ImportService({
    connection: { active: () => ({ client: server.client }) as never, reportFailure: () => undefined },
    library: {
      refreshByUid: options.refreshByUid ?? (async () => ({ changed: [], archived: [], removed: [], absent: [], albums: [], skipped: [] })),
      albums: () => [],
    },
    eventLog: {
      appendLocal: (events) => {
        options.appendLocal?.(events);
        return [] as never;
      },
    },
    syncEnabled: () => false,
    events: new EventHub(log),
    log,
    stagingDir: join(dir, 'staging'),
  });
  return service;
}

async function settled(service: ImportService): Promise<ImportStatus> {
  await vi.waitFor(() => expect(service.status().active).toBe(false));
  return service.status();
}

describe('duplicate look-ups during an import', () => {
  it('asks about a sent file while a later file is still uploading, and still tells duplicates from new photos', async () => {
    const filesDir = mkdtempSync(join(tmpdir(), 'pf-lookup-files-'));
    const [first] = writeImportFiles(filesDir, 1, 40_000, 'DUPE');
    const [second] = writeImportFiles(filesDir, 1, 40_000, 'HOLD');
    if (!first || !second) throw new Error('no files');
    // The first file is already in the library; the second one's upload is answered only when the test says so.
    const server = scriptedServer({ holding: [first.sha1] });
    for (const f of [first, second]) server.hashesByName.set(f.name, f.sha1);
    const running = startService(server);

    await running.start({ paths: [first.path, second.path], albumUid: null });
    await vi.waitFor(() => expect(server.isHeld(second.name)).toBe(true));
    // Both hashes were asked while the second upload still waits for its answer.
    await vi.waitFor(() => expect(server.searches.flatMap((s) => s.hashes).sort()).toEqual([first.sha1, second.sha1].sort()));
    expect(running.status().files.map((f) => f.state)).toEqual(['uploaded', 'uploading']);

    server.release(second.name);
    const status = await settled(running);
    expect(status.files.map((f) => f.state)).toEqual(['duplicate', 'imported']);
    // After the last upload: the import step and ONE search for its result.
    expect(server.searches.filter((s) => s.afterImport)).toHaveLength(1);
    expect(server.searches.filter((s) => !s.afterImport).flatMap((s) => s.hashes)).toHaveLength(2);
    rmSync(filesDir, { recursive: true, force: true });
  });

  it('a look-up that failed while sending is asked again before the import step, so a duplicate is not called new', async () => {
    const filesDir = mkdtempSync(join(tmpdir(), 'pf-lookup-files-'));
    const [file] = writeImportFiles(filesDir, 1, 30_000, 'DUPE');
    if (!file) throw new Error('no file');
    const server = scriptedServer({ holding: [file.sha1], failFirstSearch: true });
    server.hashesByName.set(file.name, file.sha1);
    const running = startService(server);

    await running.start({ paths: [file.path], albumUid: null });
    const status = await settled(running);

    expect(status.files[0]).toMatchObject({ state: 'duplicate' });
    // The early search failed; the same hash was asked again before the import, then once after it.
    expect(server.searches.map((s) => [s.hashes, s.afterImport])).toEqual([
      [[file.sha1], false],
      [[file.sha1], false],
      [[file.sha1], true],
    ]);
    rmSync(filesDir, { recursive: true, force: true });
  });
});

describe('announcing an import', () => {
  it('records the imported photos for other devices before the cache has refreshed them (a quit during a slow refresh loses nothing)', async () => {
    const filesDir = mkdtempSync(join(tmpdir(), 'pf-announce-files-'));
    const [file] = writeImportFiles(filesDir, 1, 30_000, 'NEW');
    if (!file) throw new Error('no file');
    const server = scriptedServer({ holding: [] });
    server.hashesByName.set(file.name, file.sha1);
    const recorded: unknown[] = [];
    // The server is slow to answer the cache's refresh of the new photo: it never does here.
    const running = startService(server, {
      refreshByUid: () => new Promise<never>(() => undefined),
      appendLocal: (e) => recorded.push(...e),
    });

    await running.start({ paths: [file.path], albumUid: null });
    expect((await settled(running)).files.map((f) => f.state)).toEqual(['imported']);
    await vi.waitFor(() =>
      expect(recorded).toEqual([{ event: 'photos.updated', data: { entities: [{ UID: `p${file.sha1.slice(0, 15)}` }] } }]),
    );
    rmSync(filesDir, { recursive: true, force: true });
  });
});
