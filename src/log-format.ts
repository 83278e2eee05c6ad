// How the service's log reads: JSON lines for programs (a log collector, the tests that
// spawn the service), or one readable line per event for a person at a terminal:
// "12:00:01 INFO  job finished  job=8801f0d9 status=completed duration_s=4.2".
// LOG_FORMAT picks one; auto = readable when stdout is a terminal, else JSON.
import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";

export type LogFormat = "auto" | "json" | "pretty";

/** The format a logger writes to `stream` in: auto becomes pretty on a terminal only. */
export function resolveLogFormat(
  format: LogFormat,
  stream: { isTTY?: boolean },
): "json" | "pretty" {
  if (format !== "auto") return format;
  return stream.isTTY === true ? "pretty" : "json";
}

const LEVEL_NAMES: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};

/** Fields every line has, which the readable line shows in its own way or not at all. */
const FRAME = new Set(["time", "level", "msg", "pid", "hostname", "v"]);
const LONGEST_VALUE = 80;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function cut(text: string): string {
  return text.length > LONGEST_VALUE ? `${text.slice(0, LONGEST_VALUE - 1)}…` : text;
}

/** A field's value in a few characters: job ids as their short form, errors as their message. */
function shortValue(key: string, value: unknown): string {
  if (typeof value === "string") {
    if (UUID.test(value)) return value.slice(0, 8);
    return /^[^\s"=]+$/.test(value) ? cut(value) : cut(JSON.stringify(value));
  }
  if (typeof value === "number" || typeof value === "boolean" || value === null) {
    return String(value);
  }
  if (key === "err" && typeof value === "object" && "message" in value) {
    return cut(JSON.stringify(String(value.message)));
  }
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) {
    return cut(value.map((item) => shortValue(key, item)).join(","));
  }
  return cut(JSON.stringify(value));
}

function clock(time: unknown): string {
  const date = new Date(typeof time === "number" || typeof time === "string" ? time : Date.now());
  const two = (value: number) => String(value).padStart(2, "0");
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

const COLORS: Record<string, string> = { WARN: "\x1b[33m", ERROR: "\x1b[31m", FATAL: "\x1b[31m" };

/** One log entry (pino's JSON object) as a line for a person. */
export function prettyLine(entry: Record<string, unknown>, color = false): string {
  const level = LEVEL_NAMES[Number(entry.level)] ?? String(entry.level);
  const shown =
    color && COLORS[level] ? `${COLORS[level]}${level.padEnd(5)}\x1b[0m` : level.padEnd(5);
  const message = typeof entry.msg === "string" ? entry.msg : "";
  // A text field the message already says (the start-up line's URL) is not said twice.
  const fields = Object.entries(entry)
    .filter(([key, value]) => !FRAME.has(key) && value !== undefined)
    .filter(([, value]) => !(typeof value === "string" && value !== "" && message.includes(value)))
    .map(([key, value]) => `${key}=${shortValue(key, value)}`);
  return `${clock(entry.time)} ${shown} ${message}${fields.length ? `  ${fields.join(" ")}` : ""}`;
}

/** A stream that writes each JSON log line pino hands it as a readable line. */
export function prettyStream(out: NodeJS.WritableStream & { isTTY?: boolean }): DestinationStream {
  const color = out.isTTY === true && !process.env.NO_COLOR;
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      out.write(`${prettyLine(entry, color)}\n`);
    },
  };
}

/** The service's logger on stdout, in the format asked for. */
export function serviceLogger(
  options: LoggerOptions,
  format: LogFormat,
  out: NodeJS.WriteStream = process.stdout,
): Logger {
  if (resolveLogFormat(format, out) === "pretty") return pino(options, prettyStream(out));
  // pino's own stdout writer for the service; a given stream (tests) as it is.
  return out === process.stdout ? pino(options) : pino(options, out);
}
