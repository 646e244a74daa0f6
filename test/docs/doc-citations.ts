import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Protocol citations in the code: find them, check them, and (once, for the lead) rewrite the
 * legacy ones to the single style of docs/README.md.
 *
 * Legacy forms (before docs/ existed): `spec §2.4`, `Spec §2.4`, `CloudKit spec §1.1`, a bare
 * `(§4.6)`, and paths outside the repository such as `shared/spec/photoprism-api.md` or
 * `/work/shared/spec/cloudkit-web-services.md`. The one style now: `docs/photoprism-api.md §2.4`.
 *
 *   npx tsx test/docs/doc-citations.ts            report, grouped by file and notes file
 *   npx tsx test/docs/doc-citations.ts --rewrite  rewrite the legacy forms in place (lead only)
 *   … --root <dir>                                   work on another checkout (a copy, to try it)
 */

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const SCANNED_FOLDERS = ['main', 'shared', 'renderer', 'preload', 'test', '.build'];
const SCANNED_EXTENSIONS = ['.ts', '.svelte', '.mjs', '.js', '.md'];
/** This file and its test talk ABOUT the legacy forms; they are not citations. */
const SELF = ['test/docs/doc-citations.ts', 'test/docs/doc-citations.test.ts'];

export type NotesFile = 'docs/cloudkit.md' | 'docs/photoprism-api.md';

/**
 * Which notes file a citation without a name means, by the folder of the citing file: the CloudKit
 * client, the sync engine, the iCloud sign-in window and their tests and emulator cite the CloudKit
 * notes; everything else that cites (PhotoPrism client, library, thumbnails, actions, shared/,
 * the PhotoPrism emulator) cites the PhotoPrism notes.
 */
export function notesFor(file: string): NotesFile {
  return /(^|\/)(cloudkit|sync|build-config)\/|icloud-/.test(file) ? 'docs/cloudkit.md' : 'docs/photoprism-api.md';
}

export interface Citation {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly kind: 'legacy-spec' | 'outside-repo' | 'docs';
  /** For docs citations: the notes file and section cited. */
  readonly target?: { readonly notes: string; readonly section: string };
}

const OUTSIDE_REPO =
  /(?:\/work\/|(?:\.\.\/)+)?\bshared\/(?:spec|guides|seed|hooks)\/[\w./-]*|\/work\/[\w./+-]+|(?:\.\.\/)+shared\/photoprism\/[\w./-]+/g;
const DOCS_CITATION = /\bdocs\/([\w-]+\.md)(?: §(\d+(?:\.\d+)*))?/g;
/** `spec §2.4`, `CloudKit spec §1.1`, `cloudkit-web-services.md §2.2`, or a bare `§4.6`. */
const LEGACY_SECTION =
  /(?:\b(?:CloudKit |PhotoPrism )?[Ss]pec:? |(?<!docs\/)\b(?:cloudkit-web-services|photoprism-api)\.md )?§ ?(\d+(?:\.\d+)*)/g;

export function scannedFiles(root = ROOT): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.cache')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (SCANNED_EXTENSIONS.some((ext) => name.endsWith(ext))) files.push(relative(root, path).split(sep).join('/'));
    }
  };
  for (const folder of SCANNED_FOLDERS) {
    try {
      walk(join(root, folder));
    } catch {
      // A folder that does not exist has nothing to cite.
    }
  }
  return files.filter((file) => !SELF.includes(file)).sort();
}

export function findCitations(root = ROOT): Citation[] {
  const found: Citation[] = [];
  for (const file of scannedFiles(root)) {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    lines.forEach((text, index) => {
      const line = index + 1;
      for (const match of text.matchAll(OUTSIDE_REPO)) found.push({ file, line, text: match[0], kind: 'outside-repo' });
      const docsSpans: [number, number][] = [];
      for (const match of text.matchAll(DOCS_CITATION)) {
        docsSpans.push([match.index, match.index + match[0].length]);
        found.push({ file, line, text: match[0], kind: 'docs', target: { notes: `docs/${match[1] ?? ''}`, section: match[2] ?? '' } });
      }
      for (const match of text.matchAll(LEGACY_SECTION)) {
        const inDocsCitation = docsSpans.some(([start, end]) => match.index >= start && match.index < end);
        if (!inDocsCitation) found.push({ file, line, text: match[0], kind: 'legacy-spec' });
      }
    });
  }
  return found;
}

