import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../../main/actions/action-errors';
import { runChunks, runEach } from '../../../main/actions/batching';
import { UndoHistory } from '../../../main/actions/undo-history';
import { AppError } from '../../../shared/errors';

const tick = () => new Promise((resolve) => setImmediate(resolve));
const isItem = (error: unknown) => error instanceof AppError && error.kind === 'not-found';

describe('runEach', () => {
  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await runEach(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async () => {
        peak = Math.max(peak, ++inFlight);
        await tick();
        inFlight--;
      },
      isItem,
    );
    expect(peak).toBe(4);
    expect(out.done).toHaveLength(50);
    expect(out.notAttempted).toEqual([]);
  });

  it('a per-item failure fails that item only; any other failure stops launching more', async () => {
    const sent: number[] = [];
    const out = await runEach(
      [1, 2, 3, 4, 5, 6, 7, 8],
      1,
      async (n) => {
        sent.push(n);
        if (n === 2) throw new AppError('not-found', 'gone');
        if (n === 4) throw new AppError('network', 'down');
      },
      isItem,
    );
    expect(out.done).toEqual([1, 3]);
    expect(out.failed.map((f) => f.item)).toEqual([2, 4]);
    expect(out.notAttempted).toEqual([5, 6, 7, 8]);
    expect(sent).toEqual([1, 2, 3, 4]);
    expect((out.stoppedBy as AppError).kind).toBe('network');
  });
});

describe('runChunks', () => {
  it('sends chunks in order and stops at the first failed one (which counts as not done)', async () => {
    const chunks: number[][] = [];
    const out = await runChunks([1, 2, 3, 4, 5, 6, 7], 3, async (chunk) => {
      chunks.push([...chunk]);
      if (chunk.includes(4)) throw new AppError('server', '500');
    });
    expect(chunks).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(out.done).toEqual([1, 2, 3]);
    expect(out.failed.map((f) => f.item)).toEqual([4, 5, 6]);
    expect(out.notAttempted).toEqual([7]);
  });
});

describe('failureMessage', () => {
  it('says whether anything changed, and what to do', () => {
    expect(failureMessage('network', { count: 3, partial: false, subject: 'photo' })).toBe(
      "Photoflare can't reach your PhotoPrism server. Nothing was changed; try again when it's back.",
    );
    expect(failureMessage('permission', { count: 1, partial: true, subject: 'photo' })).toBe(
      "Your PhotoPrism account is not allowed to make this change. 1 photo was not changed; ask the server's administrator.",
    );
    expect(failureMessage('rate-limited', { count: 2, partial: false, subject: 'album' })).toMatch(/busy.*wait a moment/);
  });
});

describe('UndoHistory', () => {
  const op = { type: 'favorite', uids: ['p0000000000000001'], value: false } as const;

  it('is bounded, and a new action clears the redo stack', () => {
    const history = new UndoHistory(3);
    for (let i = 0; i < 5; i++) history.record({ label: `Step ${i}`, op });
    expect(history.snapshot()).toEqual({ canUndo: true, canRedo: false, undoLabel: 'Undo Step 4', redoLabel: 'Redo' });
    history.undone({ label: 'Step 4', op });
    history.undone({ label: 'Step 3', op });
    history.undone({ label: 'Step 2', op });
    expect(history.snapshot()).toEqual({ canUndo: false, canRedo: true, undoLabel: 'Undo', redoLabel: 'Redo Step 2' });
    history.redone({ label: 'Step 2', op });
    expect(history.snapshot()).toMatchObject({ undoLabel: 'Undo Step 2', redoLabel: 'Redo Step 3' });
    history.record({ label: 'New', op });
    expect(history.snapshot()).toMatchObject({ undoLabel: 'Undo New', canRedo: false });
  });
});
