// The web UI: the Vite build in dist/web, served at `/` with its hashed files under
// /ui/. Both are public (auth.ts PUBLIC_ROUTES): the page holds no data and asks for
// the API key itself; every API call it makes still needs the key.
import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync } from "fastify";
import { PROJECT_ROOT } from "../../paths.js";

export interface UiRoutesOptions {
  /** The built UI (index.html plus ui/); default dist/web in the project. */
  webRoot?: string;
}

export const UI_ASSETS_PREFIX = "/ui/";

export const uiRoutes: FastifyPluginAsync<UiRoutesOptions> = async (app, options) => {
  const webRoot = options.webRoot ?? join(PROJECT_ROOT, "dist", "web");
  const built = existsSync(join(webRoot, "index.html"));
  const hide = { schema: { hide: true } };
  if (!built) {
    // A checkout that never ran the build still serves the API; say how to get the page.
    app.get("/", hide, (_request, reply) =>
      reply
        .status(503)
        .type("text/plain; charset=utf-8")
        .send("The web UI is not built: run `npm run build:web` (npm start does it)."),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: join(webRoot, "ui"),
    prefix: UI_ASSETS_PREFIX,
    index: false,
    // File names carry a content hash, so a cached copy is never stale.
    immutable: true,
    maxAge: "365d",
  });
  app.get("/", hide, (_request, reply) =>
    reply
      .header("cache-control", "no-cache")
      .sendFile("index.html", webRoot, { cacheControl: false }),
  );
};
