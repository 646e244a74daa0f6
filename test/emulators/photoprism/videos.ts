import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EmulatorContext } from './context';
import type { Exchange, Router } from './http';
import type { FileRec } from './model';

/**
 * `GET /api/v1/videos/:hash/:token/:format` (PhotoPrism internal/api/video.go, GetVideo): the
 * playable video of a photo, with byte ranges for streaming.
 *
 * Every video and Live photo plays the same real H.264 clip (fixtures/clip-avc.mp4: 2 s,
 * 320×240, generated once with `ffmpeg -f lavfi -i testsrc=duration=2:size=320x240:rate=15
 * -c:v libx264 -profile:v baseline -pix_fmt yuv420p -movflags +faststart`), which is what
 * PhotoPrism streams to browsers: AVC, as stored or transcoded (video.go: `transcode`).
 */

const CLIP = readFileSync(fileURLToPath(new URL('./fixtures/clip-avc.mp4', import.meta.url)));

/** Format names the endpoint accepts (PhotoPrism pkg/media/video/standards.go, Types). */
const VIDEO_FORMATS = new Set([
  'mp4',
  'mpeg4',
  'avc',
  'avc1',
  'hvc',
  'hvc1',
  'hevc',
  'hevC',
  'evc',
  'evc1',
  'evcC',
  'vvc',
  'vvc1',
  'vvcC',
  'vp8',
  'vp80',
  'vp9',
  'vp90',
  'av1',
  'av01',
  'ogg',
  'ogv',
  'webm',
]);

const VIDEO_ICON = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" data-icon="video"><rect width="24" height="24" fill="#e0e0e0"/><path d="M9 7l8 5-8 5z" fill="#9e9e9e"/></svg>',
);
const BROKEN_ICON = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" data-icon="broken"><rect width="24" height="24" fill="#e0e0e0"/></svg>',
);

/**
 * One byte range of `size` bytes from a Range header, as Go's http.ServeContent reads it
 * (gin's c.File): `bytes=a-b`, `bytes=a-`, `bytes=-n`; null = whole body, 'unsatisfiable' = 416.
 * Multi-range requests are answered with the first range (browsers never send them for media).
 */
export function parseRange(header: string, size: number): { start: number; end: number } | null | 'unsatisfiable' {
  const match = /^bytes=(\d*)-(\d*)/.exec(header.trim());
  if (!match) return null;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return 'unsatisfiable';
  if (from === '') {
    const suffix = Math.min(Number(to), size);
    return suffix === 0 ? 'unsatisfiable' : { start: size - suffix, end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) return 'unsatisfiable';
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  return end < start ? 'unsatisfiable' : { start, end };
}

/** Registers the video endpoint. */
export function registerVideoRoutes(router: Router, ctx: EmulatorContext): void {
  router.on('GET', '/api/v1/videos/:hash/:token/:format', (x) => {
    // video.go: InvalidPreviewToken → 403 with the broken icon.
    if (!ctx.auth.mediaTokenValid(x.params['token'] ?? '')) return x.send(403, 'image/svg+xml', BROKEN_ICON);
    // Unknown format, unknown file or a photo without a video: 200 with the video icon.
    if (!VIDEO_FORMATS.has(x.params['format'] ?? '')) return x.send(200, 'image/svg+xml', VIDEO_ICON);
    const file = ctx.store.filesByHash.get(x.params['hash'] ?? '');
    // A photo's other hash also works: video.go looks up VideoByPhotoUID when the file is no video.
    const video: FileRec | undefined = file?.video ? file : file?.photo.files.find((f) => f.video);
    if (!video) return x.send(200, 'image/svg+xml', VIDEO_ICON);
    sendWithRanges(x, CLIP, 'video/mp4; codecs="avc1"');
  });
}

/** Whole body (200) or one range (206), with Accept-Ranges as http.ServeContent sends it (videos, downloads). */
export function sendWithRanges(x: Exchange, body: Buffer, contentType: string, extraHeaders: Record<string, string> = {}): void {
  const headers = { 'Accept-Ranges': 'bytes', 'Cache-Control': 'private, max-age=2592000', ...extraHeaders };
  const range = parseRange(x.header('range'), body.length);
  if (range === null) return x.send(200, contentType, body, headers);
  if (range === 'unsatisfiable')
    return x.send(416, 'text/plain; charset=utf-8', Buffer.from('invalid range'), {
      ...headers,
      'Content-Range': `bytes */${body.length}`,
    });
  x.send(206, contentType, body.subarray(range.start, range.end + 1), {
    ...headers,
    'Content-Range': `bytes ${range.start}-${range.end}/${body.length}`,
  });
}
