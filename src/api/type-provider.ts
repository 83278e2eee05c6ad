// How the routes see validated requests. Ajv validates with useDefaults, so a request
// object reaches its handler with every schema default filled in: the provider types it
// so (`Resolved`), and nothing after the validator applies a default again.
import type {
  FastifyPluginAsync,
  FastifyPluginOptions,
  FastifyTypeProvider,
  RawServerDefault,
} from "fastify";
import type { Static, TObject, TSchema } from "typebox";
import type { Resolved } from "../contract/requests.js";

export interface DefaultsFilledTypeProvider extends FastifyTypeProvider {
  validator: this["schema"] extends TObject
    ? Resolved<this["schema"]>
    : this["schema"] extends TSchema
      ? Static<this["schema"]>
      : unknown;
  serializer: this["schema"] extends TSchema ? Static<this["schema"]> : unknown;
}

/** A plugin of routes typed by DefaultsFilledTypeProvider. */
export type RoutesPlugin<Options extends FastifyPluginOptions = FastifyPluginOptions> =
  FastifyPluginAsync<Options, RawServerDefault, DefaultsFilledTypeProvider>;
