// A job's stored input pictures (docs/api.md §2): GET /api/jobs/{id}/inputs lists them by
// request field, GET /api/jobs/{id}/inputs/{field} serves each as the PNG it was stored
// as; another key's job is not found, and a field name is never a path. Jobs are
// submitted to a service without engines, so they wait in the queue.
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assembleEngineFreeService, type AssembledService } from "./helpers/service.js";

const KEY_A = "job-inputs-a-0123456789abcdef0123456789abcdef";
const KEY_B = "job-inputs-b-0123456789abcdef0123456789abcdef";

let service: AssembledService;

beforeAll(async () => {
  service = await assembleEngineFreeService({ apiKeys: [KEY_A, KEY_B] });
});

afterAll(async () => {
  await service.close();
});

async function picture(width: number, height: number, r: number): Promise<string> {
  const png = await sharp({
    create: { width, height, channels: 3, background: { r, g: 20, b: 200 } },
  })
    .png()
    .toBuffer();
  return png.toString("base64");
}

async function call(method: "GET" | "POST", url: string, key: string, payload?: object) {
  const response = await service.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}` },
    ...(payload ? { payload } : {}),
  });
  return response;
}

async function submit(path: string, body: object): Promise<string> {
  const response = await call("POST", path, KEY_A, body);
  expect(response.statusCode, response.body).toBe(202);
  return response.json<{ job_id: string }>().job_id;
}

describe("a job's stored inputs", () => {
  it("lists the pictures of a transfer by field and serves each as stored", async () => {
    const id = await submit("/api/transfer-image", {
      prompt: "wearing it",
      target_image: await picture(96, 64, 10),
      source_image: `data:image/png;base64,${await picture(80, 48, 250)}`,
      target_mask: await picture(96, 64, 255),
    });
    const listed = await call("GET", `/api/jobs/${id.slice(0, 8)}/inputs`, KEY_A);
    expect(listed.statusCode, listed.body).toBe(200);
    const { inputs } = listed.json<{ inputs: { name: string; url: string }[] }>();
    expect(inputs).toEqual(
      ["target_image", "source_image", "target_mask"].map((name) => ({
        name,
        url: `/api/jobs/${id}/inputs/${name}`,
      })),
    );
    const source = await call("GET", `/api/jobs/${id}/inputs/source_image`, KEY_A);
    expect(source.statusCode).toBe(200);
    expect(source.headers["content-type"]).toBe("image/png");
    const meta = await sharp(source.rawPayload).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 80, 48]);
    const { data } = await sharp(source.rawPayload).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBe(250);

    const absent = await call("GET", `/api/jobs/${id}/inputs/source_mask`, KEY_A);
    expect(absent.statusCode).toBe(404);
    expect(absent.json<{ error: { code: string } }>().error.code).toBe("not_found");
  });

  it("a video's start image; an image without one lists nothing", async () => {
    const video = await submit("/api/generate-video", {
      prompt: "it moves",
      image: await picture(64, 96, 30),
    });
    const listed = await call("GET", `/api/jobs/${video}/inputs`, KEY_A);
    expect(listed.json()).toEqual({
      inputs: [{ name: "image", url: `/api/jobs/${video}/inputs/image` }],
    });
    const plain = await submit("/api/generate-image", { prompt: "text alone" });
    expect((await call("GET", `/api/jobs/${plain}/inputs`, KEY_A)).json()).toEqual({ inputs: [] });
    // A field of another job type is no input of this one.
    const other = await call("GET", `/api/jobs/${video}/inputs/input_image`, KEY_A);
    expect(other.statusCode).toBe(404);
  });

  it("the pictures of lists: a video's keyframes, control images and their masks", async () => {
    const listedNames = async (id: string) => {
      const listed = await call("GET", `/api/jobs/${id}/inputs`, KEY_A);
      const { inputs } = listed.json<{ inputs: { name: string; url: string }[] }>();
      for (const { name, url } of inputs) expect(url).toBe(`/api/jobs/${id}/inputs/${name}`);
      return inputs.map(({ name }) => name);
    };
    /** The first red value of a stored picture, which tells the pictures apart. */
    const red = async (id: string, name: string) => {
      const response = await call("GET", `/api/jobs/${id}/inputs/${name}`, KEY_A);
      expect(response.statusCode, name).toBe(200);
      return (await sharp(response.rawPayload).raw().toBuffer())[0];
    };

    const video = await submit("/api/generate-video", {
      prompt: "it turns",
      image: await picture(64, 96, 30),
      keyframes: [
        { section: 2, image: await picture(64, 96, 70) },
        { section: 1, image: await picture(64, 96, 90) },
      ],
    });
    expect(await listedNames(video)).toEqual(["image", "keyframes.0.image", "keyframes.1.image"]);
    expect([await red(video, "keyframes.0.image"), await red(video, "keyframes.1.image")]).toEqual([
      70, 90,
    ]);

    const image = await submit("/api/generate-image", {
      prompt: "two controls",
      control_images: [
        { image: await picture(64, 64, 10) },
        { image: await picture(64, 64, 20), mask: await picture(64, 64, 255), index: 5 },
      ],
    });
    expect(await listedNames(image)).toEqual([
      "control_images.0.image",
      "control_images.1.image",
      "control_images.1.mask",
    ]);
    expect(await red(image, "control_images.1.mask")).toBe(255);
    for (const name of ["control_images.0.mask", "control_images.2.image", "keyframes.0.image"]) {
      expect((await call("GET", `/api/jobs/${image}/inputs/${name}`, KEY_A)).statusCode).toBe(404);
    }
  });

  it("another key's job is not found; a name that is no image field is refused", async () => {
    const id = await submit("/api/generate-image", {
      prompt: "mine",
      input_image: await picture(64, 64, 1),
    });
    for (const path of [`/api/jobs/${id}/inputs`, `/api/jobs/${id}/inputs/input_image`]) {
      const response = await call("GET", path, KEY_B);
      expect(response.statusCode, path).toBe(404);
    }
    const refused = [
      "..%2F..%2Fservice.lock",
      "input.png",
      "outputs",
      "%2Fetc%2Fpasswd",
      "keyframes.0.mask",
      "control_images.x.image",
      "control_images.0.image.png",
    ];
    for (const name of refused) {
      const response = await call("GET", `/api/jobs/${id}/inputs/${name}`, KEY_A);
      expect(response.statusCode, name).toBe(422);
      expect(response.json<{ error: { details: { field: string }[] } }>().error.details).toEqual([
        expect.objectContaining({ field: "name" }),
      ]);
    }
  });
});
