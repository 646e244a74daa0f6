import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Settings, SettingsPatch, withDefaults } from '../../shared/settings';
import type { Logger } from '../log/logger';

/**
 * The settings of one profile, in a small JSON file validated by zod.
 *
 * Writes are atomic (temp file + rename) so a crash mid-write never leaves a half file. A file
 * that fails to parse is set aside as `settings.json.broken` and defaults are used, with a
 * warning: losing a preference is better than refusing to start.
 */
export class SettingsStore {
  readonly #path: string;
  readonly #log: Logger;
  #current: Settings;
  readonly #listeners = new Set<(settings: Settings) => void>();

  constructor(options: { path: string; log: Logger }) {
    this.#path = options.path;
    this.#log = options.log;
    this.#current = this.#load();
  }

  get(): Settings {
    return this.#current;
  }

  /** Apply a validated patch, persist, notify listeners; answers with the new settings. */
  update(patch: SettingsPatch): Settings {
    const checked = SettingsPatch.parse(patch);
    const next = Settings.parse({ ...this.#current, ...checked });
    this.#write(next);
    this.#current = next;
    for (const listener of this.#listeners) listener(next);
    return next;
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #load(): Settings {
    let raw: string;
    try {
      raw = readFileSync(this.#path, 'utf8');
    } catch {
      return withDefaults({});
    }
    try {
      return withDefaults(JSON.parse(raw));
    } catch (error) {
      this.#log.warn('settings file unreadable; using defaults and keeping a copy', { error });
      try {
        renameSync(this.#path, `${this.#path}.broken`);
      } catch {
        // Nothing more to save.
      }
      return withDefaults({});
    }
  }

  #write(settings: Settings): void {
    mkdirSync(dirname(this.#path), { recursive: true });
    const tmp = `${this.#path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.#path);
  }
}
