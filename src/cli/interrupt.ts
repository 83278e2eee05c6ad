// Ctrl-C (or SIGTERM) while the CLI follows a job: the job goes on running on the
// server, so the CLI ends its display (the bar hid the cursor), removes what it had
// half written, says how to pick the job up again, and exits 128 + the signal's number.
import { constants } from "node:os";

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** `watchCommand`: the command that follows the job again (see follow.ts). */
export async function interruptible<T>(
  jobId: string,
  watchCommand: string,
  cleanUp: () => void,
  work: () => Promise<T>,
): Promise<T> {
  const stop = (signal: NodeJS.Signals): void => {
    cleanUp();
    process.stderr.write(
      `\njob ${jobId} continues on the server; \`${watchCommand}\` to follow it\n`,
    );
    process.exit(128 + constants.signals[signal]);
  };
  for (const signal of SIGNALS) process.once(signal, stop);
  try {
    return await work();
  } finally {
    for (const signal of SIGNALS) process.off(signal, stop);
  }
}
