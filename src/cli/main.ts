#!/usr/bin/env node
// `framepack`: run the service, generate through a running one, follow and manage its
// jobs, and fetch the model weights. Progress goes to stderr, results to stdout.
import { Command, Help, type Option } from "commander";
import type { TObject } from "typebox";
import { defaultsOf } from "../contract/defaults.js";
import {
  BatchImagesRequest,
  GenerateImageRequest,
  GenerateVideoRequest,
  TransferImageRequest,
} from "../contract/requests.js";
import { SERVICE_VERSION } from "../version.js";
import { batchCommand } from "./batch.js";
import { cancelCommand } from "./cancel.js";
import { agentCommand } from "./agent.js";
import { apiKeyOf, type ConnectionOptions } from "./connection.js";
import { describeFailure, failureEvent } from "./errors.js";
import { imageCommand } from "./image.js";
import { jobsCommand } from "./jobs.js";
import { modelsCommand } from "./models.js";
import { deleteCommand, queueCommand, retryCommand } from "./queue-control.js";
import { serveCommand } from "./serve.js";
import { transferCommand } from "./transfer.js";
import { videoCommand } from "./video.js";
import { watchCommand } from "./watch.js";

const COMMANDS = [
  serveCommand,
  agentCommand,
  imageCommand,
  batchCommand,
  transferCommand,
  videoCommand,
  jobsCommand,
  watchCommand,
  cancelCommand,
  retryCommand,
  deleteCommand,
  queueCommand,
  modelsCommand,
];

/** The request schema of each generation command: its flags' defaults, for --help. */
const REQUEST_SCHEMAS: Record<string, TObject> = {
  image: GenerateImageRequest,
  batch: BatchImagesRequest,
  transfer: TransferImageRequest,
  video: GenerateVideoRequest,
};

/**
 * Adds the server's default to the help of each request flag: the flags have none of
 * their own (only the flags given are sent, and the server fills in the rest). In the
 * help only: commands share the flags' Option objects, and their defaults differ.
 */
function showRequestDefaults(command: Command, schema: TObject): void {
  const defaults = defaultsOf(schema) as Record<string, unknown>;
  const plain = new Help();
  command.configureHelp({
    optionDescription: (option: Option) => {
      const text = plain.optionDescription(option);
      if (option.negate || option.defaultValue !== undefined) return text;
      const field = option
        .attributeName()
        .replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
      const value = defaults[field];
      if (value === undefined || value === null || option.description.includes("default")) {
        return text;
      }
      return `${text} (default: ${JSON.stringify(value)})`;
    },
  });
}

const program = new Command("framepack")
  .description("FramePack service: video, one-frame images, batches and reference transfer")
  .version(SERVICE_VERSION)
  // `models` passes the options after its first argument through to the engine's tool.
  .enablePositionalOptions()
  .showHelpAfterError();
for (const make of COMMANDS) {
  const command = make();
  const schema = REQUEST_SCHEMAS[command.name()];
  if (schema) showRequestDefaults(command, schema);
  program.addCommand(command);
}
// What the command that runs was given: --json, so a failure is a JSON line too; the
// server and key, so a failure names the one and never shows the other.
const running: { json: boolean; server?: string; secret?: string } = { json: false };
program.hook("preAction", (_program, command) => {
  const options = command.opts<Partial<ConnectionOptions> & { json?: boolean }>();
  running.json = options.json === true;
  running.server = options.server;
  running.secret = apiKeyOf(options);
});

try {
  await program.parseAsync();
} catch (error) {
  const { secret, server } = running;
  process.stderr.write(`framepack: ${describeFailure(error, secret ?? apiKeyOf({}), server)}\n`);
  if (running.json) {
    process.stdout.write(
      `${JSON.stringify(failureEvent(error, secret ?? apiKeyOf({}), server))}\n`,
    );
  }
  process.exitCode = 1;
}
