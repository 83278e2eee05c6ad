import type { RoutesPlugin } from "../type-provider.js";
import { Type } from "typebox";

const HealthResponse = Type.Object({
  status: Type.Literal("ok"),
  uptime_s: Type.Number({ description: "Seconds since the server started." }),
});

/** Liveness: answers as long as the HTTP server runs; never needs a key. */
export const healthRoutes: RoutesPlugin = (app) => {
  app.get("/health", { schema: { response: { 200: HealthResponse } } }, () => ({
    status: "ok" as const,
    uptime_s: Math.round(process.uptime() * 1000) / 1000,
  }));
  return Promise.resolve();
};
