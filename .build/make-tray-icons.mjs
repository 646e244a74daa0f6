// Draws the menu-bar icons from vector shapes and writes them as PNGs into main/tray/icons/.
//
//   node .build/make-tray-icons.mjs
//
// Why a script and not hand-made files: the five states must read as one family at 16 px, and a
// change of shape should be one edit here, not five trips to an image editor. The PNGs are
// committed (the app loads them at run time); test/main/tray/tray-icons.test.ts checks them.
//
// macOS template images: black + alpha only, file names ending in "Template", @1x 16×16 and
// @2x 32×32. The system tints them for light/dark menu bars. The "attention" icon is the one
// exception: colour only when something is wrong.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'main', 'tray', 'icons');
/** Samples per pixel edge: 4×4 supersampling gives smooth edges without a rasteriser library. */
const SUPERSAMPLE = 4;

// --- Shapes: functions (x, y) → inside? in a 16×16 design space ----------------------------

const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
/** A thick line with round caps. */
const capsule = (ax, ay, bx, by, halfWidth) => (x, y) => {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= halfWidth * halfWidth;
};
const triangle = (ax, ay, bx, by, cx, cy) => (x, y) => {
  const s1 = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
  const s2 = (cx - bx) * (y - by) - (cy - by) * (x - bx);
  const s3 = (ax - cx) * (y - cy) - (ay - cy) * (x - cx);
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
};
/** Part of a ring between two angles (degrees, clockwise from 3 o'clock, y down). */
const arc = (cx, cy, r, halfWidth, fromDeg, toDeg) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  if (Math.abs(d - r) > halfWidth) return false;
  const angle = ((Math.atan2(y - cy, x - cx) * 180) / Math.PI + 360) % 360;
  return fromDeg <= toDeg ? angle >= fromDeg && angle <= toDeg : angle >= fromDeg || angle <= toDeg;
};
const union =
  (...shapes) =>
  (x, y) =>
    shapes.some((shape) => shape(x, y));
const minus =
  (shape, ...holes) =>
  (x, y) =>
    shape(x, y) && !holes.some((hole) => hole(x, y));

/** The cloud every state shares, so the family reads as "Photoflare sync". */
const cloud = (grow = 0) =>
  union(circle(5, 9.5, 3 + grow), circle(8.5, 7, 4.2 + grow), circle(12, 9.5, 2.8 + grow), rect(5, 9.5, 12, 12.3 + grow));
const cloudOutline = minus(cloud(0), cloud(-1.4));

const check = union(capsule(5.9, 9.4, 7.7, 11, 0.8), capsule(7.7, 11, 11, 7.4, 0.8));
const pauseBars = union(rect(6.5, 7, 7.8, 11.2), rect(9.4, 7, 10.7, 11.2));
const slash = capsule(2.5, 2.5, 13.8, 14, 0.75);
const slashGap = capsule(2.5, 2.5, 13.8, 14, 1.9);
const exclamation = union(capsule(8.5, 6.2, 8.5, 9.2, 0.85), circle(8.5, 11.2, 0.9));

/** Two arrows chasing each other round a circle: the universal "syncing". */
const syncArrows = union(
  arc(8, 8, 5.2, 0.8, 200, 340),
  triangle(14.4, 8.6, 11, 5.9, 14.9, 4.6),
  arc(8, 8, 5.2, 0.8, 20, 160),
  triangle(1.6, 7.4, 5, 10.1, 1.1, 11.4),
);

const BLACK = [0, 0, 0];
const WHITE = [255, 255, 255];
/** A warm red that reads on light and dark menu bars alike. */
const ALERT = [229, 72, 77];

/** name → layers drawn bottom to top: [shape, rgb]. */
export const ICONS = {
  upToDateTemplate: [[minus(cloud(), check), BLACK]],
  syncingTemplate: [[syncArrows, BLACK]],
  pausedTemplate: [[minus(cloud(), pauseBars), BLACK]],
  offlineTemplate: [[union(minus(cloudOutline, slashGap), slash), BLACK]],
  attention: [
    [cloud(), ALERT],
    [exclamation, WHITE],
  ],
};

// --- Rasterise ------------------------------------------------------------------------------

/** RGBA pixels (non-premultiplied) of an icon at `size` px. */
export function rasterise(layers, size) {
  const pixels = new Uint8Array(size * size * 4);
  const scale = 16 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Composite the layers with "over", per pixel, from supersampled coverage.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (const [shape, rgb] of layers) {
        let hits = 0;
        for (let sy = 0; sy < SUPERSAMPLE; sy++) {
          for (let sx = 0; sx < SUPERSAMPLE; sx++) {
            const x = (px + (sx + 0.5) / SUPERSAMPLE) * scale;
            const y = (py + (sy + 0.5) / SUPERSAMPLE) * scale;
            if (shape(x, y)) hits++;
          }
        }
        const coverage = hits / (SUPERSAMPLE * SUPERSAMPLE);
        const outA = coverage + a * (1 - coverage);
        if (outA > 0) {
          r = (rgb[0] * coverage + r * a * (1 - coverage)) / outA;
          g = (rgb[1] * coverage + g * a * (1 - coverage)) / outA;
          b = (rgb[2] * coverage + b * a * (1 - coverage)) / outA;
        }
        a = outA;
      }
      const i = (py * size + px) * 4;
      pixels[i] = Math.round(r);
      pixels[i + 1] = Math.round(g);
      pixels[i + 2] = Math.round(b);
      pixels[i + 3] = Math.round(a * 255);
    }
  }
  return pixels;
}

// --- PNG encoding (RGBA, 8 bit, no interlace) -------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encode RGBA pixels as a PNG file. Deterministic: same pixels, same bytes. */
export function encodePng(pixels, size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // compression
  header[11] = 0; // filter method
  header[12] = 0; // no interlace
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter type None for every row
    Buffer.from(pixels.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(OUT_DIR, { recursive: true });
  for (const [name, layers] of Object.entries(ICONS)) {
    writeFileSync(join(OUT_DIR, `${name}.png`), encodePng(rasterise(layers, 16), 16));
    writeFileSync(join(OUT_DIR, `${name}@2x.png`), encodePng(rasterise(layers, 32), 32));
  }
  console.log(`Wrote ${Object.keys(ICONS).length * 2} tray icons to ${OUT_DIR}`);
}
