/** "returns-refunds" -> "Returns refunds": category slugs as people read them. */
export function humanize(slug: string): string {
  const text = slug.replaceAll("-", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}
