import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, SETTINGS } from "../src/config.js";

describe("configuration", () => {
  it("has documented defaults", () => {
    const config = loadConfig({});
    expect(config.apiPort).toBe(8080);
    expect(config.apiHost).toBe("127.0.0.1");
    expect(config.modelRoot).toBeNull();
    expect(config.dataDir).toMatch(/\/data$/);
    for (const setting of Object.values(SETTINGS)) expect(setting.description).not.toBe("");
  });

  it("honours the legacy API_PORT and the model root", () => {
    const config = loadConfig({ API_PORT: "9000", FRAMEPACK_MODEL_ROOT: "/models" });
    expect(config.apiPort).toBe(9000);
    expect(config.modelRoot).toBe("/models");
  });

  it("names the variable of a bad value", () => {
    expect(() => loadConfig({ API_PORT: "eighty" })).toThrow(ConfigError);
    expect(() => loadConfig({ API_PORT: "eighty" })).toThrow(/API_PORT="eighty"/);
    expect(() => loadConfig({ FRAMEPACK_DEVICE: "tpu" })).toThrow(/FRAMEPACK_DEVICE/);
    // No engines: an API replica, which needs a cluster's database.
    expect(() => loadConfig({ FRAMEPACK_DEVICE: "none" })).toThrow(/FRAMEPACK_DATABASE_URL/);
    const replica = { FRAMEPACK_DEVICE: "none", FRAMEPACK_DATABASE_URL: "postgres://db/jobs" };
    expect(loadConfig(replica).devices).toEqual([]);
  });

  it("reads cluster storage as a bucket and prefix; unset is the data folder alone", () => {
    const one = loadConfig({});
    expect(one.storage).toBeNull();
    expect(one.outputPresignS).toBe(0);
    expect(loadConfig({ FRAMEPACK_STORAGE_URL: "s3://media" }).storage).toEqual({
      bucket: "media",
      prefix: "",
    });
    const cluster = loadConfig({
      FRAMEPACK_STORAGE_URL: "s3://media.example/framepack/prod/",
      AWS_ENDPOINT_URL: "http://127.0.0.1:9000",
      AWS_REGION: "eu-west-1",
      FRAMEPACK_OUTPUT_PRESIGN_S: "300",
    });
    expect(cluster.storage).toEqual({ bucket: "media.example", prefix: "framepack/prod" });
    expect(cluster.storageEndpoint).toBe("http://127.0.0.1:9000");
    expect(cluster.storageRegion).toBe("eu-west-1");
    expect(cluster.outputPresignS).toBe(300);
    for (const bad of ["media", "s3://", "s3://Media", "s3://media/../x", "s3://media/a b"]) {
      expect(() => loadConfig({ FRAMEPACK_STORAGE_URL: bad }), bad).toThrow(
        /FRAMEPACK_STORAGE_URL/,
      );
    }
    expect(() => loadConfig({ AWS_ENDPOINT_URL: "minio:9000" })).toThrow(/AWS_ENDPOINT_URL/);
  });

  it("takes a PostgreSQL URL for the job store, never quoting it in an error", () => {
    expect(loadConfig({}).databaseUrl).toBeNull();
    const url = "postgres://jobs:pa55word@db.internal:5432/framepack";
    expect(loadConfig({ FRAMEPACK_DATABASE_URL: url }).databaseUrl).toBe(url);
    const other = "postgresql://db/framepack";
    expect(loadConfig({ FRAMEPACK_DATABASE_URL: other }).databaseUrl).toBe(other);
    const wrong = () => loadConfig({ FRAMEPACK_DATABASE_URL: "mysql://u:pa55word@db/x" });
    expect(wrong).toThrow(/FRAMEPACK_DATABASE_URL="<redacted>".*postgres:\/\//);
    expect(wrong).not.toThrow(/pa55word/);
  });
});
