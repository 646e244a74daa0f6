import type { AppInfo } from '../../../shared/ipc/contract';
import type { Settings, SettingsPatch } from '../../../shared/settings';
import { api } from '../api';
import { takeBoot } from '../boot';

/**
 * Who we are (app.info) and the current settings, mirrored from main.
 *
 * Loaded once at start; settings follow the `settings.changed` event so every window agrees.
 */
export class AppState {
  info = $state.raw<AppInfo | undefined>(undefined);
  settings = $state.raw<Settings | undefined>(undefined);
  /** A sentence for the person when the core cannot be reached. */
  error = $state<string | undefined>(undefined);

  #unsubscribe: (() => void) | undefined;

  async load(): Promise<void> {
    try {
      this.#unsubscribe ??= api.on('settings.changed', (next) => (this.settings = next));
      // From the boot call when it answered (renderer/lib/boot.ts), else one call each.
      const [info, settings] = await Promise.all([
        takeBoot('info').then((booted) => booted ?? api.call('app.info', {})),
        takeBoot('settings').then((booted) => booted ?? api.call('settings.get', {})),
      ]);
      this.info = info;
      this.settings = settings;
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  /** Change some settings (Settings page); main answers with all of them. Throws on failure. */
  async update(patch: SettingsPatch): Promise<void> {
    this.settings = await api.call('settings.update', patch);
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }
}
