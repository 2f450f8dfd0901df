/**
 * localStorage, defensively: storage can be disabled, full, or shared with a page that writes
 * garbage into it. Nothing here throws; a failed read is "nothing stored".
 */
import { markerDatabase } from "./keys.ts";

let marked = false;

/** Leaves the marker database the loader looks for before it reads localStorage (lib/keys.ts). */
function mark(): void {
  if (marked) return;
  marked = true;
  try {
    const open = indexedDB.open(markerDatabase);
    open.onsuccess = () => open.result.close();
  } catch {}
}

/** The parsed JSON under a key, or the fallback. */
export function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? fallback : (JSON.parse(raw) as T);
  } catch {
    return fallback;
  }
}

/** Stores JSON under a key (removing it for null); false when the browser refused. */
export function write(key: string, value: unknown): boolean {
  try {
    if (value === null) localStorage.removeItem(key);
    else {
      localStorage.setItem(key, JSON.stringify(value));
      mark();
    }
    return true;
  } catch {
    return false;
  }
}
