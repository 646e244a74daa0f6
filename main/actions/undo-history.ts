import type { ActionHistory } from '../../shared/ipc/contract';
import type { Operation } from './operations';

/** One step of the history: what the user did (its label) and the operation that moves across it. */
export interface HistoryEntry {
  /** The original action's name, e.g. "Favourite"; the menu says "Undo Favourite" / "Redo Favourite". */
  readonly label: string;
  /** On the undo stack: the inverse to run. On the redo stack: the operation to run again. */
  readonly op: Operation;
  /**
   * The step's action is still waiting in the offline queue under this ledger id: running the
   * step cancels it (the row is deleted, `op` puts the cache back). See [Note: The offline queue].
   */
  readonly queuedId?: number;
  /**
   * The step's action went to the server in parts and some are there while the rest waits under
   * `queuedId`: what reverses the parts sent. Running the step cancels the rest (with `op`) AND
   * runs this, so one undo still reverses the whole action. See ActionService's #settleHistory.
   */
  readonly sent?: Operation;
}

/** How many steps are kept; older ones fall off the bottom. */
export const DEFAULT_HISTORY_LIMIT = 100;

/**
 * The undo and redo stacks, in memory, one per running profile.
 *
 * In main rather than the renderer so ⌘Z from the menu, a second window and the web shell all
 * undo the same thing. Deliberately not persisted: after a restart the cache may have been
 * refreshed from the server and an old inverse could undo someone else's change.
 */
export class UndoHistory {
  readonly #limit: number;
  #undo: HistoryEntry[] = [];
  #redo: HistoryEntry[] = [];

  constructor(limit = DEFAULT_HISTORY_LIMIT) {
    this.#limit = limit;
  }

  /** A new action: push its inverse and forget the redo stack (the usual editor rule). */
  record(entry: HistoryEntry): void {
    this.#undo.push(entry);
    if (this.#undo.length > this.#limit) this.#undo.splice(0, this.#undo.length - this.#limit);
    this.#redo = [];
  }

  peekUndo(): HistoryEntry | undefined {
    return this.#undo.at(-1);
  }

  peekRedo(): HistoryEntry | undefined {
    return this.#redo.at(-1);
  }

  /** Undo ran: drop its entry; `redo` (if anything was undone) goes on the redo stack. */
  undone(redo: HistoryEntry | undefined): void {
    this.#undo.pop();
    if (redo) this.#redo.push(redo);
  }

  /** Redo ran: drop its entry; `undo` goes back on the undo stack (the redo stack stays). */
  redone(undo: HistoryEntry | undefined): void {
    this.#redo.pop();
    if (undo) {
      this.#undo.push(undo);
      if (this.#undo.length > this.#limit) this.#undo.splice(0, this.#undo.length - this.#limit);
    }
  }

  /**
   * The queued action `queuedId` was sent, whole or a part of it: its step becomes `settled(entry)`
   * (what reverses what the server accepted, and what still cancels the rest); undefined (nothing
   * was changed) drops the step.
   */
  settle(queuedId: number, settled: (entry: HistoryEntry) => HistoryEntry | undefined): void {
    const settleIn = (stack: HistoryEntry[]) =>
      stack.flatMap((entry) => {
        if (entry.queuedId !== queuedId) return [entry];
        const next = settled(entry);
        return next ? [next] : [];
      });
    this.#undo = settleIn(this.#undo);
    this.#redo = settleIn(this.#redo);
  }

  clear(): void {
    this.#undo = [];
    this.#redo = [];
  }

  /** What the Edit menu shows. */
  snapshot(): ActionHistory {
    const undo = this.peekUndo();
    const redo = this.peekRedo();
    return {
      canUndo: undo !== undefined,
      canRedo: redo !== undefined,
      undoLabel: undo ? `Undo ${undo.label}` : 'Undo',
      redoLabel: redo ? `Redo ${redo.label}` : 'Redo',
    };
  }
}
