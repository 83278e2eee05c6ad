// The OpenAPI document as a person uses it (src/api/openapi.ts says what a route gives it):
// every operation summarised and described in a declared tag, every request field
// described, named component schemas, named answers, and for each request body an
// example that Swagger UI's "Try it out" sends as it stands: it must be accepted (202).
// No engine is needed for that (the job waits in the queue); test/api.test.ts runs the
// examples to completion on the tiny engine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TAGS } from "../src/api/openapi.js";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

interface Schema {
  $ref?: string;
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  examples?: unknown[];
}
interface Media {
  schema?: Schema;
  example?: unknown;
}
interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; description?: string }[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { description: string; content?: Record<string, Media> }>;
}
interface Document {
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let service: AssembledService;
let url: string;
let document: Document;

beforeAll(async () => {
  service = await assembleEngineFreeService();
  url = await service.app.listen({ host: "127.0.0.1", port: 0 });
  document = (await (await fetch(`${url}/openapi.json`)).json()) as Document;
});

afterAll(async () => {
  await service.close();
});

/** Every operation of the document as "METHOD /path" and its object. */
function operations(): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      operation,
    ]),
  );
}

const COMPONENT = "#/components/schemas/";

function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  expect(schema.$ref.startsWith(COMPONENT), schema.$ref).toBe(true);
  const found = document.components.schemas[schema.$ref.slice(COMPONENT.length)];
  if (!found) throw new Error(`no component for ${schema.$ref}`);
  return found;
}

/** The dotted names of the fields of a schema (nested objects too) that lack a description. */
function undescribed(schema: Schema, at: string): string[] {
  const here = resolve(schema);
  const nested = [...(here.anyOf ?? []), ...(here.items ? [here.items] : [])].flatMap((inner) =>
    undescribed(inner, `${at}[]`),
  );
  const fields = Object.entries(here.properties ?? {}).flatMap(([name, field]) => [
    ...(resolve(field).description ? [] : [`${at}.${name}`]),
    ...undescribed(field, `${at}.${name}`),
  ]);
  return [...fields, ...nested];
}

/** The JSON request body of an operation, if it has one. */
const jsonBody = (operation: Operation) => operation.requestBody?.content["application/json"];

describe("the OpenAPI document", () => {
  it("has a summary, a description and a declared tag for every operation", () => {
    const declared = document.tags.map((tag) => tag.name);
    expect(declared).toEqual(Object.keys(API_TAGS));
    expect(document.tags.every((tag) => tag.description)).toBe(true);
    const lacking = operations().flatMap(([name, operation]) => [
      ...(operation.summary ? [] : [`${name}: summary`]),
      ...(operation.description ? [] : [`${name}: description`]),
      ...(operation.tags?.length && operation.tags.every((tag) => declared.includes(tag))
        ? []
        : [`${name}: tags ${String(operation.tags)}`]),
    ]);
    expect(lacking, lacking.join("\n")).toEqual([]);
    expect(operations().length).toBeGreaterThanOrEqual(26);
  });

  it("describes every request field: body fields (nested too) and parameters", () => {
    const lacking = operations().flatMap(([name, operation]) => {
      const body = jsonBody(operation)?.schema;
      const parameters = (operation.parameters ?? [])
        .filter((parameter) => !parameter.description)
        .map((parameter) => `${name}: ${parameter.in} ${parameter.name}`);
      return [...(body ? undescribed(body, `${name}: body`) : []), ...parameters];
    });
    expect(lacking, lacking.join("\n")).toEqual([]);
  });

  it("names every answer: no 'Default Response'; a generation's 202 is the job accepted", () => {
    const unnamed = operations().flatMap(([name, operation]) =>
      Object.entries(operation.responses)
        .filter(
          ([, response]) => !response.description || response.description === "Default Response",
        )
        .map(([status]) => `${name} ${status}`),
    );
    expect(unnamed, unnamed.join("\n")).toEqual([]);
    const generation = operations().filter(([, operation]) => operation.tags?.includes("generate"));
    expect(generation.map(([name]) => name)).toEqual([
      "POST /api/generate-image",
      "POST /api/batch-images",
      "POST /api/transfer-image",
      "POST /api/generate-video",
    ]);
    for (const [, operation] of generation) {
      expect(operation.responses["202"]?.description).toMatch(/^Job accepted/);
      expect(operation.responses["202"]?.content?.["application/json"]?.schema?.$ref).toBe(
        `${COMPONENT}JobAccepted`,
      );
      expect(operation.responses["4XX"]?.content?.["application/json"]?.schema?.$ref).toBe(
        `${COMPONENT}Error`,
      );
    }
  });

  it("lists the request and answer schemas by name under components", () => {
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        "ImageRequest",
        "BatchRequest",
        "TransferRequest",
        "VideoRequest",
        "JobAccepted",
        "JobRecord",
        "JobPage",
        "Error",
        "SystemReport",
      ]),
    );
    const body = (path: string) => jsonBody(document.paths[path]?.post ?? { responses: {} });
    expect(body("/api/generate-image")?.schema?.$ref).toBe(`${COMPONENT}ImageRequest`);
    expect(body("/api/batch-images")?.schema?.$ref).toBe(`${COMPONENT}BatchRequest`);
    expect(body("/api/transfer-image")?.schema?.$ref).toBe(`${COMPONENT}TransferRequest`);
    expect(body("/api/generate-video")?.schema?.$ref).toBe(`${COMPONENT}VideoRequest`);
    const job = document.paths["/api/jobs/{id}"]?.get?.responses["200"];
    expect(job?.content?.["application/json"]?.schema?.$ref).toBe(`${COMPONENT}JobRecord`);
  });

  it("gives every request body an example; a generation's is accepted as it stands", async () => {
    const withBodies = operations().filter(([, operation]) => operation.requestBody);
    for (const [name, operation] of withBodies) {
      expect(jsonBody(operation)?.example, `${name}: example`).toBeDefined();
    }
    // The others act on a job (a PATCH of job 0 is a 404): their answers are tested elsewhere.
    const generation = withBodies.filter(([, operation]) => operation.tags?.includes("generate"));
    expect(generation.length).toBe(4);
    for (const [name, operation] of generation) {
      const example = jsonBody(operation)?.example;
      const [method = "", path = ""] = name.split(" ");
      // As Swagger UI's "Try it out" sends it: the example body as JSON.
      const answer = await fetch(`${url}${path}`, {
        method,
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(example),
      });
      expect(answer.status, `${name}: ${await answer.text()}`).toBe(202);
    }
  });
});
