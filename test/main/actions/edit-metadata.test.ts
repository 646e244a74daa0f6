import { afterEach, describe, expect, it } from 'vitest';
import type { PhotoMetadata } from '../../../shared/library/metadata';
import { activePhotos, snapshotPhoto, startActionsEnv, type ActionsEnv } from './harness';

let env: ActionsEnv | undefined;

afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function start(version?: string): Promise<ActionsEnv> {
  env = await startActionsEnv({ photos: 30, albums: 2, seed: 5, ...(version ? { version } : {}) });
  return env;
}

const puts = (e: ActionsEnv) =>
  e.emu.requests.filter((r) => r.method === 'PUT').map((r) => JSON.parse(r.body ?? '{}') as Record<string, unknown>);

describe('edit metadata', () => {
  it('writes title, caption, keywords, date with zone and Details with their Src manual; the server derives UTC', async () => {
    const e = await start();
    const [uid = ''] = activePhotos(e.emu);
    const result = await e.act('actions.editMetadata', {
      uids: [uid],
      edit: {
        title: 'Harbour at dusk',
        caption: 'Boats coming in',
        keywords: 'Harbour, boats, harbour, x, 2024',
        takenAtLocal: '2023-07-14T21:30:00',
        timeZone: 'Europe/Berlin',
        artist: 'Ada',
      },
    });
    expect(result).toEqual({ applied: [uid], failed: [] });
    const put = puts(e).at(-1) ?? {};
    expect(put).toMatchObject({
      Title: 'Harbour at dusk',
      TitleSrc: 'manual',
      Description: 'Boats coming in',
      DescriptionSrc: 'manual',
      TakenAtLocal: '2023-07-14T21:30:00Z',
      TimeZone: 'Europe/Berlin',
      TakenSrc: 'manual',
      Year: 2023,
      Month: 7,
      Day: 14,
      Details: { Keywords: 'Harbour, boats, harbour, x, 2024', KeywordsSrc: 'manual', Artist: 'Ada', ArtistSrc: 'manual' },
    });
    // The Details are applied only because the numeric PhotoID came along (read first).
    expect((put['Details'] as { PhotoID: number }).PhotoID).toBeGreaterThan(0);
    const server = snapshotPhoto(e.emu, uid);
    expect(server).toMatchObject({
      Title: 'Harbour at dusk',
      Caption: 'Boats coming in',
      Keywords: 'boats, harbour',
      TimeZone: 'Europe/Berlin',
    });
    // 21:30 in Berlin in July (CEST, +2) is 19:30 UTC.
    expect(server.TakenAt).toBe('2023-07-14T19:30:00Z');
    expect(server.TakenAtLocal).toBe('2023-07-14T21:30:00Z');
    // The cache has what the server answered.
    const details = await e.details(uid);
    expect(details).toMatchObject({ title: 'Harbour at dusk', description: 'Boats coming in', takenAtLocal: '2023-07-14T21:30:00' });
    expect(details.takenAt).toBe('2023-07-14T19:30:00.000Z');
    // And the inspector reads it all back from the server.
    const [read] = await e.call<PhotoMetadata[]>('photo.editableMetadata', { uids: [uid] });
    expect(read).toMatchObject({
      keywords: 'boats, harbour',
      artist: 'Ada',
      timeZone: 'Europe/Berlin',
      takenAtLocal: '2023-07-14T21:30:00',
    });
    // One photos.updated naming the UID, and nothing of the new values anywhere in the log.
    expect(e.rows()).toEqual([{ name: 'photos.updated', uids: JSON.stringify([uid]), status: 'local-only' }]);
    expect(JSON.stringify(e.log())).not.toMatch(/Harbour|Boats|Ada|Berlin/);
  });

  it('undo puts each photo of a batch edit back to its own values; redo applies the edit again', async () => {
    const e = await start();
    const uids = activePhotos(e.emu).slice(0, 3);
    const before = await e.call<PhotoMetadata[]>('photo.editableMetadata', { uids });
    await e.act('actions.editMetadata', { uids, edit: { title: 'Same for all', copyright: '© Ada' } });
    for (const uid of uids) expect(snapshotPhoto(e.emu, uid).Title).toBe('Same for all');
    expect(await e.history()).toMatchObject({ canUndo: true, undoLabel: 'Undo Edit Info' });
    await e.act('actions.undo');
    const after = await e.call<PhotoMetadata[]>('photo.editableMetadata', { uids });
    expect(after.map((m) => [m.title, m.copyright])).toEqual(before.map((m) => [m.title, m.copyright]));
    await e.act('actions.redo');
    for (const uid of uids) expect(snapshotPhoto(e.emu, uid).Title).toBe('Same for all');
    // Three actions, three photos.updated events naming the three UIDs each.
    expect(e.rows().map((row) => row.name)).toEqual(['photos.updated', 'photos.updated', 'photos.updated']);
  });

  it('speaks Caption to a 2025 server and Description to an older one', async () => {
    const e = await start('250321-0a1b2c3d4-Linux-AMD64-CE');
    const [uid = ''] = activePhotos(e.emu);
    await e.act('actions.editMetadata', { uids: [uid], edit: { caption: 'New caption' } });
    const put = puts(e).at(-1) ?? {};
    expect(put).toEqual({ Caption: 'New caption', CaptionSrc: 'manual' });
    expect(snapshotPhoto(e.emu, uid).Caption).toBe('New caption');
    expect((await e.details(uid)).description).toBe('New caption');
  });

  it('refuses bad input before anything is sent: an impossible time zone, a date that is no date, an empty edit', async () => {
    const e = await start();
    const [uid = ''] = activePhotos(e.emu);
    await expect(e.act('actions.editMetadata', { uids: [uid], edit: { timeZone: 'Europe/Berlin; DROP' } })).rejects.toThrow();
    await expect(e.act('actions.editMetadata', { uids: [uid], edit: { takenAtLocal: 'yesterday' } })).rejects.toThrow();
    await expect(e.act('actions.editMetadata', { uids: [uid], edit: {} })).rejects.toThrow();
    expect(puts(e)).toEqual([]);
  });

  it('a photo deleted on the server fails alone; the others are edited', async () => {
    const e = await start();
    const uids = activePhotos(e.emu).slice(0, 2);
    const [gone = '', kept = ''] = uids;
    e.emu.admin.deletePhotos([gone]);
    const result = await e.act('actions.editMetadata', { uids, edit: { title: 'Kept' } });
    expect(result.applied).toEqual([kept]);
    expect(result.failed.flatMap((f) => f.uids)).toEqual([gone]);
    expect(snapshotPhoto(e.emu, kept).Title).toBe('Kept');
  });
});
