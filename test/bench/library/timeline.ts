/**
 * Where a first run's time goes: the moments a bench notes (sign-in, painted, a jump's click),
 * every request the app sent the server and when its answer began and ended (from the counting
 * relay), and every call the renderer made to main (from the web shell's dispatch), on one clock
 * (this process's `performance.now()`).
 */
export class Timeline {
  readonly #events: TimelineEvent[] = [];

  /** Note a moment; answers its time. */
  mark(what: string, atMs = performance.now()): number {
    this.#events.push({ atMs, what, kind: 'mark' });
    return atMs;
  }

  /** Note a request and answer its handle, to say when its answer came. */
  request(kind: RequestKind, what: string, atMs = performance.now()): TimedRequest {
    const event: TimelineEvent & TimedRequest = { atMs, what, kind };
    this.#events.push(event);
    return event;
  }

  /**
   * What happened from `fromMs` to `toMs`, one line per phase: the first and last request of each
   * kind asked and answered in the span, and the marks. Times are ms since `originMs`.
   */
  summary(originMs: number, fromMs: number, toMs: number): string {
    const rel = (ms: number | undefined) => (ms === undefined ? '–' : `${Math.round(ms - originMs)}`);
    const inSpan = this.#events.filter((e) => e.atMs >= fromMs && e.atMs <= toMs);
    const timed: { atMs: number; line: string }[] = [];
    for (const mark of inSpan.filter((e) => e.kind === 'mark')) timed.push({ atMs: mark.atMs, line: mark.what });
    // The few requests that gate the screen, one line each; the many (thumbnails, index pages) in sum.
    const every = process.env['PHOTOFLARE_BENCH_TIMELINE'] === 'all';
    for (const e of inSpan.filter((e) => e.kind !== 'mark' && (every || !AGGREGATED.includes(e.kind)))) {
      timed.push({ atMs: e.atMs, line: `${e.kind} ${e.what} → first byte ${rel(e.firstByteMs)}, done ${rel(e.endMs)}` });
    }
    const lines = timed.sort((a, b) => a.atMs - b.atMs).map((t) => `  ${rel(t.atMs).padStart(6)} ms  ${t.line}`);
    for (const kind of AGGREGATED) {
      const asked = inSpan.filter((e) => e.kind === kind);
      // Asked before the span and still open in it: they compete with what the span asks.
      const open = this.#events.filter((e) => e.kind === kind && e.atMs < fromMs && (e.endMs === undefined || e.endMs > fromMs)).length;
      if (asked.length === 0 && open === 0) continue;
      const first = asked[0];
      const last = asked.at(-1);
      const answered = asked.filter((e) => e.endMs !== undefined && e.endMs <= toMs);
      const lastEnd = Math.max(...answered.map((e) => e.endMs ?? 0));
      lines.push(
        `  ${kind.padEnd(10)} ${asked.length} asked (${open} still open from before), first asked ${rel(first?.atMs)} (${first?.what ?? ''}) ` +
          `first byte ${rel(first?.firstByteMs)} done ${rel(first?.endMs)}; last asked ${rel(last?.atMs)}; ${answered.length} done by the end, last at ${answered.length > 0 ? rel(lastEnd) : '–'}`,
      );
    }
    return lines.join('\n');
  }
}

export type RequestKind =
  'ipc' | 'session' | 'config' | 'live-page' | 'index-page' | 'thumbnail' | 'shell-thumb' | 'browser-thumb' | 'other';
const AGGREGATED: readonly RequestKind[] = ['index-page', 'browser-thumb', 'shell-thumb', 'thumbnail'];

export interface TimedRequest {
  firstByteMs?: number;
  endMs?: number;
}

interface TimelineEvent extends TimedRequest {
  readonly atMs: number;
  readonly what: string;
  readonly kind: 'mark' | RequestKind;
}

/** What kind of PhotoPrism request a request line is (the paths of docs/photoprism-api.md). */
export function requestKind(method: string, path: string): RequestKind {
  if (path.startsWith('/api/v1/session')) return 'session';
  if (path.startsWith('/api/v1/config')) return 'config';
  if (path.startsWith('/api/v1/t/')) return 'thumbnail';
  if (method === 'GET' && path.startsWith('/api/v1/photos?')) return path.includes('primary=true') ? 'live-page' : 'index-page';
  return 'other';
}
