/*
 * Stands in for Node's "module" in the worker bundle (wrangler.toml [alias]). email-reply-parser
 * calls createRequire(import.meta.url) at load to try the optional native RE2; in workerd the bundle
 * has no import.meta.url and that call threw at start-up, taking the whole worker down. Here the
 * require it returns refuses every id, so the parser falls back to RegExp (see message.ts).
 */
export function createRequire(_from?: string): (id: string) => never {
  return (id) => {
    throw new Error(`require("${id}") is not available in the worker`);
  };
}
