import type { PhotoRecord } from '../../main/library/library-repo';

/**
 * A cached photo row for tests of the library database: photo `i` with a unique UID, thumbnail
 * hash and file name, plain defaults for everything else, and the fields a test is about in
 * `overrides`.
 */
export function photoRecord(i: number, overrides: Partial<PhotoRecord> = {}): PhotoRecord {
  return {
    uid: `p${String(i).padStart(15, '0')}`,
    title: `Photo ${i}`,
    description: '',
    takenAt: '2024-05-01T10:00:00.000Z',
    takenAtLocal: '2024-05-01T12:00:00',
    quality: 4,
    width: 4000,
    height: 3000,
    type: 'image',
    favorite: false,
    private: false,
    archived: false,
    thumbHash: i.toString(16).padStart(40, '0'),
    fileName: `${i}.jpg`,
    fileSizeBytes: 1000,
    cameraModel: '',
    lensModel: '',
    iso: 100,
    exposure: '',
    fNumber: 2,
    focalLengthMm: 35,
    placeLabel: '',
    lat: 0,
    lng: 0,
    serverUpdatedAt: '',
    durationMs: 0,
    ...overrides,
  };
}
