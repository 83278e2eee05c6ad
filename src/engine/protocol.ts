// The control-plane side of the engine protocol: the schema in protocol/schema.json
// validates every line in both directions, and the generated types describe them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv";
import { PROJECT_ROOT } from "../paths.js";
import type { BatchPlan, ImagePlan, Plan, TransferPlan, VideoPlan } from "./protocol.gen.js";

export type * from "./protocol.gen.js";

/** Each member of a union of plans less its output (and checkpoint) directory. */
type WithoutOutputDir<P> = P extends unknown ? Omit<P, "output_dir" | "checkpoint_dir"> : never;

/**
 * A plan as a job keeps it: everything but the output directory, which each attempt
 * gets anew, and a video's checkpoint directory, given with it. The `kind` tells the
 * members apart.
 */
export type JobPlan = WithoutOutputDir<ImagePlan | BatchPlan | TransferPlan | VideoPlan>;
export type JobPlanKind = JobPlan["kind"];
export const JOB_PLAN_KINDS: readonly JobPlanKind[] = ["image", "batch", "transfer", "video"];

/** The plan of one attempt: the job's plan writing into `outputDir`. */
/** The plan of one run; a video also gets the folder its section checkpoint lives in. */
export function planFor(plan: JobPlan, outputDir: string, checkpointDir?: string): Plan {
  if (plan.kind === "video" && checkpointDir !== undefined) {
    return { ...plan, output_dir: outputDir, checkpoint_dir: checkpointDir };
  }
  return { ...plan, output_dir: outputDir };
}

export const PROTOCOL_SCHEMA_PATH = join(PROJECT_ROOT, "protocol", "schema.json");

export type Direction = "request" | "event";

type JsonSchema = { [key: string]: unknown };

// The `type` field selects the definition, so errors name the right message.
const DEFINITIONS: Record<Direction, Record<string, string>> = {
  request: {
    status: "StatusRequest",
    run: "RunRequest",
    cancel: "CancelRequest",
    yield: "YieldRequest",
    shutdown: "ShutdownRequest",
  },
  event: {
    hello: "HelloEvent",
    status: "StatusEvent",
    heartbeat: "HeartbeatEvent",
    progress: "ProgressEvent",
    result: "ResultEvent",
    error: "ErrorEvent",
    cancelled: "CancelledEvent",
    item_result: "ItemResultEvent",
    checkpoint: "CheckpointEvent",
    yielded: "YieldedEvent",
  },
};

const schema = JSON.parse(readFileSync(PROTOCOL_SCHEMA_PATH, "utf8")) as {
  $id: string;
  $defs: Record<string, JsonSchema>;
};
const ajv = new Ajv2020({ allErrors: true, strict: true, discriminator: true });
ajv.addSchema(schema);
const validators = new Map<string, ValidateFunction>();

function validatorFor(definition: string): ValidateFunction {
  let validate = validators.get(definition);
  if (!validate) {
    validate = ajv.compile({ $ref: `${schema.$id}#/$defs/${definition}` });
    validators.set(definition, validate);
  }
  return validate;
}

/** One readable line per problem; an empty list means the message is valid. */
export function validationErrors(message: unknown, direction: Direction): string[] {
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    return ["a message must be a JSON object"];
  }
  const type = (message as { type?: unknown }).type;
  const definitions = DEFINITIONS[direction];
  const definition = typeof type === "string" ? definitions[type] : undefined;
  if (definition === undefined) {
    const known = Object.keys(definitions).sort().join(", ");
    return [`unknown ${direction} type ${JSON.stringify(type)}; expected one of: ${known}`];
  }
  const validate = validatorFor(definition);
  if (validate(message)) return [];
  return (validate.errors ?? []).map((error) =>
    error.instancePath === ""
      ? (error.message ?? "invalid")
      : `${error.instancePath.slice(1).replaceAll("/", ".")}: ${error.message ?? "invalid"}`,
  );
}

/** `schema` with each `#/$defs/...` reference replaced by the definition it names. */
function inlined(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(inlined);
  if (typeof schema !== "object" || schema === null) return schema;
  const { $ref, ...rest } = schema as JsonSchema;
  const fields = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, inlined(value)]));
  if (typeof $ref !== "string") return fields;
  return { ...protocolDefinition($ref.replace(/^#\/\$defs\//, "")), ...fields };
}

/**
 * A definition of the protocol schema (or one property of it) on its own, references
 * inlined, so another document can embed it: the OpenAPI document describes the engine
 * data the API passes through with the very schema the engine's messages are checked by.
 */
export function protocolDefinition(name: string, property?: string): JsonSchema {
  const definition = schema.$defs[name];
  if (!definition) throw new Error(`no definition ${name} in the protocol schema`);
  if (property === undefined) return inlined(definition) as JsonSchema;
  const properties = definition.properties as Record<string, JsonSchema> | undefined;
  const found = properties?.[property];
  if (!found) throw new Error(`no property ${property} in the protocol's ${name}`);
  return inlined(found) as JsonSchema;
}
