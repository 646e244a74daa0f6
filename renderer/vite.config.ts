import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * The app's chunk (renderer/mount-app.ts) is imported dynamically, after the boot call went out
 * (see [Note: Boot in one call]); a `modulepreload` link lets the browser fetch and compile it
 * while the small entry chunk runs, instead of only once the entry asks for it; its styles load
 * with the page's.
 */
function preloadAppChunk(): Plugin {
  return {
    name: 'photoflare-preload-app-chunk',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const chunk = Object.values(context.bundle ?? {}).find(
          (output) => output.type === 'chunk' && output.facadeModuleId?.endsWith('/renderer/mount-app.ts'),
        );
        if (chunk?.type !== 'chunk') return [];
        // The chunks it imports statically (shared with later chunks, e.g. the frame limit's), or
        // each would be fetched only once the app's chunk runs: one more round trip in front of it.
        const entry = Object.values(context.bundle ?? {}).find((output) => output.type === 'chunk' && output.isEntry);
        const shared = chunk.imports.filter((file) => file !== entry?.fileName);
        // Its styles as a plain stylesheet: the page needs them for its first screen anyway.
        const styles = [...(chunk.viteMetadata?.importedCss ?? [])].map((file) => ({
          tag: 'link',
          attrs: { rel: 'stylesheet', crossorigin: true, href: `./${file}` },
          injectTo: 'head' as const,
        }));
        return [
          ...[chunk.fileName, ...shared].map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
            injectTo: 'head' as const,
          })),
          ...styles,
        ];
      },
    },
  };
}

/** Builds the renderer to dist/renderer, served by Electron's app:// scheme or the web shell. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [svelte(), preloadAppChunk()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
  },
});
