// DEV_MODE is set only by `npm start` and the tests, never in wrangler.toml: it mounts the local
// mailbox (/dev/mailbox) and keeps a copy of every email sent there. Production never has it.
interface Env {
  DEV_MODE?: string;
}
