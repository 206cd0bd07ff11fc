/**
 * @module client/vite.config
 * Builds the web app from client/ into client/dist (served by the engine at `/`), and in dev
 * proxies the API, the Colyseus matchmaker and the room websockets to the local server.
 * Owns: bundling and the dev proxy. Does not: serve in production (the engine does).
 * `base: './'` keeps asset URLs relative, so the server may mount dist/ under any path.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const DEV_SERVER = 'http://127.0.0.1:2567';

export default defineConfig({
  root,
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // pixi.js alone is ~500 kB minified; it is split into its own chunk.
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: {
      '/api': DEV_SERVER,
      '/matchmake': DEV_SERVER,
      // Room sockets are /<processId>/<roomId>?sessionId=…; Vite's own files never match.
      '^/[\\w-]+/[\\w-]+\\?': { target: DEV_SERVER, ws: true },
    },
  },
});
