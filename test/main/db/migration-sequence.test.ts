import { describe, expect, it } from 'vitest';
import { migrationSequenceProblems, type Migration } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { RELEASED_SCHEMA_VERSIONS } from '../../../main/db/migrations/released';

const up = () => undefined;
const step = (version: number): Migration => ({ version, name: `step-${version}`, up });

describe('migration sequence (one counter for the whole file)', () => {
  it('the real list keeps every released version and adds new steps only above them', () => {
    expect(migrationSequenceProblems(MIGRATIONS, RELEASED_SCHEMA_VERSIONS)).toEqual([]);
  });

  it('accepts a new migration appended above the highest released version', () => {
    expect(migrationSequenceProblems([step(10), step(100), step(110), step(120)], [10, 100, 110])).toEqual([]);
  });

  it('flags a new "cache" migration slotted in below a released event-log version', () => {
    // The trap the old comments set: "the cache keeps 0010–0090". An install at 110 skips 40.
    const problems = migrationSequenceProblems([step(10), step(30), step(40), step(100), step(110)], [10, 30, 100, 110]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/migration 40 .* below released version 110/);
  });

  it('flags a released migration that was removed or renumbered', () => {
    expect(migrationSequenceProblems([step(10), step(110)], [10, 100, 110])).toEqual(['released migration 100 is missing from the list']);
  });

  it('every released version is one the list knows, in order', () => {
    expect([...RELEASED_SCHEMA_VERSIONS].sort((a, b) => a - b)).toEqual(RELEASED_SCHEMA_VERSIONS);
    for (const version of RELEASED_SCHEMA_VERSIONS) expect(MIGRATIONS.map((m) => m.version)).toContain(version);
  });
});
