/**
 * The page's localStorage when it may use it (a sandboxed or privacy-mode page throws on
 * access): small per-device UI memory such as the last album for ⌃⌘A and the palette's recent
 * commands. Undefined means "remember for this session only".
 */
export function pageStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
