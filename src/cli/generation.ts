// What the four generation commands share: connection, output and follow flags, the
// input image files, and submit-then-follow.
import { readFile } from "node:fs/promises";
import { Command, InvalidArgumentError } from "commander";
import { idempotencyKey, type FramePackClient } from "../client/index.js";
import { WEBHOOK_EVENTS, type WebhookEvent } from "../contract/requests.js";
import { addConnectionOption, connect, type ConnectionOptions } from "./connection.js";
import { CliError } from "./errors.js";
import { followJob } from "./follow.js";
import { progressBarReporter } from "./progress-bar.js";
import { jsonLinesReporter } from "./reporter.js";

export interface GenerationOptions extends ConnectionOptions {
  out: string;
  json?: boolean;
  wait: boolean;
  webhook?: string;
  webhookEvent?: WebhookEvent[];
  idempotencyKey?: string;
}

/** What the shared flags add to a generation request: the webhook fields and the header. */
export interface SubmitExtras {
  fields: { webhook?: string; webhook_events?: WebhookEvent[] };
  /** Spread into the POST's options: the Idempotency-Key header, when given. */
  request: ReturnType<typeof idempotencyKey> | Record<string, never>;
}

function submitExtras(options: GenerationOptions): SubmitExtras {
  return {
    fields: {
      ...(options.webhook === undefined ? {} : { webhook: options.webhook }),
      ...(options.webhookEvent === undefined ? {} : { webhook_events: options.webhookEvent }),
    },
    request: options.idempotencyKey === undefined ? {} : idempotencyKey(options.idempotencyKey),
  };
}

/** Each --webhook-event adds one, checked against the API's events. */
function collectEvent(event: string, events: WebhookEvent[] = []): WebhookEvent[] {
  const known = WEBHOOK_EVENTS.find((name) => name === event);
  if (!known) throw new InvalidArgumentError(`Allowed choices are ${WEBHOOK_EVENTS.join(", ")}.`);
  return [...events, known];
}

/** Where outputs go unless --out says otherwise: a folder of their own, not the current one. */
export const DEFAULT_OUT = "framepack-outputs";

/** A command with --server, --api-key, --out, --json and --no-wait. */
export function generationCommand(name: string, description: string): Command {
  return addConnectionOption(new Command(name).description(description))
    .option(
      "-o, --out <dir>",
      "folder the outputs are downloaded to (made when missing)",
      DEFAULT_OUT,
    )
    .option("--json", "print the job's events as JSON lines on stdout instead of progress bars")
    .option("--no-wait", "print the job id and return at once instead of following the job")
    .option("--webhook <url>", "POST signed job events to this URL (WEBHOOK_SECRET on the server)")
    .option(
      "--webhook-event <event>",
      `an event the webhook gets, repeatable: ${WEBHOOK_EVENTS.join(", ")}`,
      collectEvent,
    )
    .option(
      "--idempotency-key <key>",
      "sent again with the same request within 24 h, answers with the first job",
    );
}

/** An image file as the base64 text the API takes. */
export async function readImage(path: string): Promise<string> {
  return readBase64(path, "image");
}

/** A file as base64, as requests carry uploads; `what` names it in the error. */
export async function readBase64(path: string, what: string): Promise<string> {
  try {
    return (await readFile(path)).toString("base64");
  } catch (error) {
    throw new CliError(`cannot read the ${what} ${path}: ${(error as Error).message}`);
  }
}

/** Submits, then (unless --no-wait) follows the job and downloads its outputs. */
export async function submitAndFollow(
  options: GenerationOptions,
  submit: (client: FramePackClient, extras: SubmitExtras) => Promise<{ job_id: string }>,
  display: { batch: boolean } = { batch: false },
): Promise<void> {
  const client = connect(options);
  const reporter = options.json ? jsonLinesReporter() : progressBarReporter(display);
  const { job_id: jobId } = await submit(client, submitExtras(options));
  if (!options.wait && !options.json) {
    process.stdout.write(`${jobId}\n`);
    return;
  }
  reporter.submitted(jobId);
  if (options.wait) {
    await followJob({ client, reporter, out: options.out, server: options.server }, jobId);
  }
}
