// `framepack models ...`: the engine's model tool (download, verify, list) run with the
// engine's Python, on the model root the service is configured with unless one is given.
import { spawn, type ChildProcess } from "node:child_process";
import { delimiter } from "node:path";
import { constants } from "node:os";
import { Command } from "commander";
import { enginePython, loadConfig, type Config } from "../config.js";
import { modelRootFor } from "../engine/model-set.js";

function withModelRoot(args: readonly string[], config: Config): string[] {
  const given = args.some((arg) => arg === "--model-root" || arg.startsWith("--model-root="));
  const wantsHelp = args.includes("--help") || args.includes("-h");
  return given || wantsHelp || args.length === 0
    ? [...args]
    : [...args, "--model-root", modelRootFor(config)];
}

export function modelsCommand() {
  return new Command("models")
    .description(
      "Download, verify or list the model weights: models download|verify|list [--model-root DIR] [--json] (see `framepack models download --help`)",
    )
    .argument("[args...]", "passed to the engine's models tool")
    .allowUnknownOption()
    .passThroughOptions()
    .action(async (args: string[]) => {
      const config = loadConfig();
      const pythonPath = [config.engineDir, process.env.PYTHONPATH].filter(Boolean).join(delimiter);
      // Ctrl-C or a SIGTERM to this process is for the tool (it tidies up a download):
      // pass it on and wait for the tool to end, rather than end before it. Caught from
      // before the tool starts: until a listener is set, a signal ends this process at
      // once and orphans the tool. (The listener itself runs later, when `tool` is set.)
      let tool: ChildProcess | undefined;
      const forward = (signal: NodeJS.Signals) => {
        tool?.kill(signal);
      };
      process.on("SIGINT", forward).on("SIGTERM", forward);
      try {
        const child = spawn(
          enginePython(config),
          ["-m", "framepack_engine", "models", ...withModelRoot(args, config)],
          { stdio: "inherit", env: { ...process.env, PYTHONPATH: pythonPath } },
        );
        tool = child;
        process.exitCode = await new Promise<number>((resolve, reject) => {
          child.once("error", (error) => {
            reject(
              new Error(
                `cannot run the engine's Python (npm run setup makes it): ${error.message}`,
              ),
            );
          });
          child.once("exit", (code, signal) => {
            resolve(code ?? 128 + (signal ? constants.signals[signal] : 1));
          });
        });
      } finally {
        process.off("SIGINT", forward).off("SIGTERM", forward);
      }
    });
}
