/**
 * The app chunk: loaded by widget.js on intent or idle, or directly as a module by pages that use
 * the element themselves (`<script type="module" src=".../widget/app.js">` + `<replyby-widget site="…">`).
 * Importing it registers <replyby-widget>, <replyby-request> and <replyby-ticket> (once).
 */
export { ReplybyRequest } from "./components/replyby-request/replyby-request.ts";
export { ReplybyTicket } from "./components/replyby-ticket/replyby-ticket.ts";
export { ReplybyWidget } from "./components/replyby-widget/replyby-widget.ts";
