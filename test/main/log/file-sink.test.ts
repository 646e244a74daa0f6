import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { logFileName, RotatingFileSink, teeSink } from '../../../main/log/file-sink';
import { createLogger } from '../../../main/log/logger';

const tempDir = () => mkdtempSync(join(tmpdir(), 'pf-logs-'));

describe('RotatingFileSink (see [Note: Logging never hurts the app])', () => {
  it("writes the logger's lines to the file, redacted as the logger formats them", async () => {
    const dir = tempDir();
    const sink = new RotatingFileSink({ dir });
    const log = createLogger('photoflare', { sink: sink.write });
    log.info('signed in', { headers: { 'X-Auth-Token': 'secret-token-value' } });
    log.warn('fetch failed https://nas.local/api/v1/photos?t=preview-token');
    await sink.flush();
    const text = readFileSync(join(dir, 'photoflare.log'), 'utf8');
    expect(text.trim().split('\n')).toHaveLength(2);
    expect(text).toContain('INFO [photoflare] signed in');
    expect(text).not.toContain('secret-token-value');
    expect(text).not.toContain('preview-token');
    expect(statSync(join(dir, 'photoflare.log')).mode & 0o777).toBe(0o600);
  });

  it('returns before the disk is touched: write() only queues', () => {
    const dir = tempDir();
    const sink = new RotatingFileSink({ dir });
    sink.write('one line');
    // Nothing can have been written synchronously.
    expect(existsSync(join(dir, 'photoflare.log'))).toBe(false);
    expect(sink.recentLines()).toEqual(['one line']);
  });

  it('rotates at the size bound and keeps a bounded number of files', async () => {
    const dir = tempDir();
    const sink = new RotatingFileSink({ dir, maxBytes: 1000, files: 3 });
    const line = 'x'.repeat(99); // 100 bytes with its newline
    for (let round = 0; round < 5; round += 1) {
      for (let i = 0; i < 10; i += 1) sink.write(`${round}${line.slice(1)}`);
      await sink.flush();
    }
    expect(readdirSync(dir).sort()).toEqual(['photoflare.log', 'photoflare.log.1', 'photoflare.log.2']);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(1000);
    // The newest round is in the current file, the one before in .1.
    expect(readFileSync(join(dir, 'photoflare.log'), 'utf8').startsWith('4')).toBe(true);
    expect(readFileSync(join(dir, 'photoflare.log.1'), 'utf8').startsWith('3')).toBe(true);
  });

  it('continues an existing file across restarts and rotates it when it is already full', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'photoflare.log'), 'y'.repeat(950));
    const sink = new RotatingFileSink({ dir, maxBytes: 1000 });
    sink.write('z'.repeat(99));
    await sink.flush();
    expect(readFileSync(join(dir, 'photoflare.log'), 'utf8')).toBe(`${'z'.repeat(99)}\n`);
    expect(statSync(join(dir, 'photoflare.log.1')).size).toBe(950);
  });

  it('never throws when the disk refuses: the error is kept for diagnostics', async () => {
    const dir = tempDir();
    // A folder where the file should be: every append fails with EISDIR.
    mkdirSync(join(dir, 'photoflare.log'));
    const sink = new RotatingFileSink({ dir });
    expect(() => sink.write('lost line')).not.toThrow();
    await sink.flush();
    expect(sink.health().lastError).toMatch(/EISDIR|illegal operation/);
    expect(() => sink.flushSync()).not.toThrow();
    expect(sink.recentLines()).toEqual(['lost line']);
  });

  it('drops (and counts) lines when the disk cannot keep up, instead of growing without bound', () => {
    const sink = new RotatingFileSink({ dir: tempDir(), maxQueuedBytes: 250 });
    for (let i = 0; i < 10; i += 1) sink.write('a'.repeat(99));
    // 250 bytes hold two 100-byte lines until the next turn drains them; the other eight are dropped.
    expect(sink.health().droppedLines).toBe(8);
    expect(sink.recentLines()).toHaveLength(10);
  });

  it('keeps the newest lines in memory for diagnostics, bounded', () => {
    const sink = new RotatingFileSink({ dir: tempDir(), recentLines: 3 });
    for (const line of ['1', '2', '3', '4', '5']) sink.write(line);
    expect(sink.recentLines()).toEqual(['3', '4', '5']);
  });

  it('flushSync writes what is queued at once (the last words before an exit)', () => {
    const dir = tempDir();
    const sink = new RotatingFileSink({ dir });
    sink.write('first');
    sink.write('second');
    sink.flushSync();
    expect(readFileSync(join(dir, 'photoflare.log'), 'utf8')).toContain('second\n');
  });

  it('one file per profile', () => {
    expect(logFileName('default')).toBe('photoflare.log');
    expect(logFileName('second')).toBe('photoflare-second.log');
  });

  it('teeSink: a throwing sink does not stop the others', () => {
    const seen: string[] = [];
    const tee = teeSink(
      () => {
        throw new Error('EPIPE');
      },
      (line) => seen.push(line),
    );
    expect(() => tee('x')).not.toThrow();
    expect(seen).toEqual(['x']);
  });
});
