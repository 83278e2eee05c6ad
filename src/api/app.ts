// Builds the HTTP application from its parts; starting engines and listening is
// the caller's job (src/main.ts), so tests can assemble the same app.
import Fastify from "fastify";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { Logger } from "pino";
import { healthRoutes } from "./routes/health.js";
import { systemRoutes, type SystemRoutesOptions } from "./routes/system.js";

export interface AppOptions extends SystemRoutesOptions {
  logger: Logger;
}

export async function buildApp(options: AppOptions) {
  const app = Fastify({ loggerInstance: options.logger }).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(healthRoutes);
  await app.register(systemRoutes, options);
  return app;
}
