// Response schemas of the JSON API (docs/api.md §3-§6). They document the answers in the
// OpenAPI document, from which the client SDK's types are generated, and type-check
// the handlers; the app serializes with JSON.stringify, so they never filter a field.
import { Type, type TSchema } from "typebox";
import { JOB_ERROR_CODES, REQUEST_ERROR_DESCRIPTIONS } from "../contract/error-codes.js";
import { JobStatus, JobType } from "../contract/requests.js";
import {
  protocolDefinition,
  type Device,
  type EngineState,
  type HelloEvent,
  type LoadedModel,
  type Memory,
  type ModelSet,
} from "../engine/protocol.js";

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** An object whose fields are not fixed here (the normalised request, engine metadata). */
const OpenObject = Type.Record(Type.String(), Type.Unknown());

const FieldProblem = Type.Object({ field: Type.String(), message: Type.String() });

/**
 * One of the codes, each listed with its meaning in the description. A string to the
 * handlers: the raising code is typed by the codes, and records from older versions may
 * hold others.
 */
function ErrorCode(codes: Record<string, string>, summary: string) {
  const meanings = Object.entries(codes).map(([code, meaning]) => `- \`${code}\`: ${meaning}`);
  return Type.Unsafe<string>({
    type: "string",
    enum: Object.keys(codes),
    description: [summary, "", ...meanings].join("\n"),
  });
}

export const ErrorEnvelope = Type.Object(
  {
    error: Type.Object({
      code: ErrorCode(REQUEST_ERROR_DESCRIPTIONS, "Why the request was refused or failed."),
      message: Type.String({ description: "One sentence for a person." }),
      details: Type.Array(FieldProblem, { description: "Every refused field." }),
    }),
  },
  { $id: "Error", description: "A refused or failed request." },
);

/** The error answers every /api route may give, for a route's `response`. */
export const ERROR_RESPONSES = {
  "4xx": Type.With(ErrorEnvelope, {
    description:
      "Refused: `error.code` says why (see its list), `error.details` names each refused field.",
  }),
  "5xx": Type.With(ErrorEnvelope, {
    description: "The server could not do it now (a full queue, a busy server) or failed.",
  }),
} as const;

/** An answer without a body (204). */
export const NoContent = Type.Null({ description: "No content." });

/** GET /api/queue and the queue's pause and resume (docs/api.md §6). */
export const QueueState = Type.Object(
  {
    paused: Type.Boolean({ description: "Nothing new starts; running jobs finish." }),
    pending: Type.Integer({
      minimum: 0,
      description: "Jobs waiting to start (yours, with a tenant key).",
    }),
    running: Type.Array(Type.String(), {
      description: "Ids of the jobs running now (yours, with a tenant key).",
    }),
  },
  { description: "The queue: paused or not, how many jobs wait, which run." },
);

export const Accepted = Type.Object(
  {
    job_id: Type.String({ description: "The new job's id." }),
    status: JobStatus,
    links: Type.Object(
      {
        self: Type.String({ description: "The job's record: GET it to follow the job." }),
        events: Type.String({ description: "The job's event stream (server-sent events)." }),
        cancel: Type.String({ description: "POST here to cancel the job." }),
      },
      { description: "Where to follow or cancel the job." },
    ),
  },
  { $id: "JobAccepted", description: "Job accepted: it waits in the queue." },
);

const ImageOutput = Type.Object({
  url: Type.String(),
  seed: Type.Integer(),
  width: Type.Integer(),
  height: Type.Integer(),
  index: Type.Optional(Type.Integer({ description: "Item index in a batch." })),
});

const VideoOutput = Type.Object({
  url: Type.String(),
  seed: Type.Integer(),
  width: Type.Integer(),
  height: Type.Integer(),
  frames: Nullable(Type.Integer()),
  fps: Nullable(Type.Number()),
});

const JobResult = Type.Object({
  images: Type.Array(ImageOutput),
  video: Nullable(VideoOutput),
  seeds: Type.Array(Type.Integer()),
  metadata: OpenObject,
});

