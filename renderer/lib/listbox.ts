import type { Snippet } from 'svelte';

/** One row of the shared listbox (renderer/components/Listbox.svelte, see [Note: One listbox]). */
export interface ListboxOption<T> {
  readonly key: string;
  readonly item: T;
  readonly section?: string | undefined;
  readonly disabled?: boolean | undefined;
  readonly testid?: string | undefined;
}

export interface ListboxProps<T> {
  /** The rows, in the order shown. */
  options: readonly ListboxOption<T>[];
  /** The highlighted row (bindable). */
  active?: number;
  /** What was typed (bindable). */
  value?: string;
  /** Unique per page: the rows' element ids start with it. */
  idPrefix: string;
  /** The field's and the list's accessible names. */
  fieldLabel: string;
  listLabel: string;
  placeholder: string;
  fieldTestid?: string | undefined;
  /** Hide the list (the album picker asking for a new album's title). */
  listHidden?: boolean;
  maxListHeightPx?: number;
  onchoose: (option: ListboxOption<T>) => void;
  /** Called on each typed change, after `value` is updated. */
  oninput?: () => void;
  /** Keys the caller handles first (Return while naming); preventDefault to keep them from the list. */
  onkeydown?: (event: KeyboardEvent) => void;
  row: Snippet<[T]>;
  head?: Snippet;
  empty?: Snippet;
  /** Shown instead of the list while it is hidden. */
  hidden?: Snippet;
}
