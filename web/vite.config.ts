import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The web app's build. It is served by the server itself (src/web), under a Content Security
 * Policy that forbids inline scripts and styles: the page loads one module script and one style
 * sheet by URL, and the module preload polyfill (an inline script) is left out.
 */
export default defineConfig({
  root: here('./'),
  base: '/',
  plugins: [react()],
  resolve: {
    alias: { '@nhsuk-assets': here('../node_modules/nhsuk-frontend/dist/nhsuk/assets') },
  },
  css: {
    preprocessorOptions: {
      scss: { quietDeps: true, silenceDeprecations: ['import'] },
    },
  },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    manifest: true,
    modulePreload: { polyfill: false },
    // No file is inlined as a data: URL, so the policy needs no data: source for images or fonts.
    assetsInlineLimit: 0,
    sourcemap: true,
    rollupOptions: {
      input: { app: here('./index.html'), components: here('./components.html') },
    },
  },
});
