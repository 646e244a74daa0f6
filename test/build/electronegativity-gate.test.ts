import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
  findings: z.array(z.object({ check: z.string(), file: z.string(), allowed: z.string().optional() })),
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

  it('passes the real app, built as `npm run build` builds it, with every allow-list entry used', () => {
    const root = join(work, 'real');
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
});
