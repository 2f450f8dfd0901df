// Bindings wrangler.toml deliberately does not declare, so `wrangler types` cannot generate them.
interface Env {
  /** "true" only in local runs (`npm start`) and the tests: mounts the demo storefronts (/demo) and the local mailbox (/dev/mailbox, which keeps a copy of every email sent). */
  DEV_MODE?: string;
}
declare namespace Cloudflare {
  interface Env {
    DEV_MODE?: string;
  }
}
