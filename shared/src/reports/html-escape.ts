// Escaping for text and links placed in HTML and SVG: report content (column names, file names, labels) comes from
// users' data and must show as text, never as markup or script.

/** Escapes text for an HTML/SVG text node or a double- or single-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * The link if it is safe to put in an href (http, https, mailto, a relative path or a #fragment), else undefined:
 * a `javascript:` or `data:` URL in a history file must not become a clickable script.
 */
export function safeHref(href: string | undefined): string | undefined {
  if (href === undefined) return undefined;
  const trimmed = href.trim();
  if (trimmed === '') return undefined;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed);
  if (!scheme) return trimmed; // relative path, query or fragment
  return ['http', 'https', 'mailto'].includes(scheme[1].toLowerCase()) ? trimmed : undefined;
}
