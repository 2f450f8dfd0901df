import { fileSize } from "./content.ts";
import { droppedOf, filesOf } from "./store.ts";

/**
 * The files an event carries, as download links (`href` gives each one's address), and those a
 * mail carried that were not kept, after `notAttached` ("Not attached" in the reader's language).
 */
export function EventFileList({ data, href, notAttached }: { data: unknown; href: (fileId: string) => string; notAttached: string }) {
  const files = filesOf(data);
  const dropped = droppedOf(data);
  if (!files.length && !dropped.length) return null;
  return (
    <ul class="files">
      {files.map((f) => (
        <li key={f.id}>
          <a href={href(f.id)} download>
            {f.name}
          </a>{" "}
          <span class="muted">({fileSize(f.size)})</span>
        </li>
      ))}
      {dropped.map((f) => (
        <li key={`dropped:${f.name}`} class="muted">
          {notAttached}: {f.name} ({f.reason})
        </li>
      ))}
    </ul>
  );
}
