import { afterAll, describe, expect, it } from "vitest";
import { type DevServer, d1Query, freePort, startDevServer } from "../../worker/dev/server.ts";

// `npm start` twice on one D1 folder, on two ports: what the merchant changed in between stays,
// and the demo sites allow the second port too.
let server: DevServer | undefined;

afterAll(async () => {
  await server?.stop();
});

const q = <T = Record<string, unknown>>(s: DevServer, sql: string) => d1Query<T>(s.persistTo, sql);

describe("restarting the demo", () => {
  it("keeps the merchant's own changes and adds the new port's origins", { timeout: 300_000 }, async () => {
    server = await startDevServer();
    const first = server;
    const { persistTo } = first;
    // The merchant's own changes, as the dashboard writes them: a second policy version with a
    // holiday, an origin of their own, a new staff member, a new password for the demo admin.
    const [v1] = q<{ body: string }>(first, "SELECT body FROM policies WHERE merchant_id = 'm_commerceup' AND version = 1");
    const body = JSON.parse(v1?.body ?? "{}") as { calendars: { business: { holidays: string[] } } };
    body.calendars.business.holidays.push("2026-12-31");
    const bodyText = JSON.stringify(body).replaceAll("'", "''");
    q(
      first,
      `INSERT INTO policies (merchant_id, version, preset, body, created_at) VALUES ('m_commerceup', 2, 'commerceup', '${bodyText}', 1);
       UPDATE merchants SET policy_version = 2 WHERE id = 'm_commerceup';
       UPDATE sites SET allowed_origins = json_insert(allowed_origins, '$[#]', 'https://shop.example') WHERE id = 's_commerceup';
       INSERT INTO staff (id, merchant_id, email, name, role, password_hash, password_changed_at, created_at)
         VALUES ('st_new', 'm_commerceup', 'new@commerceup.demo', 'New Agent', 'agent', 'pbkdf2-sha256$1$AA$AA', 1, 1);
       UPDATE staff SET password_hash = 'pbkdf2-sha256$1$BB$BB' WHERE id = 'st_commerceup_admin';`,
    );
    const eventsBefore = q<{ n: number }>(first, "SELECT count(*) AS n FROM ticket_events")[0]?.n;
    await first.stop();

    const port = await freePort();
    server = await startDevServer({ port, persistTo });
    const [merchant] = q<{ v: number }>(server, "SELECT policy_version AS v FROM merchants WHERE id = 'm_commerceup'");
    expect(merchant?.v).toBe(2);
    const [current] = q<{ body: string }>(server, "SELECT body FROM policies WHERE merchant_id = 'm_commerceup' AND version = 2");
    expect((JSON.parse(current?.body ?? "{}") as typeof body).calendars.business.holidays).toContain("2026-12-31");
    const [site] = q<{ origins: string }>(server, "SELECT allowed_origins AS origins FROM sites WHERE id = 's_commerceup'");
    expect(JSON.parse(site?.origins ?? "[]")).toEqual([
      `http://localhost:${first.port}`,
      `http://127.0.0.1:${first.port}`,
      "https://shop.example",
      `http://localhost:${port}`,
      `http://127.0.0.1:${port}`,
    ]);
    const staff = q<{ id: string; hash: string }>(
      server,
      "SELECT id, password_hash AS hash FROM staff WHERE merchant_id = 'm_commerceup' ORDER BY id",
    );
    expect(staff).toEqual([
      { id: "st_commerceup_admin", hash: "pbkdf2-sha256$1$BB$BB" },
      { id: "st_commerceup_agent", hash: expect.stringMatching(/^pbkdf2-sha256\$100000\$/) },
      { id: "st_new", hash: "pbkdf2-sha256$1$AA$AA" },
    ]);
    // The sample tickets' events are not added again (they are dated from each run's clock).
    expect(q<{ n: number }>(server, "SELECT count(*) AS n FROM ticket_events")[0]?.n).toBe(eventsBefore);
    // The new port is allowed on a demo site: its config answers with CORS for that origin.
    const res = await fetch(`${server.url}/v1/sites/demo-commerceup/config`, { headers: { origin: `http://127.0.0.1:${port}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(`http://127.0.0.1:${port}`);
  });
});