/** Section numbers a notes file defines: its `## N.` / `### N.M` headings, and items of numbered lists under them (§10.16). */
export function sectionsOf(markdown: string): Set<string> {
  const sections = new Set<string>();
  let current: string | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^#{2,4} (\d+(?:\.\d+)*)\.? /.exec(line);
    if (heading?.[1]) {
      current = heading[1];
      sections.add(current);
      continue;
    }
    const item = /^(\d+)\. /.exec(line);
    if (item?.[1] && current && !current.includes('.')) sections.add(`${current}.${item[1]}`);
  }
  return sections;
}

/** What is wrong with a docs citation, or undefined when the file and the section exist. */
export function brokenDocsCitation(citation: Citation, root = ROOT): string | undefined {
  if (citation.kind !== 'docs' || !citation.target) return undefined;
  let markdown: string;
  try {
    markdown = readFileSync(join(root, citation.target.notes), 'utf8');
  } catch {
    return `${citation.file}:${citation.line} cites ${citation.target.notes}, which does not exist`;
  }
  if (citation.target.section && !sectionsOf(markdown).has(citation.target.section)) {
    return `${citation.file}:${citation.line} cites ${citation.target.notes} §${citation.target.section}, which has no such section`;
  }
  return undefined;
}

/**
 * The mechanical rewrite (see docs/README.md): legacy section citations name their notes file,
 * and paths outside the repository become the notes file that replaced them.
 */
export function rewriteLine(file: string, text: string): string {
  const notes = notesFor(file);
  return text
    .replace(/(?:\/work\/|(?:\.\.\/)+)?\bshared\/spec\/cloudkit-web-services\.md/g, 'docs/cloudkit.md')
    .replace(/(?:\/work\/|(?:\.\.\/)+)?\bshared\/spec\/photoprism-api\.md/g, 'docs/photoprism-api.md')
    .replace(LEGACY_SECTION, (whole: string, section: string, offset: number, all: string) => {
      if (all.slice(Math.max(0, offset - 30), offset).match(/docs\/[\w-]+\.md $/)) return whole;
      const named = /cloudkit/i.test(whole) ? 'docs/cloudkit.md' : /photoprism/i.test(whole) ? 'docs/photoprism-api.md' : notes;
      return `${named} §${section}`;
    });
}

function main(argv: string[]): void {
  const rootFlag = argv.indexOf('--root');
  const root = rootFlag === -1 ? ROOT : resolve(argv[rootFlag + 1] ?? ROOT);
  const citations = findCitations(root);
  if (argv.includes('--rewrite')) {
    const files = new Set(citations.filter((c) => c.kind !== 'docs').map((c) => c.file));
    for (const file of files) {
      const path = join(root, file);
      const before = readFileSync(path, 'utf8');
      const after = before
        .split('\n')
        .map((line) => rewriteLine(file, line))
        .join('\n');
      if (after !== before) writeFileSync(path, after);
    }
    process.stdout.write(`Rewrote citations in ${files.size} files. Lines that still name an outside path need a hand edit:\n`);
  }
  const after = argv.includes('--rewrite') ? findCitations(root) : citations;
  const byFile = new Map<string, Citation[]>();
  for (const citation of after) byFile.set(citation.file, [...(byFile.get(citation.file) ?? []), citation]);
  for (const [file, list] of byFile) {
    const legacy = list.filter((c) => c.kind === 'legacy-spec').length;
    const outside = list.filter((c) => c.kind === 'outside-repo');
    const broken = list.map((c) => brokenDocsCitation(c, root)).filter(Boolean);
    if (!legacy && !outside.length && !broken.length) continue;
    process.stdout.write(
      `${file} → ${notesFor(file)}: ${legacy} legacy §${outside.map((c) => `; outside the repo at line ${c.line}: ${c.text}`).join('')}${broken.map((b) => `; ${b ?? ''}`).join('')}\n`,
    );
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
