import { createApp } from "./app.ts";
import { runScheduled } from "./cron.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  // Returned rather than passed to waitUntil: the runtime awaits it and reports its failure.
  scheduled: (controller, env) => runScheduled(env, controller.scheduledTime),
} satisfies ExportedHandler<Env>;
