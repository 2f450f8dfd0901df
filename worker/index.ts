import { createApp } from "./app.ts";
import { runScheduled } from "./cron.ts";
import { type InboundResult, receiveEmail } from "./email/inbound.ts";
import { baseAddress } from "./email/message.ts";

const app = createApp();

export default {
  fetch: app.fetch,
  // Returned rather than passed to waitUntil: the runtime awaits it and reports its failure.
  scheduled: (controller, env) => runScheduled(env, controller.scheduledTime),
  // Mail to a support address (Email Routing → this worker). A refusal goes back to the sending
  // server; a failure of ours is refused too, so the sender knows to send again.
  async email(message, env) {
    let result: InboundResult;
    try {
      result = await receiveEmail(env, message, Date.now());
    } catch (e) {
      console.error(JSON.stringify({ email: "failed", to: baseAddress(message.to), error: String(e).slice(0, 500) }));
      message.setReject("Temporary failure while processing this message; please send it again later");
      return;
    }
    // The support address without its plus part: a reply token is not for the logs.
    console.log(JSON.stringify({ email: result.outcome, to: baseAddress(message.to), reason: result.reason, reference: result.reference }));
    if (result.outcome === "rejected") message.setReject(result.reason);
  },
} satisfies ExportedHandler<Env>;
