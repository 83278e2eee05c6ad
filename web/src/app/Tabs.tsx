// A row of tab buttons (pages, job types): real buttons, so Tab and Enter reach them.
interface TabsProps<T extends string> {
  label: string;
  items: { id: T; label: string }[];
  selected: T;
  onSelect: (id: T) => void;
}

export function Tabs<T extends string>({ label, items, selected, onSelect }: TabsProps<T>) {
  return (
    <div class="tabs" role="tablist" aria-label={label}>
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="tab"
          aria-selected={item.id === selected}
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
