#!/usr/bin/env node
// `framepack`: run the service, generate through a running one, follow and manage its
// jobs, and fetch the model weights. Progress goes to stderr, results to stdout.
import { Command } from "commander";
import { SERVICE_VERSION } from "../version.js";
import { batchCommand } from "./batch.js";
import { cancelCommand } from "./cancel.js";
import { apiKeyFromEnvironment } from "./connection.js";
import { describeFailure, failureEvent } from "./errors.js";
import { imageCommand } from "./image.js";
import { jobsCommand } from "./jobs.js";
import { modelsCommand } from "./models.js";
import { serveCommand } from "./serve.js";
import { transferCommand } from "./transfer.js";
import { videoCommand } from "./video.js";
import { watchCommand } from "./watch.js";

const COMMANDS = [
  serveCommand,
  imageCommand,
  batchCommand,
  transferCommand,
  videoCommand,
  jobsCommand,
  watchCommand,
  cancelCommand,
  modelsCommand,
];

const program = new Command("framepack")
  .description("FramePack service: video, one-frame images, batches and reference transfer")
  .version(SERVICE_VERSION)
  // `models` passes the options after its first argument through to the engine's tool.
  .enablePositionalOptions()
  .showHelpAfterError();
for (const command of COMMANDS) program.addCommand(command());
// Whether the command that runs was given --json, so a failure is a JSON line too.
const running = { json: false };
program.hook("preAction", (_program, command) => {
  running.json = command.opts<{ json?: boolean }>().json === true;
});

try {
  await program.parseAsync();
} catch (error) {
  const secret = apiKeyFromEnvironment();
  process.stderr.write(`framepack: ${describeFailure(error, secret)}\n`);
  if (running.json) process.stdout.write(`${JSON.stringify(failureEvent(error, secret))}\n`);
  process.exitCode = 1;
}
