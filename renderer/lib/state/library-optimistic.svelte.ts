/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps here are scratch values or replaced
   wholesale in `$state.raw`, never mutated once stored. */
import type { MonthBucket, PhotoSummary } from '../../../shared/library/schemas';
import { HiddenIndexes } from '../hidden-indexes';

/** An optimistic change to a photo row. */
export type PhotoPatch = Partial<Pick<PhotoSummary, 'favorite' | 'archived' | 'private' | 'title' | 'takenAtLocal'>>;

/** What `applyOptimistic` gives back: undo it for some UIDs (the ones that failed). */
export interface Optimistic {
  rollback(uids: readonly string[]): void;
  /** How many photos it took out of the view. */
  readonly hiddenCount: number;
}

/**
 * An action's result shown before main answers, one of LibraryState's jobs: patched rows (a
 * favourite heart) and photos hidden from the view (archived), laid over main's rows. See
 * [Note: Optimistic hiding]. The owner says how to find a photo's row (`underlyingIndexOf`) and
 * wraps every change in `keep`, which holds focus and selection on the same photos.
 */
export class OptimisticRows {
  #hidden = $state.raw<HiddenIndexes>(HiddenIndexes.NONE);
  /** Optimistic changes to photo rows by UID (a favourite heart before main answers). */
  #overrides = $state.raw<ReadonlyMap<string, PhotoPatch>>(new Map());

  readonly #underlyingIndexOf: (uid: string) => number;
  readonly #keep: (change: () => void) => void;

  constructor(options: { underlyingIndexOf: (uid: string) => number; keep: (change: () => void) => void }) {
    this.#underlyingIndexOf = options.underlyingIndexOf;
    this.#keep = options.keep;
  }

  /** Photos hidden from the view, for mapping display indexes to main's rows. */
  get hidden(): HiddenIndexes {
    return this.#hidden;
  }

  /** Whether anything is shown that main has not confirmed yet. */
  get isEmpty(): boolean {
    return this.#hidden.isEmpty && this.#overrides.size === 0;
  }

  /** Month buckets with the hidden photos taken out. */
  adjustMonths(months: readonly MonthBucket[]): readonly MonthBucket[] {
    return this.#hidden.adjustMonths(months);
  }

  /** A row as displayed (with its optimistic patch). */
  patched(photo: PhotoSummary): PhotoSummary {
    const patch = this.#overrides.get(photo.uid);
    return patch ? { ...photo, ...patch } : photo;
  }

  /** A new view: its rows have other indexes, so nothing stays hidden (patches follow UIDs and stay). */
  clearHidden(): void {
    this.#hidden = HiddenIndexes.NONE;
  }

  /** Main's rows now say the same: drop everything optimistic. */
  clear(): void {
    this.#hidden = HiddenIndexes.NONE;
    this.#overrides = new Map();
  }

  /** Patch rows and/or hide photos; the undo covers exactly those UIDs (partial rollback). */
  apply(uids: readonly string[], change: { patch?: PhotoPatch; hide?: boolean }): Optimistic {
    const previous = new Map<string, PhotoPatch | undefined>();
    const hiddenAt = new Map<string, number>();
    this.#keep(() => {
      if (change.patch) {
        const next = new Map(this.#overrides);
        for (const uid of uids) {
          previous.set(uid, next.get(uid));
          next.set(uid, { ...next.get(uid), ...change.patch });
        }
        this.#overrides = next;
      }
      if (change.hide) {
        for (const uid of uids) {
          const underlying = this.#underlyingIndexOf(uid);
          if (underlying >= 0 && !this.#hidden.has(underlying)) hiddenAt.set(uid, underlying);
        }
        this.#hidden = this.#hidden.hide(hiddenAt.values());
      }
    });
    return {
      hiddenCount: hiddenAt.size,
      rollback: (failed) => {
        const which = new Set(failed);
        this.#keep(() => {
          if (change.patch) {
            const next = new Map(this.#overrides);
            for (const uid of which) {
              if (!previous.has(uid)) continue;
              const before = previous.get(uid);
              if (before === undefined) next.delete(uid);
              else next.set(uid, before);
            }
            this.#overrides = next;
          }
          const unhide: number[] = [];
          for (const uid of which) {
            const index = hiddenAt.get(uid);
            if (index !== undefined) unhide.push(index);
          }
          if (unhide.length > 0) this.#hidden = this.#hidden.show(unhide);
        });
      },
    };
  }
}
