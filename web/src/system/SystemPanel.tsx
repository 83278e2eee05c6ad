// The System page: the model set, every engine, and the LoRA folder.
import { useState } from "preact/hooks";
import { api } from "../api/client";
import type { SystemReport } from "../api/types";
import { LoadError } from "../app/LoadError";
import { useAsync, type AsyncState } from "../app/use-async";
import { useT } from "../i18n";
import { EngineCard } from "./EngineCard";

interface SystemPanelProps {
  system: AsyncState<SystemReport>;
  session: number;
  onRefresh: () => void;
}

export function SystemPanel({ system: report, session, onRefresh }: SystemPanelProps) {
  const t = useT();
  const [loraTick, setLoraTick] = useState(0);
  const loraList = useAsync(() => api.loras(), `${session}-${loraTick}`);
  const system = report.value;
  const loras = loraList.value?.loras;
  return (
    <section aria-labelledby="system-title">
      <h2 id="system-title">{t("nav.system")}</h2>
      <button
        type="button"
        onClick={() => {
          onRefresh();
          setLoraTick((tick) => tick + 1);
        }}
      >
        {t("system.refresh")}
      </button>
      <LoadError error={report.error} />
      {system && (
        <>
          <p>{t("system.version", { version: system.version })}</p>
          <h3>{t("system.models")}</h3>
          <p class="model-root">{system.model_set.root}</p>
          <h3>{t("system.engines")}</h3>
          {system.engines.length === 0 && <p class="hint">{t("system.noEngines")}</p>}
          <div class="engines">
            {system.engines.map((engine) => (
              <EngineCard key={engine.id} engine={engine} />
            ))}
          </div>
        </>
      )}
      <h3>{t("system.loras")}</h3>
      <LoadError error={loraList.error} />
      {loras?.length === 0 && <p class="hint">{t("lora.none")}</p>}
      <ul class="lora-list">
        {loras?.map((lora) => (
          <li key={lora.name}>{lora.name}</li>
        ))}
      </ul>
    </section>
  );
}
