import type { WindowResult } from "../../../schema/api.ts";
import { Lines } from "../../ui/lines.tsx";
import { SettingsHeader } from "../components/SettingsHeader.tsx";
import { Field, FieldErrors, Select } from "../components/ui.tsx";
import { money, when } from "../format.ts";

/** The simulator: what a customer would be told for a time, issue type and severity. */
export function SettingsSimulatorPage({
  at,
  issueType,
  severity,
  issueTypes,
  severities,
  timeZone,
  version,
  result,
  errors,
}: {
  at: string;
  issueType: string;
  severity: string;
  issueTypes: readonly { id: string; label: string }[];
  severities: readonly { id: string; label: string }[];
  timeZone: string;
  version: number;
  result?: WindowResult | undefined;
  errors?: readonly { path: string; message: string }[] | undefined;
}) {
  const instant = (s: string | undefined) => (s ? when(Date.parse(s), timeZone) : "—");
  return (
    <>
      <SettingsHeader current="simulator" />
      <section class="card" aria-labelledby="sim-h">
        <h2 id="sim-h">Simulate a request (policy version {version})</h2>
        <FieldErrors errors={errors} />
        <form method="get" action="/dashboard/settings/simulator" class="actions">
          <Field label={`Time (${timeZone})`} htmlFor="sim-at">
            <input id="sim-at" name="at" type="datetime-local" required value={at} />
          </Field>
          <Field label="Issue type" htmlFor="sim-type">
            <Select id="sim-type" name="issueType" options={issueTypes} value={issueType} />
          </Field>
          <Field label="Severity" htmlFor="sim-severity">
            <Select id="sim-severity" name="severity" options={severities} value={severity} />
          </Field>
          <button type="submit">Simulate</button>
        </form>
      </section>
      {result ? (
        <section class="card" aria-labelledby="result-h">
          <h2 id="result-h">Priority {result.priority}</h2>
          <dl class="facts">
            <dt>Eligible</dt>
            <dd>{result.eligibility.eligible ? "yes" : `no — ${result.eligibility.reason ?? ""}`}</dd>
            {result.firstResponse ? (
              <>
                <dt>First response</dt>
                <dd>
                  {instant(result.firstResponse.dueAt)} ({result.firstResponse.target})
                </dd>
              </>
            ) : null}
            {result.resolution ? (
              <>
                <dt>Resolution</dt>
                <dd>
                  {result.resolution.earliestAt
                    ? `between ${instant(result.resolution.earliestAt)} and ${instant(result.resolution.latestAt)}`
                    : instant(result.resolution.dueAt)}
                </dd>
              </>
            ) : null}
            {result.downgrade ? (
              <>
                <dt>Downgrade</dt>
                <dd>
                  to {result.downgrade.to} by {instant(result.downgrade.latestAt)}
                </dd>
              </>
            ) : null}
            {result.coverage ? (
              <>
                <dt>Coverage</dt>
                <dd>{result.coverage.openNow ? "working now" : `closed; opens ${instant(result.coverage.nextOpenAt)}`}</dd>
              </>
            ) : null}
            {result.billing ? (
              <>
                <dt>Billing</dt>
                <dd>
                  {result.billing.billable ? "billable" : "included"} · {result.billing.rateClass}
                  {result.billing.ratePerHour
                    ? ` · ${money(result.billing.ratePerHour.amount, result.billing.ratePerHour.currency)}/h`
                    : ""}
                </dd>
              </>
            ) : null}
          </dl>
          <h3>What the customer reads</h3>
          <Lines lines={result.explanation} />
        </section>
      ) : null}
    </>
  );
}
