import { events, type EventName, type EventPayload } from '../../shared/ipc/contract';
import type { Logger } from '../log/logger';

export type EventSink = (event: EventName, payload: unknown) => void;

/**
 * Main → renderer events, typed by the contract and fanned out to every attached shell.
 *
 * Services call `emit()` without knowing whether a BrowserWindow or a browser tab listens; each
 * shell attaches a sink (Electron: webContents.send on live windows; web shell: every
 * authenticated socket). Payloads are parsed with the contract first, so nothing outside it
 * can be pushed.
 */
export class EventHub {
  readonly #sinks = new Set<EventSink>();
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  attach(sink: EventSink): () => void {
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const parsed = events[event].safeParse(payload);
    if (!parsed.success) {
      this.#log.error('refused to push an event outside the contract', { event });
      return;
    }
    for (const sink of this.#sinks) {
      try {
        sink(event, parsed.data);
      } catch (error) {
        // One closed window must not stop the others from hearing about it.
        this.#log.warn('event sink failed', { event, error });
      }
    }
  }
}
