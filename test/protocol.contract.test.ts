// The shared example messages in protocol/examples must mean the same to both sides;
// engine/tests/test_protocol_contract.py runs the same files through the Python side.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { validationErrors, type Direction } from "../src/engine/protocol.js";

const EXAMPLES = join(import.meta.dirname, "..", "protocol", "examples");
const DIRECTIONS: Direction[] = ["request", "event"];

function examples(dir: string): [string, unknown][] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => [name, JSON.parse(readFileSync(join(dir, name), "utf8")) as unknown]);
}

describe.each(DIRECTIONS)("%s examples", (direction) => {
  it.each(examples(join(EXAMPLES, direction)))("%s is valid", (_name, message) => {
    expect(validationErrors(message, direction)).toEqual([]);
  });

  it.each(examples(join(EXAMPLES, "invalid", direction)))("%s is rejected", (_name, message) => {
    expect(validationErrors(message, direction).length).toBeGreaterThan(0);
  });
});

describe("validation messages", () => {
  it("name the field that is wrong", () => {
    const run = {
      type: "run",
      job_id: "job-1",
      plan: { kind: "probe", prompt: "x", image_path: "/a.png", width: 650, height: 608 },
    };
    expect(validationErrors(run, "request").join("\n")).toContain("plan.width");
  });

  it("list the known types for an unknown one", () => {
    expect(validationErrors({ type: "reboot" }, "request")).toEqual([
      'unknown request type "reboot"; expected one of: cancel, run, shutdown, status, yield',
    ]);
  });
});

describe("generated protocol types", () => {
  it("are up to date with protocol/schema.json", async () => {
    const script = join(import.meta.dirname, "..", "scripts", "protocol-types.mjs");
    await expect(promisify(execFile)("node", [script, "--check"])).resolves.toBeDefined();
  });
});
