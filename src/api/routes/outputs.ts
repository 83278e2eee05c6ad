// Output files by artifact key, the pictures a job was submitted with (by request
// field), and the LoRA catalogue.
import { createReadStream, type ReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { stat } from "node:fs/promises";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { RoutesPlugin } from "../type-provider.js";
import { Type } from "typebox";
import { contentTypeOf } from "../../artifacts/content-types.js";
import type { SharedArtifacts } from "../../artifacts/shared.js";
import type { ArtifactStore } from "../../artifacts/types.js";
import { RequestError } from "../../contract/errors.js";
import { JobIdParams } from "../../contract/requests.js";
import { INPUT_NAME_PATTERN, inputNamesOf } from "../../jobs/input-files.js";
import { listLoras } from "../../jobs/loras.js";
import { notFound, type JobScope, type JobService } from "../../jobs/service.js";
import { ERROR_RESPONSES, JobInputs, LoraList } from "../responses.js";

export interface OutputRoutesOptions {
  jobs: JobService;
  /** Whose jobs' files a request may read; others' are not found. */
  scope: (request: FastifyRequest) => JobScope;
  artifacts: ArtifactStore;
  loraDir: string;
  /** Cluster mode: outputs in object storage, by attempt (docs/cluster.md "Storage"). */
  shared?: SharedOutputs;
}

export interface SharedOutputs {
  outputs: Pick<SharedArtifacts, "openOutput" | "presignOutput">;
  /** > 0: answer a redirect to a presigned URL valid this long instead of the bytes. */
  presignS: number;
}

export const OUTPUTS_PREFIX = "/api/outputs/";

const OutputJobId = Type.String({
  pattern: "^[A-Za-z0-9-]{1,64}$",
  description: "The job's whole id.",
});
const OutputFile = Type.String({
  pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
  description: "The file name, as the job's result URLs give it.",
});
const OutputParams = Type.Object({ jobId: OutputJobId, file: OutputFile });
const AttemptOutputParams = Type.Object({
  jobId: OutputJobId,
  attempt: Type.String({
    pattern: "^attempt-[1-9][0-9]{0,5}$",
    description: "The run that made the file (attempt-1, attempt-2, ...), as the URLs give it.",
  }),
  file: OutputFile,
});

const OUTPUT_DESCRIPTION = "The file: a PNG image, an MP4 video or a JPEG preview.";
const binary = { schema: { type: "string", format: "binary" } } as const;
const OUTPUT_CONTENT = { "image/png": binary, "video/mp4": binary, "image/jpeg": binary };
const OUTPUT_RESPONSES = {
  // Typed as the stream the handler sends; documented as the file types it can be.
  200: Type.Unsafe<ReadStream>({
    description: OUTPUT_DESCRIPTION,
    content: OUTPUT_CONTENT,
  }),
  ...ERROR_RESPONSES,
};

const SHARED_OUTPUT_RESPONSES = {
  ...OUTPUT_RESPONSES,
  // The object's stream from the storage, not a file's.
  200: Type.Unsafe<Readable>({ description: OUTPUT_DESCRIPTION, content: OUTPUT_CONTENT }),
  302: Type.Null({ description: "A redirect to a presigned URL of the file." }),
};

const JobIdParam = JobIdParams.properties.id;
const InputName = Type.String({
  pattern: INPUT_NAME_PATTERN,
  description:
    "A request field that carried a picture (`input_image`, `target_mask`...), or a picture of a list: `keyframes.<i>.image`, `control_images.<i>.image`, `control_images.<i>.mask`.",
});

const INPUT_RESPONSES = {
  200: Type.Unsafe<ReadStream>({
    description: "The picture the job was submitted with, as stored: a PNG.",
    content: { "image/png": binary },
  }),
  ...ERROR_RESPONSES,
};

/** A file's size, or undefined when it is not a file (missing, a folder). */
function fileSize(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => (s.isFile() ? s.size : undefined),
    () => undefined,
  );
}

/** A stored file (inputs and outputs never change once written: cached as immutable). */
function sendFile(reply: FastifyReply, path: string, size: number) {
  return reply
    .header("content-type", contentTypeOf(path))
    .header("content-length", String(size))
    .header("cache-control", "private, max-age=86400, immutable")
    .send(createReadStream(path));
}

/**
 * Cluster mode's output URLs, `/api/outputs/<job>/attempt-<n>/<file>`: any replica
 * streams the object (or redirects to a presigned URL of it), after the same checks.
 */
