declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** A send_email binding that refuses every recipient (test/vitest.config.ts). */
    REFUSING_EMAIL: SendEmail;
  }
}
