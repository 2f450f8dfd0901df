/** The settings sections. */
export type SettingsSection = "policy" | "simulator" | "holidays" | "sites" | "staff";

const items: { id: SettingsSection; label: string }[] = [
  { id: "policy", label: "Policy" },
  { id: "simulator", label: "Simulator" },
  { id: "holidays", label: "Holidays" },
  { id: "sites", label: "Sites & embed" },
  { id: "staff", label: "Staff" },
];

/** Navigation between settings pages. */
export function SettingsNav({ current }: { current: SettingsSection }) {
  return (
    <nav class="sub-nav" aria-label="Settings">
      {items.map((i) => (
        <a key={i.id} href={`/dashboard/settings/${i.id}`} aria-current={i.id === current ? "page" : undefined}>
          {i.label}
        </a>
      ))}
    </nav>
  );
}
