import type { FieldError } from "../../../schema/policy.ts";
import { PostOutcome } from "./ui.tsx";

/** The settings sections. */
export type SettingsSection = "policy" | "hours" | "simulator" | "holidays" | "sites" | "staff" | "accounts" | "api-keys" | "webhooks";

const items: { id: SettingsSection; label: string }[] = [
  { id: "policy", label: "Policy" },
  { id: "hours", label: "Hours" },
  { id: "simulator", label: "Simulator" },
  { id: "holidays", label: "Holidays" },
  { id: "sites", label: "Sites & embed" },
  { id: "staff", label: "Staff" },
  { id: "accounts", label: "Customer accounts" },
  { id: "api-keys", label: "API keys" },
  { id: "webhooks", label: "Webhooks" },
];

/** The head of every settings page: its title, the navigation between sections, and the outcome of the last post. */
export function SettingsHeader({
  current,
  notice,
  error,
  errors,
}: {
  current: SettingsSection;
  notice?: string | undefined;
  error?: string | undefined;
  errors?: readonly FieldError[] | undefined;
}) {
  return (
    <>
      <h1>Settings</h1>
      <nav class="sub-nav" aria-label="Settings">
        {items.map((i) => (
          <a key={i.id} href={`/dashboard/settings/${i.id}`} aria-current={i.id === current ? "page" : undefined}>
            {i.label}
          </a>
        ))}
      </nav>
      <PostOutcome notice={notice} error={error} errors={errors} />
    </>
  );
}