const BatchItemStatus = Type.Union([
  Type.Literal("pending"),
  Type.Literal("completed"),
  Type.Literal("failed"),
]);

/** One batch item; the record gives its output's URL, `item` events its artifact key. */
const BatchItemFields = {
  index: Type.Integer(),
  prompt: Type.String(),
  seed: Type.Integer(),
  status: BatchItemStatus,
  error: Nullable(Type.String()),
};

const BatchProgress = Type.Object({
  total: Type.Integer(),
  completed: Type.Integer(),
  failed: Type.Integer(),
  items: Type.Array(Type.Object({ ...BatchItemFields, url: Nullable(Type.String()) })),
});

const JobError = Type.Object({
  code: ErrorCode(JOB_ERROR_CODES, "Why the job (or the attempt a retry follows) failed."),
  message: Type.String(),
});

/** Live progress fields: on the job record and in `progress` events. */
const ProgressFields = {
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  step: Type.Integer(),
  total: Type.Integer(),
  info: Type.String({ description: "Human text of the phase." }),
  phase: Nullable(
    Type.String({
      description:
        "The engine's phase (loading, encoding, sampling, decoding, saving) while the job runs; done once it completed.",
    }),
  ),
};

export const QueuedJob = Type.Object(
  {
    id: Type.String(),
    type: JobType,
    data: OpenObject,
    status: JobStatus,
    created_at: Type.String({ format: "date-time" }),
    started_at: Nullable(Type.String({ format: "date-time" })),
    completed_at: Nullable(Type.String({ format: "date-time" })),
    duration_s: Nullable(
      Type.Number({
        minimum: 0,
        description: "Seconds from started_at to completed_at of a finished job; null before.",
      }),
    ),
    error: Nullable(JobError),
    result: Nullable(JobResult),
    ...ProgressFields,
    preview: Nullable(Type.String({ description: "Data URI of the latest preview JPEG." })),
    batch_progress: Nullable(BatchProgress),
    sections: Nullable(
      Type.Object(
        { total: Type.Integer({ minimum: 1 }), done: Type.Integer({ minimum: 0 }) },
        {
          description:
            "A video's sections, and how many its section checkpoint holds: a retry or a yield resumes after them. Null before its first checkpoint and for other jobs.",
        },
      ),
    ),
    queue_position: Nullable(Type.Integer()),
    priority: Type.Integer(),
    attempts: Type.Integer(),
  },
  { $id: "JobRecord", description: "The job: its request, status, progress and result." },
);

/**
 * The 200 of a generation route asked to wait (`Prefer: wait=N`) whose job finished in
 * time: the finished record, with the 202's `job_id` and `links` too, so that a client
 * reads the id the same way from either answer.
 */
export const FinishedJob = Type.Object(
  { ...QueuedJob.properties, job_id: Accepted.properties.job_id, links: Accepted.properties.links },
  { description: "The finished job (Prefer: wait=N, finished within N seconds)." },
);

export const JobPage = Type.Object(
  {
    jobs: Type.Array(QueuedJob),
    next_cursor: Nullable(
      Type.String({ description: "The cursor of the next page; null on the last page." }),
    ),
  },
  { $id: "JobPage", description: "A page of jobs, newest first." },
);

/** GET /api/jobs/{id}/inputs: the pictures the job stored, by request field. */
export const JobInputs = Type.Object(
  {
    inputs: Type.Array(
      Type.Object({
        name: Type.String({
          description:
            "The request field, e.g. input_image, target_mask; a list's picture as keyframes.0.image, control_images.1.mask.",
        }),
        url: Type.String({ description: "GET it (with the key) for the stored PNG." }),
      }),
    ),
  },
  { description: "The job's stored input pictures, by request field." },
);

export const LoraList = Type.Object(
  { loras: Type.Array(Type.Object({ name: Type.String() })) },
  { description: "The LoRA files under LORA_DIR, by the name a request uses." },
);

