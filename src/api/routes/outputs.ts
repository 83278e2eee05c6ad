// Output files by artifact key, and the LoRA catalogue.
import { createReadStream, type ReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname } from "node:path";
import type { FastifyRequest } from "fastify";
import type { RoutesPlugin } from "../type-provider.js";
import { Type } from "typebox";
import type { ArtifactStore } from "../../artifacts/types.js";
import { RequestError } from "../../contract/errors.js";
import { listLoras } from "../../jobs/loras.js";
import type { JobScope, JobService } from "../../jobs/service.js";
import { ERROR_RESPONSES, LoraList } from "../responses.js";

export interface OutputRoutesOptions {
  jobs: JobService;
  /** Whose jobs' files a request may read; others' are not found. */
  scope: (request: FastifyRequest) => JobScope;
  artifacts: ArtifactStore;
  loraDir: string;
}

const CONTENT_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".mp4": "video/mp4",
};

export const OUTPUTS_PREFIX = "/api/outputs/";

const OutputParams = Type.Object({
  jobId: Type.String({ pattern: "^[A-Za-z0-9-]{1,64}$", description: "The job's whole id." }),
  file: Type.String({
    pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
    description: "The file name, as the job's result URLs give it.",
  }),
});

const binary = { schema: { type: "string", format: "binary" } } as const;
const OUTPUT_RESPONSES = {
  // Typed as the stream the handler sends; documented as the file types it can be.
  200: Type.Unsafe<ReadStream>({
    description: "The file: a PNG image, an MP4 video or a JPEG preview.",
    content: { "image/png": binary, "video/mp4": binary, "image/jpeg": binary },
  }),
  ...ERROR_RESPONSES,
};

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
      const size = path
        ? await stat(path).then(
            (s) => (s.isFile() ? s.size : undefined),
            () => undefined,
          )
        : undefined;
      if (!path || size === undefined)
        throw new RequestError("not_found", `No output ${jobId}/${file}.`);
      return reply
        .header("content-type", CONTENT_TYPES[extname(file)] ?? "application/octet-stream")
        .header("content-length", String(size))
        .header("cache-control", "private, max-age=86400, immutable")
        .send(createReadStream(path));
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
