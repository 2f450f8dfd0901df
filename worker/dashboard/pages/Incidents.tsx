import type { FieldError } from "../../../schema/policy.ts";
import { Csrf, Field, FieldErrors, Flash, Table } from "../components/ui.tsx";
import { when } from "../format.ts";

/** An incident as listed. */
export interface IncidentView {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
}

/** Known incidents: announce one (the widget shows it before customers file), end it. */
export function IncidentsPage({
  open,
  ended,
  csrf,
  timeZone,
  notice,
  errors,
  draft,
}: {
  open: readonly IncidentView[];
  ended: readonly IncidentView[];
  csrf: string;
  timeZone: string;
  notice?: string | undefined;
  errors?: readonly FieldError[] | undefined;
  draft?: { title: string; body: string } | undefined;
}) {
  return (
    <>
      <h1>Incidents</h1>
      <Flash message={notice} />
      <section class="card" aria-labelledby="announce-h">
        <h2 id="announce-h">Announce a known issue</h2>
        <p class="muted">Open incidents appear in the help widget before a customer files a ticket.</p>
        <FieldErrors errors={errors} />
        <form method="post" action="/dashboard/incidents">
          <Csrf token={csrf} />
          <Field label="Title" htmlFor="incident-title">
            <input id="incident-title" name="title" type="text" required maxLength={120} value={draft?.title ?? ""} />
          </Field>
          <Field label="What customers should know" htmlFor="incident-body">
            <textarea id="incident-body" name="body" required maxLength={2000}>
              {draft?.body ?? ""}
            </textarea>
          </Field>
          <button type="submit">Announce</button>
        </form>
      </section>
      <h2>Open</h2>
      {open.length === 0 ? <p class="muted">No open incidents.</p> : null}
      {open.map((i) => (
        <section class="card" key={i.id}>
          <h3>{i.title}</h3>
          <p class="prewrap">{i.body}</p>
          <p class="muted">Since {when(i.startedAt, timeZone)}</p>
          <form method="post" action={`/dashboard/incidents/${i.id}/end`}>
            <Csrf token={csrf} />
            <button type="submit" class="secondary">
              End incident
            </button>
          </form>
        </section>
      ))}
      {ended.length ? (
        <>
          <h2>Recently ended</h2>
          <Table columns={["Title", "Started", "Ended"]}>
            {ended.map((i) => (
              <tr key={i.id}>
                <td>{i.title}</td>
                <td>{when(i.startedAt, timeZone)}</td>
                <td>{i.endedAt !== null ? when(i.endedAt, timeZone) : ""}</td>
              </tr>
            ))}
          </Table>
        </>
      ) : null}
    </>
  );
}
