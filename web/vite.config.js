// The web UI build: Preact through Vite's own JSX transform (no preset plugin),
// into dist/web with the hashed files under ui/ (served at /ui/ by src/api/routes/ui.ts).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  // One Preact for the page: preact/hooks and the JSX runtime import "preact" from inside
  // the package, which Vite resolved to another checkout's copy in a worktree beside the
  // main one (hooks then see no current component: "reading '__H'").
  resolve: { dedupe: ["preact"] },
  // `npx vite web` for work on the page: the API comes from a running `npm start`.
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    assetsDir: "ui",
    target: "es2022",
  },
});
