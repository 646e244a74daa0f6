import { z } from 'zod';

/**
 * User settings for one profile, as stored in `settings.json` and shown in Settings.
 *
 * Secrets never live here (they go to the secret store: Keychain via safeStorage, or a 0600
 * file in the web shell).
 *
 * The fields carry no zod `.default()`: a default inside `.partial()` would turn an empty
 * patch into "reset everything". Defaults are applied once, by `withDefaults()`.
 */
const settingsFields = {
  /** Appearance: follow the system unless the user picked one. */
  theme: z.enum(['system', 'light', 'dark']),
  /** iCloud Sync is off until the user turns it on (off ⇒ zero requests to iCloud). */
  syncEnabled: z.boolean(),
  /** Byte budget of the on-disk thumbnail cache, in MiB (default 2 GB). */
  thumbnailCacheMiB: z
    .number()
    .int()
    .min(64)
    .max(1024 * 1024),
};

export const Settings = z.object(settingsFields).strict();
export type Settings = z.infer<typeof Settings>;

export const SETTINGS_DEFAULTS: Settings = {
  theme: 'system',
  syncEnabled: false,
  thumbnailCacheMiB: 2048,
};

/** A change to settings: any subset of fields, nothing else. */
export const SettingsPatch = z.object(settingsFields).partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** What a settings file may hold: known fields (unknown ones from newer versions are dropped). */
const StoredSettings = z.object(settingsFields).partial();

/** Parse a stored settings object, filling in defaults for what is missing. */
export function withDefaults(stored: unknown): Settings {
  return Settings.parse({ ...SETTINGS_DEFAULTS, ...StoredSettings.parse(stored) });
}

/** The fields of Settings, in display order. */
export const SETTINGS_KEYS = Object.keys(settingsFields) as (keyof Settings)[];

/**
 * Read a stored settings object field by field: each valid field is kept, each invalid one
 * falls back to its own default (and is named in `brokenFields`), missing ones take their
 * default silently (a file from an older version), unknown ones are dropped (a newer version).
 * One bad value must never reset the others: see [Note: A bad settings file] in
 * main/settings/settings-store.ts.
 */
export function salvageSettings(stored: Readonly<Record<string, unknown>>): {
  settings: Settings;
  brokenFields: (keyof Settings)[];
} {
  const settings: Record<string, unknown> = { ...SETTINGS_DEFAULTS };
  const brokenFields: (keyof Settings)[] = [];
  for (const key of SETTINGS_KEYS) {
    if (!Object.hasOwn(stored, key)) continue;
    const parsed = settingsFields[key].safeParse(stored[key]);
    if (parsed.success) settings[key] = parsed.data;
    else brokenFields.push(key);
  }
  return { settings: Settings.parse(settings), brokenFields };
}
