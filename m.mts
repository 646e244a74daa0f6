import { mkdtempSync } from 'node:fs'; import { tmpdir } from 'node:os'; import { join } from 'node:path';
import { DATABASE_FILE, openDatabase } from './main/db/database';
import { migrate } from './main/db/migrate';
import { MIGRATIONS } from './main/db/migrations';
import { LibraryRepo } from './main/library/library-repo';
import { measureIngest } from './test/bench/library/ingest';
import { benchLogger } from './test/bench/library/profile';
const r = await measureIngest({ rows: 100000, runs: 1 });
console.log('ingest/s', r.insertPerS.map(Math.round), 'unchanged', r.unchangedPerS.map(Math.round));