function registerSharedOutputs(
  app: Parameters<RoutesPlugin<OutputRoutesOptions>>[0],
  { outputs, presignS }: SharedOutputs,
  mayRead: (jobId: string, request: FastifyRequest) => Promise<boolean>,
) {
  app.get(
    `${OUTPUTS_PREFIX}:jobId/:attempt/:file`,
    {
      schema: {
        tags: ["outputs"],
        summary: "Download an output file of one run (cluster mode)",
        description:
          "An image (PNG), video (MP4) or preview (JPEG) of a job in cluster mode, from the shared storage; with FRAMEPACK_OUTPUT_PRESIGN_S set, a 302 redirect to a presigned URL of it.",
        params: AttemptOutputParams,
        response: SHARED_OUTPUT_RESPONSES,
      },
    },
    async (request, reply) => {
      const { jobId, attempt, file } = request.params;
      const key = `${jobId}/${attempt}/${file}`;
      const missing = () => new RequestError("not_found", `No output ${key}.`);
      if (!(await mayRead(jobId, request))) throw missing();
      if (presignS > 0) {
        const url = await outputs.presignOutput(key, presignS);
        if (!url) throw missing();
        // The URL expires: neither the redirect nor its target may be cached for long.
        return reply.header("cache-control", "private, no-store").redirect(url, 302);
      }
      const object = await outputs.openOutput(key);
      if (!object) throw missing();
      return reply
        .header("content-type", object.contentType ?? contentTypeOf(file))
        .header("content-length", String(object.size))
        .header("cache-control", "private, max-age=86400, immutable")
        .send(object.body);
    },
  );
}

export const outputRoutes: RoutesPlugin<OutputRoutesOptions> = (app, options) => {
  const { jobs, scope, artifacts, loraDir } = options;

  /** Whether the request may read this job's files: every job's, or its own key's. */
  const mayRead = async (jobId: string, request: FastifyRequest): Promise<boolean> => {
    const within = scope(request);
    return within === "all" || (await jobs.get(jobId, within)) !== undefined;
  };

  app.get(
    `${OUTPUTS_PREFIX}:jobId/:file`,
    {
      schema: {
        tags: ["outputs"],
        summary: "Download an output file",
        description:
          "An image (PNG), video (MP4) or preview (JPEG) of a job; the job's record lists its URLs.",
        params: OutputParams,
        response: OUTPUT_RESPONSES,
      },
    },
    async (request, reply) => {
      const { jobId, file } = request.params;
      const path = (await mayRead(jobId, request))
        ? artifacts.pathOf(`${jobId}/${file}`)
        : undefined;
      const size = path ? await fileSize(path) : undefined;
      if (!path || size === undefined)
        throw new RequestError("not_found", `No output ${jobId}/${file}.`);
      return sendFile(reply, path, size);
    },
  );

  if (options.shared) registerSharedOutputs(app, options.shared, mayRead);

  /** The job (by id or short id) when the request may see it, with its stored inputs. */
  const storedInputs = async (id: string, request: FastifyRequest) => {
    const job = await jobs.find(id, scope(request));
    if (!job) throw notFound(id);
    const inputs = await Promise.all(
      inputNamesOf(job).map(async ({ name, file }) => {
        const path = await artifacts.readableInput(job.id, file);
        const size = path ? await fileSize(path) : undefined;
        return path && size !== undefined ? [{ name, path, size }] : [];
      }),
    );
    return { job, inputs: inputs.flat() };
  };

  const inputsTags = ["jobs"];
  app.get(
    "/api/jobs/:id/inputs",
    {
      schema: {
        tags: inputsTags,
        summary: "List a job's stored input pictures",
        description:
          "The pictures the job was submitted with, by request field, each with the URL that serves it as PNG.",
        params: Type.Object({ id: JobIdParam }),
        response: { 200: JobInputs, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { job, inputs } = await storedInputs(request.params.id, request);
      return {
        inputs: inputs.map(({ name }) => ({ name, url: `/api/jobs/${job.id}/inputs/${name}` })),
      };
    },
  );

  app.get(
    "/api/jobs/:id/inputs/:name",
    {
      schema: {
        tags: inputsTags,
        summary: "Read one of a job's stored input pictures",
        description:
          "The PNG the job stored for one request field; 404 when the job has none for it.",
        // The name is one of the request's image fields, never a path: only the file the
        // job stored for that field can be read.
        params: Type.Object({ id: JobIdParam, name: InputName }),
        response: INPUT_RESPONSES,
      },
    },
    async (request, reply) => {
      const { id, name } = request.params;
      const { inputs } = await storedInputs(id, request);
      const input = inputs.find((stored) => stored.name === name);
      if (!input) throw new RequestError("not_found", `Job ${id} has no stored ${name}.`);
      return sendFile(reply, input.path, input.size);
    },
  );

  const lorasSchema = {
    tags: ["loras"],
    summary: "List LoRAs",
    description: "The `.safetensors` files under LORA_DIR, by the name `lora_paths` takes.",
    response: { 200: LoraList },
  };
  app.get("/api/loras", { schema: lorasSchema }, async () => ({
    loras: (await listLoras(loraDir)).map((name) => ({ name })),
  }));
  return Promise.resolve();
};
