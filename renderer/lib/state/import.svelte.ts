/**
 * The import as the window shows it: what main reports (`import.progress`), the panel's open
 * state, and how the page hands files over. In the Mac app a dropped file's path comes from the
 * preload (`api.pathForFile`, Electron's webUtils) and File → Import… opens the
 * native panel in main; in the web shell the browser has no paths, so each file is POSTed to the
 * shell's `/import-staging/` route (main/import/staging-route.ts) and imported by id.
 */
import { errorMessage } from '../../../shared/errors';
import type { ImportStatus } from '../../../shared/import/schemas';
import { MAX_CHOSEN_PATHS } from '../../../shared/limits';
import { api } from '../api';
import { isNativeDragOut } from '../photo-drag';

export class ImportState {
  status = $state.raw<ImportStatus | null>(null);
  open = $state(false);
  /** Files the web shell's page is still handing over (before main has them). */
  preparing = $state(0);
  error = $state<string | null>(null);
  /** The album the files being handed over go into (before main reports it in the status). */
  targetAlbum = $state<string | null>(null);
  #unsubscribe: (() => void) | undefined;
  #picker: HTMLInputElement | undefined;
  #pickerAlbum: string | null = null;

  readonly #electron: () => boolean;

  constructor(options: { electron: () => boolean }) {
    this.#electron = options.electron;
  }

  start(): void {
    this.#unsubscribe = api.on('import.progress', (status) => {
      this.status = status;
    });
  }

  dispose(): void {
    this.#unsubscribe?.();
    this.#picker?.remove();
  }

  /** File → Import…: the native panel (Mac app) or a file input (web shell). */
  choose(albumUid: string | null): void {
    if (this.#electron()) {
      void this.#run(() => api.call('import.choose', { albumUid }));
      return;
    }
    this.#pickerAlbum = albumUid;
    if (!this.#picker) {
      const input = document.createElement('input');
      input.type = 'file';
      input.multiple = true;
      input.accept = 'image/*,video/*,.dng,.heic,.heif,.cr2,.cr3,.nef,.arw,.raf,.orf,.rw2,.xmp,.aae';
      input.hidden = true;
      input.dataset['testid'] = 'import-file-input';
      input.addEventListener('change', () => {
        const files = [...(input.files ?? [])];
        input.value = '';
        if (files.length > 0) void this.importFiles(files, this.#pickerAlbum);
      });
      document.body.append(input);
      this.#picker = input;
    }
    this.#picker.click();
  }

  /** Files (and, in the Mac app, folders) dropped from Finder. */
  async importFiles(files: readonly File[], albumUid: string | null): Promise<void> {
    if (files.length === 0) return;
    this.targetAlbum = albumUid;
    this.open = true;
    this.error = null;
    const nativePaths = files.map((file) => api.pathForFile(file));
    if (nativePaths.every((path) => path !== undefined)) {
      const paths = nativePaths.filter((path) => path !== '');
      for (let i = 0; i < paths.length; i += MAX_CHOSEN_PATHS) {
        await this.#run(() => api.call('import.start', { paths: paths.slice(i, i + MAX_CHOSEN_PATHS), albumUid }));
      }
      return;
    }
    const ids: string[] = [];
    this.preparing = files.length;
    try {
      for (const file of files) {
        const response = await fetch(`/import-staging/?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file });
        if (!response.ok) throw new Error(`${file.name} could not be handed over (${response.status}).`);
        const { id } = (await response.json()) as { id: string };
        ids.push(id);
        this.preparing--;
      }
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.preparing = 0;
    }
    if (ids.length > 0) await this.#run(() => api.call('import.startStaged', { ids, albumUid }));
  }

  cancel(fileId?: string): Promise<void> {
    return this.#run(() => api.call('import.cancel', fileId === undefined ? {} : { fileId }));
  }

  retry(fileId: string): Promise<void> {
    return this.#run(() => api.call('import.retry', { fileId }));
  }

  clear(): Promise<void> {
    return this.#run(() => api.call('import.clear', {}));
  }

  async #run(call: () => Promise<ImportStatus>): Promise<void> {
    try {
      this.status = await call();
      this.open = true;
    } catch (error) {
      this.open = true;
      this.error = errorMessage(error);
    }
  }
}

/** Whether a drag carries files from outside the page (Finder), not our own photo tiles. */
export function isFileDrag(event: DragEvent): boolean {
  return (event.dataTransfer?.types.includes('Files') ?? false) && !isNativeDragOut(event);
}
