import { type Bar, BarChart } from "../components/BarChart.tsx";
import { type Column, Field, Table } from "../components/ui.tsx";
import { money } from "../format.ts";
import type { Attainment } from "../reports.ts";

/** Columns of numbers (right-aligned), by their labels. */
function numeric(...labels: string[]): Column[] {
  return labels.map((label) => ({ label, num: true }));
}

/** The reports: attainment, volume and billable hours over 30 days, and the CSV export. */
export function ReportsPage({
  attainment,
  volume,
  hours,
  priorityLabel,
  from,
  to,
}: {
  attainment: readonly Attainment[];
  volume: readonly { date: string; count: number }[];
  hours: readonly { rateClass: string; currency: string; minutes: number; amount: number; entries: number }[];
  priorityLabel: (id: string) => string;
  from: string;
  to: string;
}) {
  const attainmentBars: Bar[] = attainment.map((a) => {
    const decided = a.met + a.missed;
    const pct = decided ? Math.round((a.met / decided) * 1000) / 10 : 0;
    return { label: priorityLabel(a.priority), value: pct, text: decided ? `${pct}%` : "n/a", low: decided > 0 && pct < 90 };
  });
  const volumeBars: Bar[] = volume.map((v) => ({ label: v.date.slice(5), value: v.count, text: String(v.count) }));
  const hourBars: Bar[] = hours.map((h) => ({
    label: `${h.rateClass} (${h.currency})`,
    value: h.minutes / 60,
    text: `${(h.minutes / 60).toFixed(2)} h`,
  }));
  return (
    <>
      <h1>Reports</h1>
      <p class="muted">
        The last 30 days, {from} to {to}.
      </p>
      <section class="card" aria-labelledby="attain-h">
        <h2 id="attain-h">SLA attainment per priority</h2>
        <p class="muted">
          Share of tickets received in the period that were resolved within every target, of those resolved or already late.
        </p>
        {attainment.length ? (
          <BarChart
            id="attainment"
            title="SLA attainment per priority"
            description="Percent of decided tickets that met every target"
            bars={attainmentBars}
            max={100}
          />
        ) : (
          <p class="muted">No tickets in this period.</p>
        )}
        <Table columns={["Priority", ...numeric("Tickets", "Met", "Missed", "In progress", "Attainment")]}>
          {attainment.map((a, i) => (
            <tr key={a.priority}>
              <td>{priorityLabel(a.priority)}</td>
              <td class="num">{a.total}</td>
              <td class="num">{a.met}</td>
              <td class="num">{a.missed}</td>
              <td class="num">{a.total - a.met - a.missed}</td>
              <td class="num">{attainmentBars[i]?.text}</td>
            </tr>
          ))}
        </Table>
      </section>
      <section class="card" aria-labelledby="volume-h">
        <h2 id="volume-h">Volume per day</h2>
        <BarChart
          id="volume"
          title="Tickets received per day"
          description={`Tickets received each day, ${from} to ${to}: ${volume.reduce((s, v) => s + v.count, 0)} in total`}
          bars={volumeBars}
          labelEvery={5}
        />
      </section>
      <section class="card" aria-labelledby="hours-h">
        <h2 id="hours-h">Billable hours per rate class</h2>
        {hours.length ? (
          <>
            <BarChart
              id="hours"
              title="Billable hours per rate class"
              description="Billed hours of billable time entries per rate class"
              bars={hourBars}
            />
            <Table columns={["Rate class", ...numeric("Entries", "Billed hours", "Amount")]}>
              {hours.map((h) => (
                <tr key={`${h.rateClass}-${h.currency}`}>
                  <td>{h.rateClass}</td>
                  <td class="num">{h.entries}</td>
                  <td class="num">{(h.minutes / 60).toFixed(2)}</td>
                  <td class="num">{money(h.amount, h.currency)}</td>
                </tr>
              ))}
            </Table>
          </>
        ) : (
          <p class="muted">No billable time logged in this period.</p>
        )}
      </section>
      <section class="card" aria-labelledby="export-h">
        <h2 id="export-h">Export time entries for invoicing</h2>
        <form method="get" action="/dashboard/reports/time-entries.csv" class="actions">
          <Field label="From" htmlFor="export-from">
            <input id="export-from" name="from" type="date" required value={from} />
          </Field>
          <Field label="To (inclusive)" htmlFor="export-to">
            <input id="export-to" name="to" type="date" required value={to} />
          </Field>
          <button type="submit">Download CSV</button>
        </form>
      </section>
    </>
  );
}
