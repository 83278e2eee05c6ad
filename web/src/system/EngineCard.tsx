// One engine: device, state, memory, versions and the models it has loaded.
import type { EngineReport } from "../api/types";
import { useT } from "../i18n";
import { formatBytes } from "./format";

export function EngineCard({ engine }: { engine: EngineReport }) {
  const t = useT();
  const { memory, device } = engine;
  const rows: [string, string][] = [
    [t("system.state"), t(`engine.${engine.state}`)],
    [
      t("system.device"),
      `${device.kind}${device.index === null ? "" : `:${device.index}`} ${device.name}`,
    ],
    [t("system.memoryMode"), engine.model_set.memory_mode],
    [t("system.hostMemory"), formatBytes(memory.host_rss_bytes)],
    [
      t("system.deviceMemory"),
      `${formatBytes(memory.device_free_bytes)} / ${formatBytes(memory.device_total_bytes)}, ${formatBytes(memory.device_allocated_bytes)}`,
    ],
    [
      t("system.versions"),
      Object.entries(engine.versions)
        .map(([name, version]) => `${name} ${version}`)
        .join(", "),
    ],
  ];
  return (
    <article class="engine-card" data-engine={engine.id}>
      <h4>{engine.id}</h4>
      {engine.error && (
        <p class="form-errors">{t("system.engineError", { error: engine.error })}</p>
      )}
      <dl class="facts">
        {rows.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h5>{t("system.loadedModels")}</h5>
      {engine.loaded_models.length === 0 ? (
        <p class="hint">{t("system.noModels")}</p>
      ) : (
        <ul class="models">
          {engine.loaded_models.map((model) => (
            <li key={model.name}>
              <strong>{model.name}</strong> {model.class_name} · {model.dtype} · {model.device} ·{" "}
              {formatBytes(model.bytes)}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
