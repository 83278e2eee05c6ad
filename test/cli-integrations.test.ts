// The generation commands' integration flags (docs/api.md §11): --webhook and
// --webhook-event become the request's webhook fields, --idempotency-key its header.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSubmissions, runCli, type SubmissionRecorder } from "./helpers/cli-stand-in.js";

let recorder: SubmissionRecorder;

beforeAll(async () => {
  recorder = await recordSubmissions();
});

afterAll(async () => {
  await recorder.close();
});

describe("the CLI's webhook and Idempotency-Key flags", () => {
  it("send the webhook fields and the header with a generation request", async () => {
    const { code, stderr } = await runCli(
      [
        "image",
        "-p",
        "a lighthouse",
        "--width",
        "256",
        "--height",
        "256",
        "--webhook",
        "https://example.com/hooks/framepack",
        "--webhook-event",
        "start",
        "--webhook-event",
        "completed",
        "--idempotency-key",
        "order-1234",
        "--no-wait",
      ],
      recorder.url,
    );
    expect(code, stderr).toBe(0);
    const sent = recorder.bodies.at(-1);
    expect(sent?.path).toBe("/api/generate-image");
    expect(sent?.body).toMatchObject({
      webhook: "https://example.com/hooks/framepack",
      webhook_events: ["start", "completed"],
    });
    expect(sent?.headers["idempotency-key"]).toBe("order-1234");
  });

  it("leave both out when not given, and refuse an unknown event before sending", async () => {
    const before = recorder.bodies.length;
    const plain = await runCli(["image", "-p", "plain", "--no-wait"], recorder.url);
    expect(plain.code, plain.stderr).toBe(0);
    const sent = recorder.bodies.at(-1);
    expect(sent?.body).not.toHaveProperty("webhook");
    expect(sent?.headers).not.toHaveProperty("idempotency-key");
    const bad = await runCli(
      ["image", "-p", "x", "--webhook-event", "finished", "--no-wait"],
      recorder.url,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/webhook-event/);
    expect(recorder.bodies.length).toBe(before + 1);
  });
});
