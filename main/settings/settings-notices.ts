import type { Settings } from '../../shared/settings';
import type { StartupNotices } from '../notices/startup-notices';
import type { SettingsStore } from './settings-store';

/** How Settings names each field, for the notice. */
const FIELD_LABELS: Record<keyof Settings, string> = {
  theme: 'Appearance',
  syncEnabled: 'iCloud Sync',
  thumbnailCacheMiB: 'Thumbnail cache size',
};

/**
 * Tell the person what the store repaired at start (see [Note: A bad settings file]): one notice
 * for the file, and one that asks about iCloud Sync for as long as its setting is undecided.
 */
export function addSettingsNotices(notices: StartupNotices, store: SettingsStore): void {
  const repair = store.repair();
  const copy = repair?.copyName ? ` A copy of the damaged file was kept as “${repair.copyName}” in the profile folder.` : '';
  // When only the sync field was broken, the sync question says it all (and where the copy is).
  const onlySync = repair !== undefined && !repair.wholeFile && repair.brokenFields.every((field) => field === 'syncEnabled');
  if (repair && !onlySync) {
    const message = repair.wholeFile
      ? `Photoflare could not read its settings file, so your settings are back to their defaults.${copy}`
      : `Photoflare could not read ${list(repair.brokenFields.map((field) => FIELD_LABELS[field]))} in its settings file, so only ${repair.brokenFields.length === 1 ? 'that is' : 'those are'} back to the default; everything else is as you left it.${copy}`;
    notices.add({ id: 'settings.repaired', severity: 'warning', title: 'Your settings file was damaged', message, asksSyncChoice: false });
  }
  if (store.syncUndecided()) {
    notices.add(
      {
        id: 'settings.syncUndecided',
        severity: 'warning',
        title: 'Should iCloud Sync be on?',
        message: `Photoflare could not read whether iCloud Sync was on. Until you choose, nothing is sent to iCloud, and the changes you make are kept waiting so none is lost.${onlySync ? copy : ''}`,
        asksSyncChoice: true,
      },
      () => store.syncUndecided(),
    );
  }
}

function list(items: readonly string[]): string {
  const quoted = items.map((item) => `“${item}”`);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1) ?? ''}`;
}
