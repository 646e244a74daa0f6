import { describe, expect, it } from 'vitest';
import { normaliseTime, RowMerger, thumbnailFile, toPhotoMetadata, toPhotoRecord } from '../../../main/library/photo-mapping';
import { keywordsColumn, toFacets } from '../../../main/library/offline-search';
import { PhotoDetailEntity, SearchPhoto } from '../../../main/photoprism/schemas';

const row = (uid: string, files: { hash: string; primary?: boolean; type?: string; root?: string; size?: number }[]) =>
  SearchPhoto.parse({
    UID: uid,
    TakenAt: '2024-12-01T10:15:00Z',
    Title: `t ${uid}`,
    Hash: files[0]?.hash,
    Files: files.map((f) => ({
      Hash: f.hash,
      Primary: f.primary ?? false,
      FileType: f.type ?? 'jpg',
      Root: f.root ?? '/',
      Size: f.size ?? 1,
      Name: `${f.hash}.x`,
    })),
  });

describe('RowMerger (see [Note: Rows are files])', () => {
  it('joins a photo whose files are split across two pages', () => {
    const merger = new RowMerger();
    const page1 = [
      row('pa00000000000001', [{ hash: 'a1', primary: true }]),
      row('pb00000000000002', [{ hash: 'b1', type: 'jpg', root: 'sidecar', primary: true }]),
    ];
    const page2 = [row('pb00000000000002', [{ hash: 'b2', type: 'raw' }]), row('pc00000000000003', [{ hash: 'c1' }])];
    const done1 = merger.push(page1);
    expect(done1.map((r) => r.UID)).toEqual(['pa00000000000001']);
    const done2 = merger.push(page2);
    expect(done2.map((r) => r.UID)).toEqual(['pb00000000000002']);
    expect(done2[0]?.Files?.map((f) => f.Hash)).toEqual(['b1', 'b2']);
    expect(merger.finish().map((r) => r.UID)).toEqual(['pc00000000000003']);
    expect(merger.finish()).toEqual([]);
  });

  it('joins consecutive unmerged rows of one photo', () => {
    const merger = new RowMerger();
    const a = SearchPhoto.parse({ UID: 'pa00000000000001', TakenAt: 'x', Hash: 'h1', Files: null });
    const b = SearchPhoto.parse({ UID: 'pa00000000000001', TakenAt: 'x', Hash: 'h2', Files: null });
    merger.push([a, b]);
    expect(merger.finish()[0]?.Files?.map((f) => f.Hash)).toEqual(['h1', 'h2']);
  });
});

describe('thumbnailFile picks like the web UI (docs/photoprism-api.md §2.5)', () => {
  it('prefers the primary file, then JPEG/PNG, then a non-sidecar', () => {
    expect(
      thumbnailFile(
        row('p', [
          { hash: 'raw', type: 'raw' },
          { hash: 'jpg', primary: true },
        ]),
      )?.Hash,
    ).toBe('jpg');
    expect(
      thumbnailFile(
        row('p', [
          { hash: 'raw', type: 'raw' },
          { hash: 'png', type: 'png' },
        ]),
      )?.Hash,
    ).toBe('png');
    expect(
      thumbnailFile(
        row('p', [
          { hash: 'side', type: 'xmp', root: 'sidecar' },
          { hash: 'mov', type: 'mov' },
        ]),
      )?.Hash,
    ).toBe('mov');
  });
});

