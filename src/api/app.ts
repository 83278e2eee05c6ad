// Builds the HTTP application from its parts; starting engines and listening is
// the caller's job (src/main.ts), so tests can assemble the same app.
import cors from "@fastify/cors";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { Ajv } from "ajv";
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import type { Logger } from "pino";
import type { ArtifactStore } from "../artifacts/types.js";
import type { Config } from "../config.js";
import type { EngineHandle } from "../engine/handle.js";
import type { JobEventSource } from "../jobs/events.js";
import type { AgentInfo } from "../store/leases.js";
import { invalidField } from "../contract/errors.js";
import { LIMITS } from "../contract/requests.js";
import type { JobScope, JobService, Submitter } from "../jobs/service.js";
import type { DeliveryLogEntry } from "../contract/webhook-log.js";
import type { ApiKeyAuth } from "./auth.js";
import { clientErrorHandler, installErrorHandler, routerErrorHandler } from "./errors.js";
import { LARGE_BODY_BYTES, limitLargeBodies } from "./intake.js";
import { LegacyPaths } from "./legacy/paths.js";
import { legacyRoutes } from "./legacy/routes.js";
import { installMetrics, type ServiceMetrics } from "./metrics.js";
import { generateRoutes } from "./routes/generate.js";
import { NAMED_SCHEMAS, openApiOptions, withReferences } from "./openapi.js";
import { healthRoutes } from "./routes/health.js";
import { jobRoutes } from "./routes/jobs.js";
import { webhookRoutes } from "./routes/webhooks.js";
import { OUTPUTS_PREFIX, outputRoutes, type SharedOutputs } from "./routes/outputs.js";
import { queueRoutes } from "./routes/queue.js";
import { systemRoutes } from "./routes/system.js";
import { uiRoutes } from "./routes/ui.js";
import { UNENCODABLE_TEXT, unencodableField } from "./text.js";
import type { DefaultsFilledTypeProvider } from "./type-provider.js";

export interface AppOptions {
  logger: Logger;
  version: string;
  modelRoot: string;
  engines: () => readonly EngineHandle[];
  jobs: JobService;
  events: JobEventSource;
  artifacts: ArtifactStore;
  /** Cluster mode: outputs in the shared object storage as well (docs/cluster.md). */
  sharedOutputs?: SharedOutputs;
  loraDir: string;
  bodyLimitBytes: number;
  submitter?: (request: FastifyRequest) => Submitter;
  /** The retention pass the legacy POST /cleanup_jobs triggers (OutputRetention.cleanup). */
  cleanupJobs?: () => Promise<{ removed: readonly string[] }>;
  /** API keys; absent or without keys = every route is open and every job visible. */
  auth?: ApiKeyAuth;
  /** CORS origins ("*" = any); absent or empty = no CORS headers. */
  allowedOrigins?: readonly string[];
  metrics: ServiceMetrics;
  /**
   * Timeouts, header size and large bodies at once: what keeps slow, abusive or merely
   * many clients from tying up the server.
   */
  connectionLimits: ConnectionLimits;
  /** A job's webhook messages and their attempts (GET /api/jobs/{id}/webhooks). */
  webhookLog?: (jobId: string) => Promise<DeliveryLogEntry[]>;
  /** Cluster mode: the agents heard from lately, for /api/system. */
  agents?: () => Promise<AgentInfo[]>;
}

export type ConnectionLimits = Pick<
  Config,
  | "requestTimeoutMs"
  | "headersTimeoutMs"
  | "idleTimeoutMs"
  | "keepAliveTimeoutMs"
  | "maxHeaderBytes"
  | "maxLargeRequests"
>;

/** Fastify's and Node's server options for the limits. */
function serverOptions(limits: ConnectionLimits) {
  // Node refuses a headers timeout above the request timeout.
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout,
      maxHeaderSize: limits.maxHeaderBytes,
      // Node enforces both timeouts only when it checks (30 s by default): check often enough.
      connectionsCheckingInterval: Math.min(1000, headersTimeout / 2),
    },
  };
}

const anonymous = (): Submitter => ({ apiKeyHash: null });
const everything = (): JobScope => "all";

const AJV_OPTIONS = {
  allErrors: true,
  useDefaults: true,
  removeAdditional: false,
  strict: false,
} as const;

/**
 * Fastify's request logs at debug rather than info: at info the console holds the
 * events that matter (start-up, jobs, problems), not a line per request. Failed
 * requests stay at error.
 */
class DebugRequestLogs extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (!this.isLogDisabled(request)) request.log.debug({ req: request }, "incoming request");
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    if (error) {
      reply.log.error(
        { res: reply, err: error, responseTime: reply.elapsedTime },
        "request errored",
      );
    } else {
      reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, "request completed");
    }
  }
}

