// Continuing a video (continue_from, continue_video; docs/api.md §2, docs/framepack.md
// §7.10): each refusal is a 422 naming its field, another key's job reads as no job, and
// on the tiny engine a continued F1 video is the earlier one plus the new sections, made
// from copies of the earlier job's files; the CLI's --continue and --continue-video.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordSubmissions, runCli, type SubmissionRecorder } from "./helpers/cli-stand-in.js";
import { makeTempDir, solidPngBase64 } from "./helpers/engine.js";
import {
  assembleEngineFreeService,
  postJson,
  startTestService,
  waitForJob,
  type AssembledService,
  type JobView,
  type TestService,
} from "./helpers/service.js";

const KEY_A = "tenant-a-0123456789abcdef0123456789abcdef";
const KEY_B = "tenant-b-0123456789abcdef0123456789abcdef";
const MISSING_UUID = "00000000-0000-4000-8000-000000000000";
/** The smallest box layout the intake takes for an MP4: ftyp, then a moov with no track. */
const TRACKLESS_MP4 = Buffer.from("0000000c6674797069736f6d000000086d6f6f76", "hex").toString(
  "base64",
);

let image: string;

beforeAll(async () => {
  image = await solidPngBase64(64, 48, 90);
});

describe("refusals name the field (no engine: jobs stay pending)", () => {
  let service: AssembledService;

  beforeAll(async () => {
    service = await assembleEngineFreeService({ apiKeys: [KEY_A, KEY_B] });
  });

  afterAll(async () => {
    await service.close();
  });

  async function post(key: string, path: string, body: object) {
    const response = await service.app.inject({
      method: "POST",
      url: path,
      headers: { authorization: `Bearer ${key}` },
      payload: body,
    });
    return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
  }

  async function refusal(key: string, body: object): Promise<{ field: string; message: string }> {
    const response = await post(key, "/api/generate-video", { prompt: "on", ...body });
    expect(response.status, JSON.stringify(response.body)).toBe(422);
    const error = response.body.error as { details: { field: string; message: string }[] };
    const [detail] = error.details;
    if (!detail) throw new Error("no details");
    return detail;
  }

  const forward = { sampling_mode: "forward" };

  it("each bad continuation is a 422 naming continue_from, continue_video or image", async () => {
    const pendingVideo = await post(KEY_A, "/api/generate-video", { prompt: "x", image });
    const pendingImage = await post(KEY_A, "/api/generate-image", { prompt: "x" });
    expect([pendingVideo.status, pendingImage.status]).toEqual([202, 202]);
    const videoId = pendingVideo.body.job_id as string;
    const imageId = pendingImage.body.job_id as string;
    const cases: [object, string, RegExp][] = [
      [{ continue_from: videoId }, "continue_from", /F1/], // the base model
      [{ continue_video: TRACKLESS_MP4 }, "continue_video", /F1/],
      [{ ...forward, continue_from: MISSING_UUID }, "continue_from", /no job/],
      [{ ...forward, continue_from: imageId }, "continue_from", /not a video/],
      [{ ...forward, continue_from: videoId }, "continue_from", /pending/],
      [{ ...forward, continue_from: videoId.slice(0, 8) }, "continue_from", /pending/],
      [
        { ...forward, continue_from: videoId, continue_video: TRACKLESS_MP4 },
        "continue_video",
        /not both/,
      ],
      [{ ...forward, continue_video: image }, "continue_video", /not an MP4/],
      [{ ...forward, continue_video: TRACKLESS_MP4 }, "continue_video", /no video track/],
      [{ ...forward, continue_video: "not base64!" }, "continue_video", /base64/],
      [{ ...forward }, "image", /required/],
    ];
    for (const [body, field, message] of cases) {
      const detail = await refusal(KEY_A, body);
      expect(detail.field, JSON.stringify(body).slice(0, 200)).toBe(field);
      expect(detail.message).toMatch(message);
    }
  });

  it("another key's video reads as no job at all", async () => {
    const theirs = await post(KEY_A, "/api/generate-video", { prompt: "x", image });
    const id = theirs.body.job_id as string;
    const detail = await refusal(KEY_B, { ...forward, continue_from: id });
    expect(detail).toEqual({ field: "continue_from", message: `there is no job ${id}` });
  });
});

