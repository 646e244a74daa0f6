import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { brokenDocsCitation, findCitations, notesFor, ROOT, rewriteLine, sectionsOf } from './doc-citations';

/**
 * Citations of protocol notes (docs/README.md): every `docs/….md §N` must name a notes file and a
 * section that exist, and — once the lead has rewritten the legacy forms — nothing may cite a path
 * outside the repository or an unnamed "spec §N".
 *
 * [Note: Turning on the strict citation check]
 * Other engineers were editing the citing files when docs/ was written, so the legacy forms were
 * left for one mechanical rewrite at the end (`npx tsx test/docs/doc-citations.ts --rewrite`).
 * After it, set LEGACY_CITATIONS_REWRITTEN to true: the strict test then fails on any `spec §`,
 * bare `§`, `shared/spec/…` or `/work/…` citation in main/ shared/ renderer/ preload/ test/ .build/.
 */
const LEGACY_CITATIONS_REWRITTEN = true;

const work = mkdtempSync(join(tmpdir(), 'doc-citations-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('protocol citations', () => {
  it('every docs/ citation in the code names a notes file and a section that exist', () => {
    const docs = findCitations().filter((citation) => citation.kind === 'docs');
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.map((citation) => brokenDocsCitation(citation)).filter(Boolean)).toEqual([]);
  });

  it('the check bites: a missing notes file or section is reported', () => {
    const root = join(work, 'broken');
    mkdirSync(join(root, 'main'), { recursive: true });
    cpSync(join(ROOT, 'docs'), join(root, 'docs'), { recursive: true });
    writeFileSync(
      join(root, 'main', 'x.ts'),
      '// fine (docs/cloudkit.md §2.3), (docs/cloudkit.md §10.16)\n// (docs/cloudkit.md §2.9) and (docs/nope.md §1)\n',
    );
    const problems = findCitations(root)
      .map((citation) => brokenDocsCitation(citation, root))
      .filter(Boolean);
    expect(problems).toEqual([
      'main/x.ts:2 cites docs/cloudkit.md §2.9, which has no such section',
      'main/x.ts:2 cites docs/nope.md, which does not exist',
    ]);
  });

  it('finds the legacy forms and paths outside the repository', () => {
    const root = join(work, 'legacy');
    mkdirSync(join(root, 'test', 'emulators', 'cloudkit'), { recursive: true });
    writeFileSync(
      join(root, 'test', 'emulators', 'cloudkit', 'y.ts'),
      '// Built from /work/shared/spec/cloudkit-web-services.md (§9.7), see spec §2.3 and ../shared/spec/x.md\n',
    );
    const found = findCitations(root).map((citation) => [citation.kind, citation.text]);
    expect(found).toEqual([
      ['outside-repo', '/work/shared/spec/cloudkit-web-services.md'],
      ['outside-repo', '../shared/spec/x.md'],
      ['legacy-spec', '§9.7'],
      ['legacy-spec', 'spec §2.3'],
    ]);
  });

  it('the rewrite names the notes file by folder, or by the name the citation gives', () => {
    expect(notesFor('main/cloudkit/client.ts')).toBe('docs/cloudkit.md');
    expect(notesFor('test/main/sync/sync-engine.test.ts')).toBe('docs/cloudkit.md');
    expect(notesFor('main/window/icloud-callback.ts')).toBe('docs/cloudkit.md');
    expect(notesFor('main/library/library-service.ts')).toBe('docs/photoprism-api.md');
    expect(notesFor('shared/ipc/contract.ts')).toBe('docs/photoprism-api.md');
    expect(rewriteLine('main/photoprism/client.ts', '// (spec §2.4) and (§8.5)')).toBe(
      '// (docs/photoprism-api.md §2.4) and (docs/photoprism-api.md §8.5)',
    );
    expect(rewriteLine('main/cloudkit/config.ts', '// See the CloudKit spec §1.1; (docs/cloudkit.md §2.3)')).toBe(
      '// See the docs/cloudkit.md §1.1; (docs/cloudkit.md §2.3)',
    );
    expect(rewriteLine('main/window/icloud-callback.ts', '// See shared/spec/cloudkit-web-services.md §2.2.')).toBe(
      '// See docs/cloudkit.md §2.2.',
    );
    expect(rewriteLine('test/emulators/cloudkit/index.ts', ' * Built from /work/shared/spec/cloudkit-web-services.md (never')).toBe(
      ' * Built from docs/cloudkit.md (never',
    );
  });

  it('the notes number their sections, and list items under a chapter count (§10.16)', () => {
    const sections = sectionsOf(readFileSync(join(ROOT, 'docs', 'cloudkit.md'), 'utf8'));
    for (const section of ['1.1', '2.5', '3.8', '5', '9.7', '10', '10.16', '11']) expect(sections.has(section), section).toBe(true);
    const photoprism = sectionsOf(readFileSync(join(ROOT, 'docs', 'photoprism-api.md'), 'utf8'));
    for (const section of ['0.1', '1.8', '2.5', '4.6', '5', '8.5', '9.3', '10.14']) expect(photoprism.has(section), section).toBe(true);
  });

  // See [Note: Turning on the strict citation check].
  it.skipIf(!LEGACY_CITATIONS_REWRITTEN)('no code cites a path outside the repository or an unnamed spec section', () => {
    const legacy = findCitations().filter((citation) => citation.kind !== 'docs');
    expect(legacy.map((citation) => `${citation.file}:${citation.line} ${citation.text}`)).toEqual([]);
  });
});
