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
  /**
   * `panel` (default): the field over its list, as the palette and the album picker show it.
   * `menu`: a form field whose list opens under it (the inspector's camera and lens); a click in
   * the list keeps the focus in the field.
   */
  variant?: 'panel' | 'menu';
  /** The field's element id (a `<label for>` names it) and whether it takes input. */
  fieldId?: string | undefined;
  disabled?: boolean;
  invalid?: boolean;
  /** Called when the field loses the focus (a menu closes). */
  onblur?: () => void;
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
