/** A target field of an import, and the header names that usually mean it. */
export interface FieldDef<K extends string = string> {
  key: K;
  label: string;
  required?: boolean;
  aliases: string[];
}

/** Per column: the field it feeds, or null to ignore the column. */
export type ColumnMapping<K extends string = string> = (K | null)[];

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Guesses a field for each header: exact alias matches first, then headers that merely contain
 * an alias, so "Work Email" finds Email without "Email Opt-out" stealing it. Each field is used once.
 */
export function guessMapping<K extends string>(headers: string[], fields: readonly FieldDef<K>[]): ColumnMapping<K> {
  const out: ColumnMapping<K> = headers.map(() => null);
  const used = new Set<K>();
  const normalized = headers.map(norm);
  const passes: ((h: string, alias: string) => boolean)[] = [(h, a) => h === a, (h, a) => a.length >= 5 && h.includes(a)];
  for (const matches of passes) {
    for (const f of fields) {
      if (used.has(f.key)) continue;
      const aliases = [f.key, f.label, ...f.aliases].map(norm);
      const col = normalized.findIndex((h, i) => out[i] === null && aliases.some((a) => matches(h, a)));
      if (col >= 0) {
        out[col] = f.key;
        used.add(f.key);
      }
    }
  }
  return out;
}

/** Required fields that no column feeds. */
export function missingRequired<K extends string>(mapping: ColumnMapping<K>, fields: readonly FieldDef<K>[]): FieldDef<K>[] {
  return fields.filter((f) => f.required && !mapping.includes(f.key));
}

/** Fields mapped from more than one column: ambiguous, so the user must choose. */
export function duplicateTargets<K extends string>(mapping: ColumnMapping<K>): K[] {
  const seen = new Set<K>();
  const dup = new Set<K>();
  for (const k of mapping) if (k) (seen.has(k) ? dup : seen).add(k);
  return [...dup];
}
