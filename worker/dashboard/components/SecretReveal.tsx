/**
 * A secret shown the one time it exists in clear (just created or rotated): a warning that it
 * will not be shown again, the value, and a copy button (the page script reveals it).
 */
export function SecretReveal({ id, title, value, note }: { id: string; title: string; value: string; note: string }) {
  return (
    <section class="card reveal" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{title}</h2>
      <p>
        <strong>Copy it now: it will not be shown again.</strong> {note}
      </p>
      <pre class="snippet" id={id}>
        {value}
      </pre>
      <button type="button" class="secondary" data-copy={id} hidden>
        Copy
      </button>
    </section>
  );
}
