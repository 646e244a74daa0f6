import type { StartupNotice } from '../../shared/notices';

interface Entry {
  readonly notice: StartupNotice;
  /** Still worth showing? (The sync question goes away once the person chose, wherever they chose.) */
  readonly relevant: () => boolean;
}

/**
 * The start-up notices of this run, for the window to show once: a repaired settings file, a
 * damaged database set aside. Kept in memory only: the repair itself is on disk (the `.bad-` or
 * `.damaged-` copy, the log), and a notice dismissed in one window is gone for every window.
 */
export class StartupNotices {
  readonly #entries: Entry[] = [];

  add(notice: StartupNotice, relevant: () => boolean = () => true): void {
    this.#entries.push({ notice, relevant });
  }

  list(): StartupNotice[] {
    return this.#entries.filter((entry) => entry.relevant()).map((entry) => entry.notice);
  }

  dismiss(id: string): StartupNotice[] {
    const index = this.#entries.findIndex((entry) => entry.notice.id === id);
    if (index >= 0) this.#entries.splice(index, 1);
    return this.list();
  }
}
