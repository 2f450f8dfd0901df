import type { FieldError } from "../../../schema/policy.ts";
import { presetIds } from "../../presets/index.ts";
import { SettingsHeader } from "../components/SettingsHeader.tsx";
import { Csrf, Field, FieldErrors, Table } from "../components/ui.tsx";
import { when } from "../format.ts";

/** The policy settings: choose a preset or edit the JSON; every save is a new version. */
export function SettingsPolicyPage({
  csrf,
  version,
  preset,
  json,
  versions,
  timeZone,
  notice,
  error,
  errors,
}: {
  csrf: string;
  version: number;
  preset: string | null;
  json: string;
  versions: readonly { version: number; preset: string | null; createdAt: number }[];
  timeZone: string;
  notice?: string | undefined;
  error?: string | undefined;
  errors?: readonly FieldError[] | undefined;
}) {
  return (
    <>
      <SettingsHeader current="policy" notice={notice} error={error} />
      <section class="card" aria-labelledby="preset-h">
        <h2 id="preset-h">Policy version {version}</h2>
        <p class="muted">
          Every save creates a new version. New tickets use it; existing tickets keep the version they were created under.
          {preset ? ` This version is based on the ${preset} preset.` : ""}
        </p>
        <form method="post" action="/dashboard/settings/policy/preset" class="actions">
          <Csrf token={csrf} />
          <input type="hidden" name="base" value={String(version)} />
          <Field label="Start from a preset" htmlFor="preset">
            <select id="preset" name="preset">
              {presetIds.map((p) => (
                <option key={p} value={p} selected={p === preset}>
                  {p}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" class="secondary">
            Use preset
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="json-h">
        <h2 id="json-h">Edit the policy</h2>
        <FieldErrors errors={errors} />
        <form method="post" action="/dashboard/settings/policy">
          <Csrf token={csrf} />
          <input type="hidden" name="base" value={String(version)} />
          <Field label="Policy JSON" htmlFor="policy-json">
            <textarea id="policy-json" name="policy" class="code" spellcheck={false}>
              {json}
            </textarea>
          </Field>
          <button type="submit">Save as version {version + 1}</button>
        </form>
      </section>
      <section class="card" aria-labelledby="versions-h">
        <h2 id="versions-h">Recent versions</h2>
        <Table columns={["Version", "Preset", "Saved"]}>
          {versions.map((v) => (
            <tr key={v.version}>
              <td>{v.version}</td>
              <td>{v.preset ?? "—"}</td>
              <td>{when(v.createdAt, timeZone)}</td>
            </tr>
          ))}
        </Table>
      </section>
    </>
  );
}