describe('toPhotoRecord', () => {
  it('maps a row, reading Caption (2025) or Description and the swapped lens key', () => {
    const rec = toPhotoRecord(
      SearchPhoto.parse({
        UID: 'psoeo0k2d9x1q7ab',
        TakenAt: '2024-12-01T10:15:00.5Z',
        Caption: 'new caption',
        Description: 'old',
        LensMake: 'EF 35mm f/2',
        Files: [{ Hash: 'h', Primary: true, Size: 42, Width: 10, Height: 20, Name: 'a.jpg' }],
      }),
      { archived: false },
    );
    expect(rec).toMatchObject({
      description: 'new caption',
      lensModel: 'EF 35mm f/2',
      thumbHash: 'h',
      fileSizeBytes: 42,
      width: 10,
      height: 20,
      fileName: 'a.jpg',
      takenAt: '2024-12-01T10:15:00.500Z',
    });
  });

  it("keeps a video's Duration (nanoseconds on the wire) in milliseconds; none for a still photo", () => {
    const base = { UID: 'psoeo0k2d9x1q7ab', TakenAt: '2024-01-01T00:00:00Z', Type: 'video' };
    expect(toPhotoRecord(SearchPhoto.parse({ ...base, Duration: 42_500_000_000 }), { archived: false })?.durationMs).toBe(42_500);
    // PhotoPrism omits a zero Duration (omitempty).
    expect(toPhotoRecord(SearchPhoto.parse({ ...base, Type: 'image' }), { archived: false })?.durationMs).toBe(0);
  });

  it('marks archived rows (DeletedAt set, not the zero time) and refuses malformed UIDs', () => {
    const base = { UID: 'psoeo0k2d9x1q7ab', TakenAt: '2024-01-01T00:00:00Z' };
    expect(toPhotoRecord(SearchPhoto.parse({ ...base, DeletedAt: '2024-02-01T00:00:00Z' }), { archived: false })?.archived).toBe(true);
    expect(toPhotoRecord(SearchPhoto.parse({ ...base, DeletedAt: '0001-01-01T00:00:00Z' }), { archived: false })?.archived).toBe(false);
    expect(toPhotoRecord(SearchPhoto.parse({ ...base, UID: 'nope' }), { archived: false })).toBeUndefined();
  });

  it('normalises times so text order is time order', () => {
    expect(normaliseTime('2023-04-22T14:07:59Z') < normaliseTime('2023-04-22T14:07:59.138137001Z')).toBe(true);
    expect(normaliseTime('garbage')).toBe('0001-01-01T00:00:00.000Z');
  });

  it("normalises every form of time as Date does: a day past the month's end rolls over, a bad field is the zero time", () => {
    // The common form is normalised without Date (normaliseTime's fast path): it must agree with
    // Date's parse and print for what it takes and leave everything else to them.
    const byDate = (value: string): string => {
      const ms = Date.parse(value);
      return Number.isFinite(ms) ? new Date(ms).toISOString() : '0001-01-01T00:00:00.000Z';
    };
    const times: string[] = ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '2024-02-29T12:00:00Z', '2024-01-01T00:00:00+02:00'];
    for (const day of ['00', '01', '28', '29', '30', '31', '32'])
      for (const month of ['00', '01', '02', '04', '12', '13'])
        for (const time of ['00:00:00', '23:59:59', '24:00:00', '23:60:00', '23:59:60', '09:05:07.250', '09:05:07.1'])
          for (const zone of ['Z', '', '+01:00']) times.push(`2023-${month}-${day}T${time}${zone}`);
    for (const time of times) expect([time, normaliseTime(time)]).toEqual([time, byDate(time)]);
  });

  it('keeps the local wall time of a row without TakenAtLocal from its UTC time, whatever its form', () => {
    const row = (TakenAt: string) => SearchPhoto.parse({ UID: 'psoeo0k2d9x1q7ab', TakenAt });
    expect(toPhotoRecord(row('2023-04-22T14:07:59Z'), { archived: false })).toMatchObject({
      takenAt: '2023-04-22T14:07:59.000Z',
      takenAtLocal: '2023-04-22T14:07:59',
    });
    expect(toPhotoRecord(row('2023-02-30T14:07:59Z'), { archived: false })).toMatchObject({
      takenAt: '2023-03-02T14:07:59.000Z',
      takenAtLocal: '2023-03-02T14:07:59',
    });
  });
});

