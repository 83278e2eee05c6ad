// A row of tabs (pages, job types) and the panel they switch: real buttons, so Tab and
// Enter reach them; one stop in the Tab order (the selected tab), arrow keys, Home and
// End move between them, as the ARIA tabs pattern has it.
import type { ComponentChildren } from "preact";
import { useRef } from "preact/hooks";

interface TabsProps<T extends string> {
  /** Prefix of the tabs' and the panel's ids. */
  id: string;
  label: string;
  items: { id: T; label: string }[];
  selected: T;
  onSelect: (id: T) => void;
}

const tabId = (tabs: string, item: string) => `${tabs}-tab-${item}`;
const panelId = (tabs: string) => `${tabs}-panel`;

/** The index a key moves to among `count` tabs, or undefined for other keys. */
function movedTo(key: string, from: number, count: number): number | undefined {
  switch (key) {
    case "ArrowRight":
      return (from + 1) % count;
    case "ArrowLeft":
      return (from - 1 + count) % count;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return undefined;
  }
}

export function Tabs<T extends string>({ id, label, items, selected, onSelect }: TabsProps<T>) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent) => {
    const from = items.findIndex((item) => item.id === selected);
    const to = movedTo(event.key, from, items.length);
    const item = to === undefined ? undefined : items[to];
    if (to === undefined || !item) return;
    event.preventDefault();
    onSelect(item.id);
    (list.current?.children[to] as HTMLElement | undefined)?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={label} ref={list} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button
          key={item.id}
          id={tabId(id, item.id)}
          type="button"
          role="tab"
          aria-selected={item.id === selected}
          aria-controls={panelId(id)}
          tabIndex={item.id === selected ? 0 : -1}
          onClick={() => {
            onSelect(item.id);
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}

/** What the selected tab shows, named by that tab. */
export function TabPanel({
  tabs,
  selected,
  children,
}: {
  tabs: string;
  selected: string;
  children: ComponentChildren;
}) {
  return (
    <div role="tabpanel" id={panelId(tabs)} aria-labelledby={tabId(tabs, selected)}>
      {children}
    </div>
  );
}
