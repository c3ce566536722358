/** Joins class names, skipping falsy ones: enough for conditional Tailwind without a library. */
export function cx(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(' ');
}