describe('the search keywords of a listing (see [Note: Keywords of a listing, remembered])', () => {
  const keywordsOf = (title: string, description: string) =>
    toPhotoRecord(SearchPhoto.parse({ UID: 'pa00000000000001', TakenAt: '2024-12-01T10:15:00Z', Title: title, Description: description }), {
      archived: false,
    })?.facets?.keywords;

  it('are the same for a title seen again, and each title and description pair has its own', () => {
    expect(keywordsOf('Beach / Lisbon / 2021', '')).toBe(' beach lisbon ');
    expect(keywordsOf('Beach / Lisbon / 2021', '')).toBe(' beach lisbon ');
    // Title and description that read the same run together are not the same pair.
    expect(keywordsOf('Sunset', 'Harbour')).toBe(' harbour sunset ');
    expect(keywordsOf('SunsetHarbour', '')).toBe(' sunsetharbour ');
    expect(keywordsOf('', 'SunsetHarbour')).toBe(' sunsetharbour ');
    expect(keywordsOf('Sunset', 'Harbour')).toBe(' harbour sunset ');
  });
});

describe('toPhotoMetadata (GET /api/v1/photos/:uid)', () => {
  it('lists files, splits the keyword string, and orders labels most certain first', () => {
    const entity = PhotoDetailEntity.parse({
      UID: 'psoeo0k2d9x1q7ab',
      Details: { Keywords: 'beach, sunset,beach, ' },
      Files: [
        {
          Name: '2024/06/IMG_1.mov',
          Root: '/',
          Primary: false,
          FileType: 'mov',
          Mime: 'video/quicktime',
          Size: 3_000_000,
          Duration: 2_500_000_000,
        },
        { Name: '2024/06/IMG_1.heic', Root: '/', Primary: true, FileType: 'heic', Size: 2_000_000, Width: 4032, Height: 3024 },
      ],
      Labels: [
        { LabelSrc: 'image', Uncertainty: 40, Label: { Name: 'Sea' } },
        { LabelSrc: 'manual', Uncertainty: 0, Label: { Name: 'Beach' } },
        { LabelSrc: 'image', Uncertainty: 10, Label: null },
      ],
    });
    const metadata = toPhotoMetadata(entity);
    expect(metadata.keywords).toEqual(['beach', 'sunset']);
    expect(metadata.labels).toEqual([
      { name: 'Beach', uncertainty: 0, source: 'manual' },
      { name: 'Sea', uncertainty: 40, source: 'image' },
    ]);
    expect(metadata.files.map((f) => [f.fileType, f.durationMs, f.primary, f.width])).toEqual([
      ['mov', 2500, false, 0],
      ['heic', 0, true, 4032],
    ]);
  });

  it('reads a photo whose Details, Files and Labels are null', () => {
    expect(toPhotoMetadata(PhotoDetailEntity.parse({ UID: 'psoeo0k2d9x1q7ab', Details: null, Files: null, Labels: null }))).toEqual({
      files: [],
      keywords: [],
      labels: [],
    });
  });
});

describe('the keywords a search row keeps of its title and description', () => {
  it('are the same whether titles repeat or never do, across many fillings of the memo', () => {
    // The mapping remembers the keywords of titles and steps aside while nothing repeats
    // ([Note: A memo steps aside when nothing repeats]): each answer must still be the computed one.
    const titles = [
      ...Array.from({ length: 30_000 }, (_, i) => `Photo ${i} in Lisbon`),
      ...Array.from({ length: 30_000 }, (_, i) => `Beach / Zürich / ${2000 + (i % 20)}`),
      ...Array.from({ length: 10_000 }, (_, i) => `Harbour ${i % 7 === 0 ? i : 'boats'}`),
    ];
    const base = SearchPhoto.parse({ UID: 'psoeo0k2d9x1q7ab', TakenAt: '2024-12-01T10:15:00Z' });
    for (const [i, Title] of titles.entries()) {
      const Description = i % 5 === 0 ? `Seen from pier ${i % 3}` : '';
      expect(toFacets({ ...base, Title, Description }).keywords, Title).toBe(keywordsColumn(Title, Description));
    }
    expect(toFacets({ ...base, Title: 'Beach / Zürich / 2021', Description: '' }).keywords).toBe(' beach zürich ');
  });
});
