import { createApp } from "./app.ts";
import { runScheduled } from "./cron.ts";
import { receiveEmail } from "./email/inbound.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  // Returned rather than passed to waitUntil: the runtime awaits it and reports its failure.
  scheduled: (controller, env) => runScheduled(env, controller.scheduledTime),
  // Mail to a support address (Email Routing → this worker). A refusal goes back to the sending
  // server; a failure of ours is refused too, so the sender knows to send again.
  async email(message, env) {
    let result: Awaited<ReturnType<typeof receiveEmail>>;
    try {
      result = await receiveEmail(env, message, Date.now());
    } catch (e) {
      console.error(JSON.stringify({ email: "failed", to: message.to, error: String(e).slice(0, 500) }));
      message.setReject("Temporary failure while processing this message; please send it again later");
      return;
    }
    console.log(JSON.stringify({ email: result.outcome, to: message.to, reason: result.reason, reference: result.reference }));
    if (result.outcome === "rejected") message.setReject(result.reason);
  },
} satisfies ExportedHandler<Env>;
