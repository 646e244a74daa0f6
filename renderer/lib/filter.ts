/**
 * Type-to-filter for the album picker and the command palette: every word typed must appear
 * in the text (case- and accent-insensitive); items whose text starts with the query come
 * first, otherwise the original order is kept (albums stay alphabetical, commands grouped).
 */
export function filterByText<T>(items: readonly T[], query: string, textOf: (item: T) => string): T[] {
  const words = fold(query)
    .split(/\s+/)
    .filter((word) => word.length > 0);
  if (words.length === 0) return [...items];
  const whole = words.join(' ');
  const scored: { item: T; rank: number; order: number }[] = [];
  items.forEach((item, order) => {
    const text = fold(textOf(item));
    if (!words.every((word) => text.includes(word))) return;
    scored.push({ item, rank: text.startsWith(whole) ? 0 : 1, order });
  });
  return scored.sort((a, b) => a.rank - b.rank || a.order - b.order).map((entry) => entry.item);
}

/** Lower case without accents, for matching what was typed. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}