describe("on the tiny engine", () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService();
  });

  afterAll(async () => {
    await service.close();
  });

  const small = { width: 96, height: 64, steps: 1, sampling_mode: "forward", cache: "none" };

  async function completed(body: object): Promise<JobView> {
    const response = await postJson(`${service.url}/api/generate-video`, body);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    const job = await waitForJob(service.url, response.body.job_id as string);
    expect(job.status, JSON.stringify(job.error)).toBe("completed");
    return job;
  }

  it("continue_from and continue_video give the joined video, from copies of the files", async () => {
    const earlier = await completed({ prompt: "a fox sits", image, video_length: 1.2, ...small });
    expect(earlier.result?.video?.frames).toBe(37);
    // A short id names the earlier job; no start image: its anchor comes from the history.
    const continued = await completed({
      prompt: "the fox runs",
      continue_from: earlier.id.slice(0, 8),
      video_length: 1.2,
      ...small,
    });
    expect(continued.result?.video?.frames).toBe(37 + 36);
    expect(continued.result?.metadata).toMatchObject({
      continued_from: earlier.id,
      frames_before: 37,
      frames_added: 36,
    });
    const inputs = join(service.dataDir, "jobs", continued.id, "inputs");
    for (const name of ["continue.mp4", "continue-latents.safetensors"]) {
      expect(existsSync(join(inputs, name)), name).toBe(true);
    }
    const record = (await (await fetch(`${service.url}/api/jobs/${continued.id}`)).json()) as {
      data: Record<string, unknown>;
    };
    expect(record.data.continue_from).toBe(earlier.id);
    // The joined MP4, uploaded, is continued once more.
    const mp4 = await fetch(`${service.url}${continued.result?.video?.url ?? ""}`);
    const upload = Buffer.from(await mp4.arrayBuffer()).toString("base64");
    const again = await completed({
      prompt: "the fox stops",
      continue_video: `data:video/mp4;base64,${upload}`,
      video_length: 1.2,
      ...small,
    });
    expect(again.result?.video?.frames).toBe(73 + 36);
    expect(again.result?.metadata).toMatchObject({ continued_from: "upload" });
    const againRecord = (await (await fetch(`${service.url}/api/jobs/${again.id}`)).json()) as {
      data: Record<string, unknown>;
    };
    expect(againRecord.data).not.toHaveProperty("continue_video");
  });
});

describe("the CLI's --continue and --continue-video", () => {
  let recorder: SubmissionRecorder;

  beforeAll(async () => {
    recorder = await recordSubmissions();
  });

  afterAll(async () => {
    await recorder.close();
  });

  it("send continue_from, or the MP4 as continue_video, with F1 and no start image", async () => {
    const sent = async (args: string[]) => {
      const { code, stderr } = await runCli([...args, "--no-wait"], recorder.url);
      expect(code, stderr).toBe(0);
      return recorder.bodies.at(-1)?.body;
    };
    const byId = await sent(["video", "-p", "on", "--continue", "1a2b3c4d", "--video-length", "2"]);
    expect(byId).toMatchObject({ continue_from: "1a2b3c4d", sampling_mode: "forward" });
    expect(byId).not.toHaveProperty("image");
    const file = join(makeTempDir("cli-continue"), "earlier.mp4");
    writeFileSync(file, Buffer.from(TRACKLESS_MP4, "base64"));
    const byFile = await sent(["video", "-p", "on", "--continue-video", file]);
    expect(byFile).toMatchObject({
      continue_video: readFileSync(file).toString("base64"),
      sampling_mode: "forward",
    });
  });

  it("--continue with --continue-video is refused before anything is sent", async () => {
    const before = recorder.bodies.length;
    const { code, stderr } = await runCli(
      ["video", "-p", "on", "--continue", "1a2b3c4d", "--continue-video", "x.mp4"],
      recorder.url,
    );
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--continue/);
    expect(recorder.bodies.length).toBe(before);
  });
});
