import type { RoutesPlugin } from "../type-provider.js";
import { Type } from "typebox";

const HealthResponse = Type.Object(
  {
    status: Type.Literal("ok"),
    uptime_s: Type.Number({ description: "Seconds since the server started." }),
  },
  { description: "The server is up." },
);

/** Liveness: answers as long as the HTTP server runs; never needs a key. */
export const healthRoutes: RoutesPlugin = (app) => {
  const schema = {
    tags: ["system"],
    summary: "Liveness",
    description: "Answers while the HTTP server runs; never needs an API key.",
    response: { 200: HealthResponse },
  };
  app.get("/health", { schema }, () => ({
    status: "ok" as const,
    uptime_s: Math.round(process.uptime() * 1000) / 1000,
  }));
  return Promise.resolve();
};