/** Engine data the API passes through, documented by the engine protocol's own schema. */
const fromProtocol = <T>(name: string, property?: string) =>
  Type.Unsafe<T>(protocolDefinition(name, property));

/** One engine as GET /api/system shows it: its handshake, then its latest status. */
const EngineReport = Type.Object({
  id: Type.String(),
  state: Type.Union([fromProtocol<EngineState>("EngineState"), Type.Literal("unresponsive")], {
    description: "unresponsive: the engine did not answer a status request in time.",
  }),
  engine_version: Type.String(),
  protocol_version: fromProtocol<HelloEvent["protocol_version"]>("ProtocolVersion"),
  versions: fromProtocol<HelloEvent["versions"]>("HelloEvent", "versions"),
  device: fromProtocol<Device>("Device"),
  capabilities: fromProtocol<HelloEvent["capabilities"]>("HelloEvent", "capabilities"),
  model_set: fromProtocol<ModelSet>("ModelSet"),
  memory: fromProtocol<Memory>("Memory"),
  loaded_models: Type.Array(fromProtocol<LoadedModel>("LoadedModel")),
  uptime_s: Nullable(Type.Number({ minimum: 0, description: "null when unresponsive." })),
  error: Nullable(Type.String({ description: "Why the engine is unresponsive." })),
});

/** A GPU host of a cluster, as its last heartbeat described it (docs/api.md §6). */
const ClusterAgentReport = Type.Object({
  id: Type.String({ description: "The agent process's id: the owner of its leases." }),
  host: Type.String(),
  engines: Type.Array(
    Type.Object({
      id: Type.String(),
      state: Type.String({ description: "starting, idle, busy or down." }),
      job: Nullable(Type.String({ description: "The job it runs." })),
      loadout: Nullable(
        Type.Object({
          transformer: Type.String(),
          loras: Type.String({ description: "The LoRA stack it last ran, empty for none." }),
        }),
      ),
    }),
  ),
  started_at: Type.String({ format: "date-time" }),
  heartbeat_at: Type.String({ format: "date-time", description: "The database's time." }),
});

export const SystemReport = Type.Object(
  {
    version: Type.String({ description: "The service's version." }),
    model_set: Type.Object({
      root: Type.String(),
      tiny: Type.Boolean({ description: "Some engine serves the random-weight demo set." }),
      notice: Nullable(
        Type.String({ description: "What tiny means and how to get real weights." }),
      ),
    }),
    engines: Type.Array(EngineReport),
    queue_paused: Type.Boolean({ description: "The queue is paused: nothing new starts." }),
    agents: Type.Optional(
      Type.Array(ClusterAgentReport, {
        description:
          "Cluster mode only: every GPU host (agent) heard from lately, newest heartbeat first.",
      }),
    ),
  },
  { $id: "SystemReport", description: "The service, its model set and each engine, live." },
);

/** One SSE message: its `event:` name and its JSON `data:` (each also has an `id:`). */
const JobStreamEvent = Type.Union([
  Type.Object({
    event: Type.Literal("status"),
    data: Type.Object({ status: JobStatus, retry: Type.Optional(JobError) }),
  }),
  Type.Object({ event: Type.Literal("progress"), data: Type.Object(ProgressFields) }),
  Type.Object({ event: Type.Literal("preview"), data: Type.Object({ preview: Type.String() }) }),
  Type.Object({
    event: Type.Literal("item"),
    data: Type.Object({ ...BatchItemFields, key: Nullable(Type.String()) }),
  }),
  Type.Object({ event: Type.Literal("done"), data: QueuedJob }),
]);

/** The events route's 200: a text/event-stream whose messages are JobStreamEvents. */
export const JobEventStream = {
  description:
    "Server-sent events: status, progress, preview, item (batches), then done with the job record. `id:` lines; send Last-Event-ID to resume.",
  content: { "text/event-stream": { schema: JobStreamEvent } },
} as const;
