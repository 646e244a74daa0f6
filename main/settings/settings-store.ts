import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { salvageSettings, Settings, SettingsPatch, type Settings as SettingsValue } from '../../shared/settings';
import { setAside } from '../lifecycle/set-aside';
import type { Logger } from '../log/logger';

/** What the store had to repair when it read the file at start, for the start-up notice. */
export interface SettingsRepair {
  /** Fields that were unreadable and now hold their default; empty when the whole file was. */
  readonly brokenFields: readonly (keyof SettingsValue)[];
  /** The whole file was unreadable (garbage, empty, `null`, not an object). */
  readonly wholeFile: boolean;
  /** The bad file's copy (`settings.json.bad-<time>`), by file name; absent if it could not be kept. */
  readonly copyName: string | undefined;
}

/**
 * A key the store writes next to the settings while iCloud Sync's setting is undecided (see the
 * Note). Not part of Settings: the renderer never sees it, older versions drop it.
 */
const SYNC_UNDECIDED_KEY = 'syncUndecided';

/**
 * The settings of one profile, in a small JSON file validated by zod.
 *
 * Writes are atomic (temp file + rename) so a crash mid-write never leaves a half file.
 *
 * [Note: A bad settings file]
 * A file can still go bad (a disk error, a sync tool, a hand edit, a newer version's value).
 * Losing the person's choices to one bad byte is not acceptable, so reading is field by field:
 * - each valid field is kept, each invalid one takes its own default (`salvageSettings`);
 * - the bad file is kept as `settings.json.bad-<time>`, the repaired one written in its place,
 *   and `repair()` tells compose() what happened so the window shows a notice once;
 * - a parse failure never switches iCloud Sync off for good. If `syncEnabled` itself cannot be
 *   read (or the whole file cannot), its value is UNKNOWN: the person may have had sync on.
 *   Guessing "on" would send events to iCloud they may have turned off (the promise: off means
 *   nothing goes to iCloud); guessing "off" would store every later change `local-only`, never
 *   to be synced. So until the person answers the notice: the engine stays stopped (`get()`
 *   says false, zero requests) AND new changes are kept `pending` (`keepEventsPending()`), so
 *   turning sync on afterwards sends them. The undecided state is written to the file, so it
 *   survives a restart and the notice asks again.
 */
export class SettingsStore {
  readonly #path: string;
  readonly #log: Logger;
  readonly #now: () => number;
  #current: SettingsValue;
  #syncUndecided = false;
  #repair: SettingsRepair | undefined;
  readonly #listeners = new Set<(settings: SettingsValue) => void>();

  constructor(options: { path: string; log: Logger; now?: () => number }) {
    this.#path = options.path;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.#current = this.#load();
  }

  get(): SettingsValue {
    return this.#current;
  }

  /** What was repaired at start (undefined: the file was fine or absent). */
  repair(): SettingsRepair | undefined {
    return this.#repair;
  }

  /** iCloud Sync's setting could not be read and the person has not chosen since. See the Note. */
  syncUndecided(): boolean {
    return this.#syncUndecided;
  }

  /**
   * Should a change the person makes now wait in the outbox (pending) rather than stay on this
   * Mac for good (local-only)? Yes with sync on, and yes while the sync setting is undecided.
   */
  keepEventsPending(): boolean {
    return this.#current.syncEnabled || this.#syncUndecided;
  }

  /** Apply a validated patch, persist, notify listeners; answers with the new settings. */
  update(patch: SettingsPatch): SettingsValue {
    const checked = SettingsPatch.parse(patch);
    const next = Settings.parse({ ...this.#current, ...checked });
    const undecided = this.#syncUndecided && checked.syncEnabled === undefined;
    this.#write(next, undecided);
    this.#current = next;
    this.#syncUndecided = undecided;
    for (const listener of this.#listeners) listener(next);
    return next;
  }

  onChange(listener: (settings: SettingsValue) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #load(): SettingsValue {
    let raw: string;
    try {
      raw = readFileSync(this.#path, 'utf8');
    } catch (error) {
      // No file yet: a new profile. Anything else (a folder in its place, no permission) is a
      // bad file we cannot even copy: nothing was read, so nothing about sync is known.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return salvageSettings({}).settings;
      this.#log.warn('settings file unreadable; using defaults', { error });
      this.#syncUndecided = true;
      this.#repair = { brokenFields: [], wholeFile: true, copyName: undefined };
      return salvageSettings({}).settings;
    }
    let stored: unknown;
    try {
      stored = JSON.parse(raw);
    } catch {
      stored = undefined;
    }
    if (!isPlainObject(stored)) {
      return this.#repaired(salvageSettings({}).settings, { brokenFields: [], wholeFile: true }, true);
    }
    const { settings, brokenFields } = salvageSettings(stored);
    const undecided = stored[SYNC_UNDECIDED_KEY] === true || brokenFields.includes('syncEnabled');
    if (brokenFields.length === 0) {
      this.#syncUndecided = undecided;
      return settings;
    }
    return this.#repaired(settings, { brokenFields, wholeFile: false }, undecided);
  }

  /** Keep the bad file, write the repaired settings in its place, remember what happened. */
  #repaired(settings: SettingsValue, what: Pick<SettingsRepair, 'brokenFields' | 'wholeFile'>, undecided: boolean): SettingsValue {
    let copyName: string | undefined;
    try {
      copyName = basename(setAside(this.#path, 'bad', this.#now()));
    } catch (error) {
      this.#log.warn('could not keep a copy of the bad settings file', { error });
    }
    this.#syncUndecided = undecided;
    this.#repair = { ...what, copyName };
    // Field names only: a value could be anything the file held.
    this.#log.warn('settings file was damaged; kept the valid fields, defaulted the rest', {
      brokenFields: what.brokenFields,
      wholeFile: what.wholeFile,
      syncUndecided: undecided,
      copy: copyName,
    });
    try {
      this.#write(settings, undecided);
    } catch (error) {
      // The settings still apply for this run; the next update() tries the write again.
      this.#log.warn('could not write the repaired settings file', { error });
    }
    return settings;
  }

  #write(settings: SettingsValue, syncUndecided: boolean): void {
    mkdirSync(dirname(this.#path), { recursive: true });
    const tmp = `${this.#path}.tmp`;
    const stored = syncUndecided ? { ...settings, [SYNC_UNDECIDED_KEY]: true } : settings;
    writeFileSync(tmp, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.#path);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
