import type { StartupNotice } from '../../shared/notices';
import type { DatabaseRecovery } from '../db/recovery';

/** What the window says after a damaged database was replaced (see [Note: A damaged database]). */
export function databaseRecoveryNotice(recovery: DatabaseRecovery): StartupNotice {
  const { pending, localOnly, otherEvents, lostEvents, connection } = recovery.saved;
  const saved = pending + localOnly + otherEvents;
  const parts = [
    `Photoflare's library database was damaged, so it started a new one.`,
    saved === 0
      ? 'No changes could be recovered from it.'
      : `${count(saved, 'change')} from your history ${saved === 1 ? 'was' : 'were'} saved` +
        (pending > 0 ? `, including ${count(pending, 'change')} not yet sent to iCloud` : '') +
        '.',
    lostEvents > 0 ? `${count(lostEvents, 'entry', 'entries')} of the history could not be read.` : '',
    connection
      ? 'Your library is being rebuilt from your PhotoPrism server.'
      : 'Sign in to your PhotoPrism server again to rebuild your library.',
    `The damaged file was kept as “${recovery.damagedName}” in the profile folder.`,
  ];
  return {
    id: 'database.recovered',
    severity: 'warning',
    title: 'Your library database was repaired',
    message: parts.filter((part) => part !== '').join(' '),
    asksSyncChoice: false,
  };
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
