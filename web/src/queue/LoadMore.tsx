// Under a job list: the next page of older jobs, while there is one.
import { useT } from "../i18n";

export function LoadMore({ onLoad }: { onLoad: (() => void) | undefined }) {
  const t = useT();
  return onLoad ? (
    <button type="button" class="load-more" onClick={onLoad}>
      {t("list.more")}
    </button>
  ) : null;
}
