import { Countdown, Flash, liveState, SlaBadge, Table } from "../components/ui.tsx";
import { when } from "../format.ts";
import { type QueueFilters, type QueueRow, queueStatuses, slaFilters } from "../queue.ts";

/** Labels the queue shows for ids (from the merchant's current policy). */
export interface QueueLabels {
  readonly priorities: readonly { id: string; label: string }[];
  readonly issueTypes: ReadonlyMap<string, string>;
  readonly timeZone: string;
}

const statusText: Record<string, string> = {
  open: "open",
  responded: "responded",
  "waiting-on-customer": "waiting on customer",
  resolved: "resolved",
  closed: "closed",
};

/** The queue: open tickets by next due time, with filters, search and keyset pages. */
export function QueuePage({
  rows,
  filters,
  query,
  next,
  paged,
  now,
  labels,
  notice,
}: {
  rows: readonly QueueRow[];
  filters: QueueFilters;
  query: string;
  next: string | null;
  paged: boolean;
  now: number;
  labels: QueueLabels;
  notice?: string | undefined;
}) {
  const priorityLabel = new Map(labels.priorities.map((p) => [p.id, p.label]));
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.priority) params.set("priority", filters.priority);
  if (filters.sla) params.set("sla", filters.sla);
  const base = params.toString();
  const nextHref = next ? `/dashboard/queue?${base ? `${base}&` : ""}after=${encodeURIComponent(next)}` : null;
  return (
    <>
      <h1>{query ? `Search: ${query}` : "Queue"}</h1>
      <Flash message={notice} />
      <search>
        <form class="filters" method="get" action="/dashboard/queue">
          <div>
            <label htmlFor="q">Reference or email</label>
            <input id="q" name="q" type="search" value={query} placeholder="RB-7K3M-Q9XD or ana@" />
          </div>
          <div>
            <label htmlFor="status">Status</label>
            <select id="status" name="status">
              <option value="">all open</option>
              {queueStatuses.map((s) => (
                <option key={s} value={s} selected={filters.status === s}>
                  {statusText[s]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="priority">Priority</label>
            <select id="priority" name="priority">
              <option value="">any</option>
              {labels.priorities.map((p) => (
                <option key={p.id} value={p.id} selected={filters.priority === p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="sla">SLA</label>
            <select id="sla" name="sla">
              <option value="">any</option>
              {slaFilters.map((s) => (
                <option key={s} value={s} selected={filters.sla === s}>
                  {s.replace("-", " ")}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Apply</button>
          {query || base ? <a href="/dashboard/queue">Clear</a> : null}
        </form>
      </search>
      <Table columns={["SLA", "Due", "Reference", "Priority", "Type", "Status", "Customer", "Received"]}>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={8} class="muted">
              {query ? "No tickets match." : "Nothing in the queue."}
            </td>
          </tr>
        ) : (
          rows.map((t) => (
            <tr key={t.id}>
              <td>
                <SlaBadge state={liveState(t, now)} />
              </td>
              <td>{t.next_due_at !== null ? <Countdown due={t.next_due_at} now={now} /> : <span class="muted">—</span>}</td>
              <td>
                <a href={`/dashboard/tickets/${t.ref}`}>{t.ref}</a>
              </td>
              <td>{priorityLabel.get(t.priority) ?? t.priority}</td>
              <td>{labels.issueTypes.get(t.issue_type) ?? t.issue_type}</td>
              <td>{statusText[t.status] ?? t.status}</td>
              <td>{t.name ? `${t.name} <${t.email}>` : t.email}</td>
              <td class="muted">{when(t.received_at, labels.timeZone)}</td>
            </tr>
          ))
        )}
      </Table>
      <nav class="pager" aria-label="Pages">
        <span>{paged ? <a href={`/dashboard/queue${base ? `?${base}` : ""}`}>← First page</a> : null}</span>
        <span>{nextHref ? <a href={nextHref}>Next page →</a> : null}</span>
      </nav>
    </>
  );
}
