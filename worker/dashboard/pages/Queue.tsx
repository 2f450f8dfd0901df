import { Countdown, Flash, liveState, SlaBadge, Table } from "../components/ui.tsx";
import { when } from "../format.ts";
import { type QueueFilters, type QueueRow, type QueueView, queueStatuses, slaFilters } from "../queue.ts";

/** Labels the queue shows for ids (from the merchant's current policy). */
export interface QueueLabels {
  readonly priorities: readonly { id: string; label: string }[];
  readonly issueTypes: ReadonlyMap<string, string>;
  readonly timeZone: string;
  /** Staff names by id, for the assignee column. */
  readonly staff: ReadonlyMap<string, string>;
}

const viewText: Record<QueueView, string> = { all: "All open", mine: "Mine", unassigned: "Unassigned" };

/** The statuses the queue lists, as it words them (queueStatuses: resolved and closed tickets are not in it). */
const statusText: Record<string, string> = {
  open: "open",
  responded: "responded",
  "waiting-on-customer": "waiting on customer",
};

/** One of the queue's filters: a select whose first option (value "") leaves it off. */
function Filter({
  name,
  label,
  off,
  options,
  selected,
}: {
  name: string;
  label: string;
  off: string;
  options: readonly { value: string; text: string | undefined }[];
  selected: string | undefined;
}) {
  return (
    <div>
      <label htmlFor={name}>{label}</label>
      <select id={name} name={name}>
        <option value="">{off}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value} selected={selected === o.value}>
            {o.text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The queue: open tickets by next due time, with filters, search and keyset pages. */
export function QueuePage({
  rows,
  filters,
  view,
  selfId,
  query,
  next,
  paged,
  now,
  labels,
  notice,
}: {
  rows: readonly QueueRow[];
  filters: QueueFilters;
  view: QueueView;
  selfId: string;
  query: string;
  next: string | null;
  paged: boolean;
  now: number;
  labels: QueueLabels;
  notice?: string | undefined;
}) {
  const priorityLabel = new Map(labels.priorities.map((p) => [p.id, p.label]));
  const params = new URLSearchParams();
  if (view !== "all") params.set("view", view);
  if (filters.status) params.set("status", filters.status);
  if (filters.priority) params.set("priority", filters.priority);
  if (filters.sla) params.set("sla", filters.sla);
  const base = params.toString();
  const nextHref = next ? `/dashboard/queue?${base ? `${base}&` : ""}after=${encodeURIComponent(next)}` : null;
  const assignee = (id: string | null) =>
    id === null ? <span class="muted">—</span> : id === selfId ? "you" : (labels.staff.get(id) ?? "a former member");
  return (
    <>
      <h1>{query ? `Search: ${query}` : "Queue"}</h1>
      <Flash message={notice} />
      {query ? null : (
        <nav class="sub-nav" aria-label="Queue views">
          {(["all", "mine", "unassigned"] as const).map((v) => (
            <a
              key={v}
              href={v === "all" ? "/dashboard/queue" : `/dashboard/queue?view=${v}`}
              aria-current={v === view ? "page" : undefined}
            >
              {viewText[v]}
            </a>
          ))}
        </nav>
      )}
      <search>
        <form class="filters" method="get" action="/dashboard/queue">
          {view !== "all" ? <input type="hidden" name="view" value={view} /> : null}
          <div>
            <label htmlFor="q">Reference or email</label>
            <input id="q" name="q" type="search" value={query} placeholder="RB-7K3M-Q9XD or ana@" />
          </div>
          <Filter
            name="status"
            label="Status"
            off="all open"
            options={queueStatuses.map((s) => ({ value: s, text: statusText[s] }))}
            selected={filters.status}
          />
          <Filter
            name="priority"
            label="Priority"
            off="any"
            options={labels.priorities.map((p) => ({ value: p.id, text: p.label }))}
            selected={filters.priority}
          />
          <Filter
            name="sla"
            label="SLA"
            off="any"
            options={slaFilters.map((s) => ({ value: s, text: s.replace("-", " ") }))}
            selected={filters.sla}
          />
          <button type="submit">Apply</button>
          {query || filters.status || filters.priority || filters.sla ? (
            <a href={view === "all" ? "/dashboard/queue" : `/dashboard/queue?view=${view}`}>Clear</a>
          ) : null}
        </form>
      </search>
      <Table columns={["SLA", "Due", "Reference", "Priority", "Type", "Status", "Assignee", "Customer", "Received"]}>
        {rows.length === 0 ? (
          <tr>
            <td colSpan={9} class="muted">
              {query
                ? "No tickets match."
                : view === "mine"
                  ? "Nothing assigned to you. Take a ticket from Unassigned."
                  : view === "unassigned"
                    ? "Every open ticket has someone on it."
                    : "Nothing in the queue."}
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
              <td>{assignee(t.assignee_id)}</td>
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
