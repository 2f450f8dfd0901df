// Shared by the loader and the app, so the loader can tell (with one getItem, no code) that a
// submission is waiting to be sent and load the app at once instead of on intent.

/**
 * IndexedDB database the app creates, empty, once it has stored anything: its name in
 * indexedDB.databases() (asynchronous) tells the loader that a localStorage read (synchronous)
 * is worth making at page load.
 */
export const markerDatabase = "replyby:v1";

/** localStorage key of a site's unsent submissions. */
export const outboxKey = (site: string) => `replyby:v1:${site}:outbox`;
/** localStorage key of the site's accent colours, so the next page's launcher is drawn right away. */
export const brandKey = (site: string) => `replyby:v1:${site}:brand`;
/** localStorage key of the tickets created from this browser. */
export const ticketsKey = (site: string) => `replyby:v1:${site}:tickets`;
/** localStorage key of the request being written. */
export const draftKey = (site: string) => `replyby:v1:${site}:draft`;
