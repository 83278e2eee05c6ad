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
});
