import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';

/**
 * The extensions PhotoPrism's importer takes (PhotoPrism pkg/fs/file_exts.go, Extensions, with the Ext…
 * constants: images, RAW, videos, vectors, and the sidecars it reads with them). Anything else is skipped by the
 * server after uploading (docs/photoprism-api.md §6.5), so we say so before sending it.
 */
const IMPORTABLE = new Set(
  'jpg thm png dng avc hevc vvc evc mp4 yml jpeg jpe jif jfif jfi jxl tif tiff psd apng pnga pn gif bmp avif avis avifs hif heif heic avci avcs heifs heics webp mpo 3fr ari arw bay cap crw cr2 cr3 data dcs dcr drf eip erf fff gpr iiq k25 kdc mdc mef mos mrw nef nrw obm orf pef ptx pxn r3d raf raw rwl rwz rw2 srf srw sr2 x3f mov qt avi av1 mpg mpeg mjpg mjpeg mp2 mpv mp m4v mxf 3gp 3g2 flv f4v mkv mts m2ts ogv ogg ogx webm asf wmv dv svg ai ps ps2 ps3 eps eps2 eps3 epi ept epsf epsi xmp aae xml yaml json txt nfo md markdown'.split(
    ' ',
  ),
);

/** Whether PhotoPrism imports a file with this name. */
export function isImportable(name: string): boolean {
  return IMPORTABLE.has(extname(name).slice(1).toLowerCase());
}

/** A file found under what the person chose: its path, its name to show (relative to the choice), its size. */
export interface FoundFile {
  readonly path: string;
  readonly name: string;
  readonly sizeBytes: number;
  /** Not something PhotoPrism imports (chosen by name; folders only yield importable files). */
  readonly unsupported: boolean;
}

/** Most files one import may hold: a whole card is a few thousand; more is a mistake (a home folder). */
export const MAX_IMPORT_FILES = 20_000;

/**
 * The files under the chosen paths: files as they are, folders walked (hidden files and folders,
 * like `.DS_Store` and `.Trashes`, are left out, and only importable files are taken from
 * folders). Symbolic links are not followed (a loop, or a link out of the folder). Names shown
 * are relative to the chosen item, so the renderer learns no path beyond what the person chose.
 */
export async function findMediaFiles(paths: readonly string[]): Promise<{ files: FoundFile[]; unreadable: string[] }> {
  const files: FoundFile[] = [];
  const unreadable: string[] = [];
  const walk = async (dir: string, root: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      unreadable.push(relative(root, dir) || basename(dir));
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (files.length >= MAX_IMPORT_FILES) return;
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, root);
      else if (entry.isFile() && isImportable(entry.name)) {
        try {
          const info = await stat(path);
          files.push({ path, name: join(basename(root), relative(root, path)), sizeBytes: info.size, unsupported: false });
        } catch {
          unreadable.push(relative(root, path));
        }
      }
    }
  };
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      unreadable.push(basename(path));
      continue;
    }
    if (info.isDirectory()) await walk(path, path);
    else if (info.isFile()) files.push({ path, name: basename(path), sizeBytes: info.size, unsupported: !isImportable(path) });
    if (files.length >= MAX_IMPORT_FILES) break;
  }
  return { files, unreadable };
}
