/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { PhotoflareBridge } from '../shared/ipc/bridge';

declare global {
  interface Window {
    /** Set by the preload (Electron) or by lib/web-bridge.ts (web shell). Use lib/api.ts. */
    photoflare?: PhotoflareBridge;
  }
}
