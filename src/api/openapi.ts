// How the OpenAPI document (GET /openapi.json, Swagger UI at /docs) is made from the route
// schemas by @fastify/swagger, and what a route gives it (docs/api.md §10):
//
// - every route: `summary` (one line) and `description` in its schema, and `tags` from
//   API_TAGS (a route with `hide: true` is left out of the document);
// - every request field (body, query, path): a `description` on its schema;
// - a generation body: an `$id` (its component name) and `examples: [one body]` that is
//   accepted as it stands: Swagger UI's "Try it out" sends it;
// - answers: a named schema for 2xx (its `description` is the answer's name, e.g. "Job
//   accepted"), and ERROR_RESPONSES for the errors.
//
// test/openapi.test.ts fails for a route without them. Schemas with an `$id` become
// `components.schemas` entries under that name, referenced wherever a route uses them.
import type { SwaggerOptions } from "@fastify/swagger";
import type { FastifySchema } from "fastify";
import type { TSchema } from "typebox";
import {
  BatchImagesRequest,
  GenerateImageRequest,
  GenerateVideoRequest,
  JobChangeRequest,
  RetryRequest,
  TransferImageRequest,
} from "../contract/requests.js";
import { LEGACY_TAG } from "./legacy/options.js";
import { Accepted, ErrorEnvelope, JobPage, QueuedJob, SystemReport } from "./responses.js";

/** What the document says of an operation: a one-line summary, then the details. */
export interface RouteAbout {
  summary: string;
  description: string;
}

/** The operation groups, in the order the page shows them. */
export const API_TAGS: Readonly<Record<string, string>> = {
  generate: "Start a generation job; it runs in the background (answer 202 at once).",
  jobs: "Follow, list, cancel, reorder, retry and delete jobs.",
  queue: "Pause and resume the queue as a whole.",
  outputs: "Output files.",
  loras: "The LoRA catalogue.",
  system: "The service, its engines and its health.",
  [LEGACY_TAG]:
    "FramePack-FastAPI's routes at their original paths, wire-compatible (docs/api.md §7).",
};

/** The schemas the document lists by name under components.schemas (each has an `$id`). */
export const NAMED_SCHEMAS: readonly TSchema[] = [
  GenerateImageRequest,
  BatchImagesRequest,
  TransferImageRequest,
  GenerateVideoRequest,
  Accepted,
  QueuedJob,
  JobPage,
  JobChangeRequest,
  RetryRequest,
  ErrorEnvelope,
  SystemReport,
];

/**
 * A schema as the document shows it: each named schema inside it (the root too, unless
 * `keepRoot`) becomes a reference to its component instead of a copy. A reference keeps
 * the copy's description beside it: @fastify/swagger names an answer by it
 * (ERROR_RESPONSES give 4xx and 5xx their own).
 */
export function withReferences(schema: unknown, keepRoot = false): unknown {
  if (Array.isArray(schema)) return schema.map((inner) => withReferences(inner));
  if (typeof schema !== "object" || schema === null) return schema;
  const { $id, description } = schema as { $id?: unknown; description?: unknown };
  if (typeof $id === "string" && !keepRoot) {
    return { $ref: `${$id}#`, ...(description === undefined ? {} : { description }) };
  }
  return Object.fromEntries(
    Object.entries(schema).map(([key, inner]) => [key, withReferences(inner)]),
  );
}

/** A route's schema as the document sees it: named parts referenced, not copied. */
function referToComponents(schema: FastifySchema): FastifySchema {
  const response = schema.response as Record<string, unknown> | undefined;
  return {
    ...schema,
    ...(schema.body === undefined ? {} : { body: withReferences(schema.body) }),
    ...(response === undefined
      ? {}
      : {
          response: Object.fromEntries(
            Object.entries(response).map(([status, part]) => [status, withReferences(part)]),
          ),
        }),
  };
}

interface Media {
  schema?: { $ref?: string };
  example?: unknown;
}
type Operation = { requestBody?: { content?: Record<string, Media> } } | undefined;
interface Document {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, { examples?: unknown[] }> };
}

const COMPONENT = "#/components/schemas/";

/**
 * Each request body that is a named schema gets that schema's first example as its own
 * `example`: the body Swagger UI's "Try it out" starts from (it does not look for one
 * inside the referenced schema).
 */
function exampleBodies(document: Document): void {
  const components = document.components?.schemas ?? {};
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      for (const media of Object.values(operation?.requestBody?.content ?? {})) {
        const ref = media.schema?.$ref;
        const examples = ref?.startsWith(COMPONENT)
          ? components[ref.slice(COMPONENT.length)]?.examples
          : undefined;
        if (examples?.length) media.example = examples[0];
      }
    }
  }
}

export function openApiOptions(version: string): SwaggerOptions {
  return {
    openapi: {
      // 3.1: JSON Schema 2020-12, so the schemas' numeric exclusiveMinimum and null unions are valid.
      openapi: "3.1.0",
      info: {
        title: "FramePack service",
        version,
        description: [
          "Video, one-frame image, batch and reference-transfer (kisekaeichi) generation with FramePack.",
          "",
          "Generation is asynchronous: a `POST /api/generate-…` answers 202 with the job's id and links;",
          "follow the job with `GET /api/jobs/{id}` or its event stream, then fetch the output under `/api/outputs/`.",
          "With API keys configured, send `Authorization: Bearer <key>`.",
        ].join("\n"),
      },
      tags: Object.entries(API_TAGS).map(([name, description]) => ({ name, description })),
    },
    // Component names are the schemas' own `$id`s (ImageRequest, JobRecord, Error, …).
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === "string" ? json.$id : `def-${String(i)}`,
    },
    transform: ({ schema, url }) => ({ schema: referToComponents(schema), url }),
    transformObject: (documents) => {
      if (!("openapiObject" in documents)) return documents.swaggerObject;
      exampleBodies(documents.openapiObject as Document);
      return documents.openapiObject;
    },
  };
}
