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
