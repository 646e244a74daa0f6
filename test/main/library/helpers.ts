import { openDatabase, type WritableDb } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { EventHub } from '../../../main/ipc/event-hub';
import { LibraryRepo } from '../../../main/library/library-repo';
import { LibraryService, type LibraryServiceOptions } from '../../../main/library/library-service';
import { createMemoryLogger } from '../../../main/log/logger';
import type { Clock } from '../../../main/platform/clock';
import { ConnectionService } from '../../../main/photoprism/connection-service';
import { createNodeTransport, type HttpRequest, type TransportFactory } from '../../../main/photoprism/transport';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import type { EventName } from '../../../shared/ipc/contract';

/** A manual clock: timers run only when a test advances time. */
export class FakeClock implements Clock {
  #now: number;
  #timers: { at: number; seq: number; fn: () => void }[] = [];
  #seq = 0;

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, delayMs: number): () => void {
    const timer = { at: this.#now + delayMs, seq: this.#seq++, fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Delays of pending timers, from now. */
  pendingDelays(): number[] {
    return this.#timers.map((t) => t.at - this.#now).sort((a, b) => a - b);
  }

  /** Move time forward, running every timer that falls due (in order). */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = due.at;
      due.fn();
    }
    this.#now = until;
  }
}

/** Everything a library test needs, wired like compose() does but with seams exposed. */
export interface Harness {
  readonly db: WritableDb;
  readonly repo: LibraryRepo;
  readonly events: EventHub;
  readonly emitted: { event: EventName; payload: unknown }[];
  readonly secrets: MemorySecretStore;
  readonly clock: FakeClock;
  readonly connection: ConnectionService;
  readonly library: LibraryService;
  /** Every request our client sent (method + path, query stripped). */
  readonly sent: string[];
  readonly log: ReturnType<typeof createMemoryLogger>;
}

export function makeHarness(
  options: {
    db?: WritableDb;
    secrets?: MemorySecretStore;
    library?: Partial<LibraryServiceOptions>;
    /** Awaited before a request is sent: a test holds some requests back (a slow index) this way. */
    beforeSend?: (req: HttpRequest) => Promise<void> | undefined;
    /** The clock, when the test builds something on it before the harness (a ForegroundWork it passes in). */
    clock?: FakeClock;
  } = {},
): Harness {
  const log = createMemoryLogger();
  const db = options.db ?? openDatabase(':memory:');
  migrate(db, MIGRATIONS, { log });
  const repo = new LibraryRepo(db, log);
  const events = new EventHub(log);
  const emitted: Harness['emitted'] = [];
  events.attach((event, payload) => emitted.push({ event, payload }));
  const secrets = options.secrets ?? new MemorySecretStore();
  const clock = options.clock ?? new FakeClock();
  const sent: string[] = [];
  const createTransport: TransportFactory = (o) => {
    const real = createNodeTransport(o);
    return (req: HttpRequest) => {
      sent.push(`${req.method} ${new URL(req.url).pathname}`);
      const held = options.beforeSend?.(req);
      return held ? held.then(() => real(req)) : real(req);
    };
  };
  const connection = new ConnectionService({ repo, secrets, events, clock, log, createTransport });
  const library = new LibraryService({
    repo,
    connection,
    events,
    clock,
    log,
    createLiveEvents: null,
    ...options.library,
  });
  library.start();
  return { db, repo, events, emitted, secrets, clock, connection, library, sent, log };
}

/** Wait until `check` passes (real I/O happens between polls). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
