import type { FieldError, LocalText } from "../../../schema/policy.ts";
import { Csrf, FieldErrors, Flash, LocalTextFields, Table } from "../components/ui.tsx";
import { when } from "../format.ts";

/** An incident as listed. */
export interface IncidentView {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
}

/** What staff typed into the announce form, shown again with its errors. */
export interface IncidentDraft {
  readonly title: LocalText | undefined;
  readonly body: LocalText | undefined;
}

/** Known incidents: announce one (the widget shows it before customers file), end it. */
export function IncidentsPage({
  open,
  ended,
  csrf,
  timeZone,
  locales,
  notice,
  errors,
  draft,
}: {
  open: readonly IncidentView[];
  ended: readonly IncidentView[];
  csrf: string;
  timeZone: string;
  /** The policy's locales: customers read the incident in theirs when staff wrote it. */
  locales: readonly string[];
  notice?: string | undefined;
  errors?: readonly FieldError[] | undefined;
  draft?: IncidentDraft | undefined;
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
          <LocalTextFields label="Title" name="title" id="incident-title" locales={locales} value={draft?.title} maxLength={120} required />
          <LocalTextFields
            label="What customers should know"
            name="body"
            id="incident-body"
            locales={locales}
            value={draft?.body}
            maxLength={2000}
            required
            multiline
          />
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
