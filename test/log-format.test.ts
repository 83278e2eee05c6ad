// The console (src/log-format.ts): one readable line per event for a person at a
// terminal, JSON lines for programs (stdout not a terminal, or LOG_FORMAT=json), and HTTP
// requests at debug so that info holds the events that matter.
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { LOG_REDACTION } from "../src/api/auth.js";
import { loadConfig } from "../src/config.js";
import { prettyLine, resolveLogFormat, serviceLogger } from "../src/log-format.js";
import { startupMessage } from "../src/main.js";
import { assembleEngineFreeService } from "./helpers/service.js";

/** A stream that keeps what is written, claiming to be a terminal or not. */
function sink(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, { isTTY, text: () => chunks.join("") });
}

describe("LOG_FORMAT", () => {
  it("is auto by default: readable on a terminal, JSON otherwise; json and pretty force one", () => {
    expect(loadConfig({}).logFormat).toBe("auto");
    expect(loadConfig({ LOG_FORMAT: "json" }).logFormat).toBe("json");
    expect(() => loadConfig({ LOG_FORMAT: "xml" })).toThrow(/LOG_FORMAT/);
    expect(resolveLogFormat("auto", { isTTY: true })).toBe("pretty");
    expect(resolveLogFormat("auto", { isTTY: false })).toBe("json");
    expect(resolveLogFormat("auto", {})).toBe("json");
    expect(resolveLogFormat("json", { isTTY: true })).toBe("json");
    expect(resolveLogFormat("pretty", { isTTY: false })).toBe("pretty");
  });
});

describe("a readable line", () => {
  it("has the time, the level, the message and the fields, job ids short", () => {
    const time = new Date(2025, 0, 1, 12, 0, 1).getTime();
    const line = prettyLine({
      level: 30,
      time,
      pid: 1,
      hostname: "box",
      msg: "job finished",
      job: "8801f0d9-0000-4000-8000-000000000001",
      type: "image",
      status: "completed",
      duration_s: 4.2,
    });
    expect(line).toBe(
      "12:00:01 INFO  job finished  job=8801f0d9 type=image status=completed duration_s=4.2",
    );
    expect(prettyLine({ level: 40, time, msg: "careful", reason: "two words" })).toBe(
      '12:00:01 WARN  careful  reason="two words"',
    );
    const error = prettyLine({
      level: 50,
      time,
      msg: "failed",
      err: { message: "boom", stack: "…" },
    });
    expect(error).toBe('12:00:01 ERROR failed  err="boom"');
    expect(prettyLine({ level: 30, time, msg: "x", big: "y".repeat(200) }).length).toBeLessThan(
      120,
    );
  });

  it("is what the service logger writes to a terminal; elsewhere it writes JSON", () => {
    const terminal = sink(true);
    const person = serviceLogger(
      { level: "info" },
      "auto",
      terminal as unknown as NodeJS.WriteStream,
    );
    person.info({ url: "http://127.0.0.1:8080" }, "ready");
    person.debug("not shown at info");
    expect(terminal.text()).toMatch(
      /^\d\d:\d\d:\d\d INFO {2}ready {2}url=http:\/\/127\.0\.0\.1:8080\n$/,
    );

    // The start-up line: one line, the studio's URL once.
    const startup = sink(true);
    const url = "http://127.0.0.1:8080";
    serviceLogger({ level: "info" }, "auto", startup as unknown as NodeJS.WriteStream).info(
      { url },
      startupMessage(url),
    );
    expect(startup.text()).toMatch(
      /^\d\d:\d\d:\d\d INFO {2}FramePack studio at http:\/\/127\.0\.0\.1:8080\/ \(API docs at http:\/\/127\.0\.0\.1:8080\/docs\); Ctrl-C stops it\n$/,
    );

    const pipe = sink(false);
    const program = serviceLogger({ level: "info" }, "auto", pipe as unknown as NodeJS.WriteStream);
    program.info({ job: "j" }, "job started");
    expect(JSON.parse(pipe.text())).toMatchObject({ level: 30, msg: "job started", job: "j" });
  });
});

describe("HTTP requests", () => {
  async function requestLogs(level: "info" | "debug"): Promise<string[]> {
    const lines: string[] = [];
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = pino({ level, redact: LOG_REDACTION }, out);
    const service = await assembleEngineFreeService({ logger });
    try {
      await service.app.inject({ url: "/api/jobs" });
      await service.app.inject({ url: "/no-such-route" });
    } finally {
      await service.close();
    }
    return lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
  }

  it("are logged at debug, not at info", async () => {
    const atInfo = await requestLogs("info");
    expect(atInfo).not.toContain("incoming request");
    expect(atInfo).not.toContain("request completed");
    const atDebug = await requestLogs("debug");
    expect(atDebug).toContain("incoming request");
    expect(atDebug).toContain("request completed");
  });
});