export async function buildApp(options: AppOptions) {
  // Typed as Fastify's own logger, so plugins typed for the default instance fit.
  const loggerInstance: FastifyBaseLogger = options.logger;
  // Refusals made before a route runs answer in FastAPI's shape on the legacy paths.
  const legacyPaths = new LegacyPaths();
  const app = Fastify({
    loggerInstance,
    logController: new DebugRequestLogs(),
    bodyLimit: options.bodyLimitBytes,
    routerOptions: { maxParamLength: LIMITS.pathParamLength },
    frameworkErrors: routerErrorHandler(legacyPaths.matches),
    clientErrorHandler: clientErrorHandler(loggerInstance),
    ...serverOptions(options.connectionLimits),
  }).withTypeProvider<DefaultsFilledTypeProvider>();
  // Bodies are JSON (multipart on the legacy POST /generate): a JSON text sent as
  // text/plain is refused with 415, not parsed as a string and refused as no object.
  app.removeContentTypeParser("text/plain");
  // JSON bodies are taken as typed ("5" is not a number); query strings and path
  // parameters are text by nature and are converted.
  const bodies = new Ajv({ ...AJV_OPTIONS, coerceTypes: false });
  const urlParts = new Ajv({ ...AJV_OPTIONS, coerceTypes: "array" });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === "body" ? bodies : urlParts).compile(schema),
  );
  // Response schemas document the answers (and type the client SDK); JSON.stringify
  // keeps them from ever dropping a field the handler sent.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installErrorHandler(app);
  // Text JSON can carry but UTF-8 cannot (a lone surrogate) is refused before validation.
  app.addHook("preValidation", (request, _reply, done) => {
    const field = unencodableField(request.body);
    done(field === undefined ? undefined : invalidField(field, UNENCODABLE_TEXT));
  });
  // Hook order matters: CORS answers preflights before the key check (browsers send
  // no key on a preflight), and refusals still carry the CORS headers.
  if (options.allowedOrigins?.length) {
    await app.register(cors, {
      origin: [...options.allowedOrigins],
      exposedHeaders: ["Retry-After", "WWW-Authenticate", "Preference-Applied"],
      maxAge: 600,
    });
  }
  if (options.auth?.enabled) app.addHook("onRequest", options.auth.hook(legacyPaths.matches));
  limitLargeBodies(app, {
    thresholdBytes: LARGE_BODY_BYTES,
    maxConcurrent: options.connectionLimits.maxLargeRequests,
    isLegacyPath: legacyPaths.matches,
  });
  installMetrics(app, options.metrics);
  // The components of the OpenAPI document (src/api/openapi.ts); validation and
  // serialization use the route schemas themselves.
  for (const schema of NAMED_SCHEMAS) app.addSchema(withReferences(schema, true));
  await app.register(swagger, openApiOptions(options.version));
  await app.register(swaggerUi, { routePrefix: "/docs" });
  const outputUrl = (key: string) => `${OUTPUTS_PREFIX}${key}`;
  const scope = options.auth ? options.auth.scope : everything;
  await app.register(healthRoutes);
  await app.register(systemRoutes, {
    queuePaused: () => options.jobs.paused,
    engines: options.engines,
    ...(options.agents ? { agents: options.agents } : {}),
    modelRoot: options.modelRoot,
    version: options.version,
  });
  await app.register(generateRoutes, {
    jobs: options.jobs,
    outputUrl,
    submitter: options.submitter ?? anonymous,
    scope,
  });
  await app.register(jobRoutes, {
    jobs: options.jobs,
    events: options.events,
    outputUrl,
    scope,
    submitter: options.submitter ?? anonymous,
  });
  await app.register(queueRoutes, { jobs: options.jobs, scope });
  await app.register(webhookRoutes, {
    jobs: options.jobs,
    scope,
    log: options.webhookLog ?? (() => Promise.resolve([])),
  });
  await app.register(outputRoutes, {
    jobs: options.jobs,
    scope,
    artifacts: options.artifacts,
    loraDir: options.loraDir,
    ...(options.sharedOutputs ? { shared: options.sharedOutputs } : {}),
  });
  await app.register(legacyRoutes, {
    jobs: options.jobs,
    scope,
    paths: legacyPaths,
    events: options.events,
    artifacts: options.artifacts,
    loraDir: options.loraDir,
    submitter: options.submitter ?? anonymous,
    workerRunning: () => options.engines().length > 0,
    maxUploadBytes: options.bodyLimitBytes,
    ...(options.cleanupJobs ? { cleanupJobs: options.cleanupJobs } : {}),
  });
  app.get("/openapi.json", { schema: { hide: true } }, () => app.swagger());
  await app.register(uiRoutes);
  return app;
}
