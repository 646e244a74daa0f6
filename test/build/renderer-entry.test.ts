import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The page's first script (renderer/main.ts, without the app's chunk it imports later) sends the
 * boot call ([Note: Boot in one call]); everything it evaluates first delays that call. The
 * contract's schemas are the page's single largest piece of start-up work and the page never
 * parses with them ([Note: Names without schemas]).
 */
describe("the page's first script", () => {
  it('does not build the IPC contract', async () => {
    const result = await build({
      entryPoints: [`${ROOT}/renderer/main.ts`],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      // The app's chunk and the frame limit for large requests load later (dynamic imports).
      splitting: true,
      outdir: `${ROOT}/.cache/renderer-entry-test`,
      loader: { '.css': 'empty', '.svelte': 'empty' },
      logLevel: 'silent',
      absWorkingDir: ROOT,
    });
    const { outputs } = result.metafile;
    const entry = Object.entries(outputs).find(([, output]) => output.entryPoint === 'renderer/main.ts');
    // What the first script evaluates: its own modules and those of the chunks it imports statically.
    const loaded = new Set<string>();
    const load = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const imported of outputs[file]?.imports ?? []) if (imported.kind === 'import-statement') load(imported.path);
    };
    if (entry) load(entry[0]);
    const inputs = [...loaded].flatMap((file) => Object.keys(outputs[file]?.inputs ?? {}));
    expect(inputs).toContain('renderer/lib/boot.ts');
    expect(inputs).not.toContain('shared/ipc/contract.ts');
    // No zod at all: building its schema classes alone took ~50 ms of the first script's CPU
    // (a Chromium trace of grid.first_paint_100k_ms), in front of the boot call.
    expect(inputs.filter((input) => input.includes('node_modules/zod/'))).toEqual([]);
  });
});

/**
 * The app's chunk and the chunks it imports are evaluated before the first paint: zod and the
 * shared schemas were about a third of that evaluation (see [Note: The page's first paint loads no zod]).
 */
describe("the page's app chunk", () => {
  it('loads no zod: only the inspector and large requests bring it, when they are used', async () => {
    const { build: viteBuild } = await import('vite');
    const built = await viteBuild({
      configFile: `${ROOT}/renderer/vite.config.ts`,
      logLevel: 'silent',
      build: { write: false, sourcemap: false, minify: false },
    });
    const outputs = (Array.isArray(built) ? built : [built]).flatMap((result) => ('output' in result ? result.output : []));
    const chunks = new Map(outputs.flatMap((output) => (output.type === 'chunk' ? [[output.fileName, output] as const] : [])));
    const app = [...chunks.values()].find((chunk) => chunk.facadeModuleId?.endsWith('/renderer/mount-app.ts'));
    expect(app).toBeDefined();
    const loaded = new Set<string>();
    const load = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const imported of chunks.get(file)?.imports ?? []) load(imported);
    };
    if (app) load(app.fileName);
    const modules = [...loaded].flatMap((file) => chunks.get(file)?.moduleIds ?? []);
    expect(modules.some((id) => id.endsWith('/renderer/components/PhotoGrid.svelte'))).toBe(true);
    expect(modules.filter((id) => id.includes('/node_modules/zod/'))).toEqual([]);
    // The inspector still has it, in its own chunk.
    const all = [...chunks.values()].flatMap((chunk) => chunk.moduleIds);
    expect(all.some((id) => id.includes('/node_modules/zod/'))).toBe(true);
  }, 60_000);
});
