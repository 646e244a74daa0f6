import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

/**
 * The security gate over the built app (.build/electronegativity-gate.mjs): a deliberately bad
 * window must fail it, a reason-less allow-list must be refused, and the real app, built into a
 * temporary folder exactly as `npm run build` builds it, must pass with every allow-listed
 * finding accounted for.
 */
const ROOT = join(__dirname, '..', '..');
const GATE = join(ROOT, '.build', 'electronegativity-gate.mjs');
const work = mkdtempSync(join(tmpdir(), 'gate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const Report = z.object({
  scanned: z.number(),
  findings: z.array(z.object({ check: z.string(), file: z.string(), sample: z.string().optional(), allowed: z.string().optional() })),
  parseErrors: z.array(z.object({ file: z.string(), message: z.string() })),
  unusedAllowlistEntries: z.array(z.object({ check: z.string() })),
});

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const gate = (args: string[]) => run(process.execPath, [GATE, ...args]);

describe('electronegativity gate', () => {
  it('fails a deliberately insecure BrowserWindow, honouring only allow-listed findings', () => {
    const fixture = join(work, 'bad-app');
    mkdirSync(fixture, { recursive: true });
    writeFileSync(
      join(fixture, 'main.cjs'),
      [
        "const { BrowserWindow } = require('electron');",
        'const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });',
        "win.loadURL('http://example.com/');",
      ].join('\n'),
    );
    const allowlist = join(work, 'partial-allowlist.json');
    writeFileSync(
      allowlist,
      JSON.stringify({
        entries: [
          { check: 'SANDBOX_JS_CHECK', file: 'main.cjs', reason: 'Only to prove that allow-listing works per finding.' },
          { check: 'HTTP_RESOURCES_JS_CHECK', file: 'elsewhere/*.cjs', reason: 'Matches nothing: reported as unused.' },
        ],
      }),
    );
    const result = gate(['--input', fixture, '--allowlist', allowlist, '--json']);
    expect(result.code, result.stderr).toBe(1);
    const report = Report.parse(JSON.parse(result.stdout));
    expect(report.scanned).toBe(1);
    const byCheck = new Map(report.findings.map((finding) => [finding.check, finding]));
    expect(byCheck.get('SANDBOX_JS_CHECK')?.allowed).toContain('prove');
    expect(byCheck.get('CONTEXT_ISOLATION_JS_CHECK')).toMatchObject({ file: 'main.cjs' });
    expect(byCheck.get('CONTEXT_ISOLATION_JS_CHECK')?.allowed).toBeUndefined();
    expect(byCheck.get('HTTP_RESOURCES_JS_CHECK')?.allowed).toBeUndefined();
    expect(report.unusedAllowlistEntries.map((entry) => entry.check)).toEqual(['HTTP_RESOURCES_JS_CHECK']);
  }, 120_000);

  it('refuses an allow-list entry without a reason', () => {
    const allowlist = join(work, 'no-reason.json');
    writeFileSync(allowlist, JSON.stringify({ entries: [{ check: 'OPEN_EXTERNAL_JS_CHECK', file: 'dist/main/index.cjs' }] }));
    const result = gate(['--input', work, '--allowlist', allowlist]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"reason" is required');
  });

  it('refuses to pass when there is nothing built to scan', () => {
    const result = gate(['--root', join(work, 'empty')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('npm run build');
  });

  it('explains a finding only by its exact statement, and each reviewed statement only once', () => {
    const fixture = join(work, 'open-external');
    mkdirSync(fixture, { recursive: true });
    writeFileSync(
      join(fixture, 'main.cjs'),
      [
        "const { shell } = require('electron');",
        'function open(url) {',
        '  shell.openExternal(url);',
        '  shell.openExternal(url);',
        '  shell.openExternal(process.argv[1]);',
        '}',
      ].join('\n'),
    );
    const allowlist = join(work, 'open-external-allowlist.json');
    writeFileSync(
      allowlist,
      JSON.stringify({
        entries: [
          {
            check: 'OPEN_EXTERNAL_JS_CHECK',
            file: 'main.cjs',
            sample: 'shell.openExternal(url);',
            reason: 'Reviewed once: the URL was checked.',
          },
        ],
      }),
    );
    const result = gate(['--input', fixture, '--allowlist', allowlist, '--json']);
    expect(result.code, result.stderr).toBe(1);
    const report = Report.parse(JSON.parse(result.stdout));
    const open = report.findings.filter((finding) => finding.check === 'OPEN_EXTERNAL_JS_CHECK');
    expect(open.map((finding) => [finding.sample, finding.allowed !== undefined])).toEqual([
      ['shell.openExternal(url);', true],
      ['shell.openExternal(url);', false],
      ['shell.openExternal(process.argv[1]);', false],
    ]);
  }, 120_000);
});

/**
 * The real app, built once into a temporary folder exactly as `npm run build` builds it: it
 * passes; and each COPY of it with one weakness put back must fail the gate (mutation tests:
 * before the gate's own checks and exact allow-list samples, every one of them passed).
 */
describe('electronegativity gate over the built app', () => {
  const root = join(work, 'real');
  beforeAll(() => {
    const electron = run(process.execPath, [join(ROOT, '.build', 'build-electron.mjs'), '--outdir', join(root, 'dist')]);
    expect(electron.code, electron.stderr).toBe(0);
    const vite = run(process.execPath, [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(ROOT, 'renderer', 'vite.config.ts'),
      '--outDir',
      join(root, 'dist', 'renderer'),
      '--emptyOutDir',
      '--logLevel',
      'error',
    ]);
    expect(vite.code, vite.stderr).toBe(0);
  }, 180_000);

  it('passes the real app with every allow-list entry used', () => {
    const result = gate(['--root', root, '--json']);
    const report = Report.parse(JSON.parse(result.stdout));
    expect(report.parseErrors).toEqual([]);
    expect(report.findings.filter((finding) => finding.allowed === undefined)).toEqual([]);
    expect(result.code, result.stderr).toBe(0);
    // Every scanned bundle is there (a scan of nothing would pass vacuously).
    expect(report.scanned).toBeGreaterThanOrEqual(4);
    const allowlist = z
      .object({ entries: z.array(z.object({ check: z.string(), reason: z.string().min(20) })) })
      .parse(JSON.parse(readFileSync(join(ROOT, '.build', 'electronegativity-allowlist.json'), 'utf8')));
    expect(allowlist.entries.length).toBeGreaterThan(0);
    expect(report.unusedAllowlistEntries).toEqual([]);
  }, 180_000);

  /** Replace exactly one occurrence (a mutation that silently missed would prove nothing). */
  function mutate(file: string, find: RegExp, replace: (match: string, ...groups: string[]) => string): (dir: string) => void {
    return (dir) => {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      const matches = text.match(new RegExp(find.source, `${find.flags.replace('g', '')}g`)) ?? [];
      expect(matches, `${file}: ${find}`).toHaveLength(1);
      writeFileSync(path, text.replace(find, replace as (substring: string, ...args: unknown[]) => string));
    };
  }

  const MUTATIONS: { name: string; apply: (dir: string) => void; expected: { check: string; file: string } }[] = [
    {
      name: "index.html's CSP allows inline and eval'd script",
      apply: mutate('dist/renderer/index.html', /script-src 'self';/, () => "script-src 'self' 'unsafe-inline' 'unsafe-eval';"),
      expected: { check: 'PHOTOFLARE_CSP_UNSAFE_SCRIPT', file: 'dist/renderer/index.html' },
    },
    {
      name: "the app:// CSP header allows inline and eval'd script",
      apply: mutate('dist/main/index.cjs', /"script-src 'self'"/, () => `"script-src 'self' 'unsafe-inline' 'unsafe-eval'"`),
      expected: { check: 'PHOTOFLARE_CSP_UNSAFE_SCRIPT', file: 'dist/main/index.cjs' },
    },
    {
      name: 'shell.openExternal(process.argv[…]) next to the reviewed call',
      apply: mutate(
        'dist/main/index.cjs',
        /^(\s*)void (import_electron\d*)\.shell\.openExternal\(/m,
        (line, indent, name) => `${indent}${name}.shell.openExternal(process.argv[1]);\n${line}`,
      ),
      expected: { check: 'OPEN_EXTERNAL_JS_CHECK', file: 'dist/main/index.cjs' },
    },
    {
      name: 'context isolation off',
      apply: mutate('dist/main/index.cjs', /contextIsolation: true/, () => 'contextIsolation: false'),
      expected: { check: 'PHOTOFLARE_CONTEXT_ISOLATION_OFF', file: 'dist/main/index.cjs' },
    },
    {
      name: 'sandbox off',
      apply: mutate('dist/main/index.cjs', /\bsandbox: true/, () => 'sandbox: false'),
      expected: { check: 'PHOTOFLARE_SANDBOX_OFF', file: 'dist/main/index.cjs' },
    },
    {
      name: 'webSecurity off',
      apply: mutate('dist/main/index.cjs', /webSecurity: true/, () => 'webSecurity: false'),
      expected: { check: 'PHOTOFLARE_WEB_SECURITY_OFF', file: 'dist/main/index.cjs' },
    },
  ];

  // One copy with every weakness put back and one gate run over it (each gate run parses the whole
  // bundle: six runs cost CI about 30 s more). Each weakness is in its own statement and has its
  // own check and file, so each case below still fails alone if the gate stops seeing its weakness.
  describe('fails a copy of the built app with the weaknesses put back', () => {
    let report: z.infer<typeof Report> | undefined;
    beforeAll(async () => {
      const copy = join(work, 'mutant');
      cpSync(join(root, 'dist'), join(copy, 'dist'), { recursive: true });
      for (const mutation of MUTATIONS) mutation.apply(copy);
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [GATE, '--root', copy, '--json'],
          { cwd: ROOT, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
          (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
        );
      });
      expect(result.code, result.stderr).toBe(1);
      report = Report.parse(JSON.parse(result.stdout));
    }, 300_000);

    for (const mutation of MUTATIONS) {
      it(mutation.name, () => {
        const unexplained = (report?.findings ?? []).filter((finding) => finding.allowed === undefined);
        expect(unexplained).toContainEqual(expect.objectContaining(mutation.expected));
      });
    }
  });
});
