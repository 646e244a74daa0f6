import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { Handlers } from '../ipc/handle';
import type { DisposableStore } from '../lifecycle/disposables';
import { ImportService, type ImportServiceOptions } from './import-service';

type ImportChannel =
  'import.start' | 'import.choose' | 'import.startStaged' | 'import.status' | 'import.cancel' | 'import.retry' | 'import.clear';

export interface ImportModule {
  readonly service: ImportService;
  readonly handlers: Pick<Handlers, ImportChannel>;
}

/** Builds the import service and its IPC handlers (composed by main/compose.ts). */
export function createImportModule(
  options: Omit<ImportServiceOptions, 'stagingDir'> & {
    readonly profileDir: string;
    readonly disposables: DisposableStore;
    /** The Mac app's open panel (files and folders); absent in the web shell, whose page has a file input. */
    readonly chooseImportPaths?: (() => Promise<string[] | null>) | undefined;
  },
): ImportModule {
  const service = new ImportService({
    ...options,
    log: options.log.child('import'),
    stagingDir: join(options.profileDir, 'import-staging'),
  });
  options.disposables.add(() => service.dispose());
  return {
    service,
    handlers: {
      'import.start': ({ paths, albumUid }) => service.start({ paths, albumUid }),
      'import.choose': async ({ albumUid }) => {
        if (!options.chooseImportPaths)
          throw new AppError('bad-request', 'The web shell picks files in the page; there is no native panel.');
        const paths = await options.chooseImportPaths();
        // Cancelled panel: nothing starts, the panel shows what it showed.
        if (!paths || paths.length === 0) return service.status();
        return service.start({ paths, albumUid });
      },
      'import.startStaged': ({ ids, albumUid }) => service.startStaged({ ids, albumUid }),
      'import.status': () => service.status(),
      'import.cancel': ({ fileId }) => service.cancel(fileId),
      'import.retry': ({ fileId }) => service.retry(fileId),
      'import.clear': () => service.clear(),
    },
  };
}
