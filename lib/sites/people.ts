import type { Person, Role } from '@/lib/model';
import { cleanName, normalizeEmail } from './address';

/** Placeholders a page shows instead of a name. Gmail's "me" is English-only, so self never depends on it alone. */
const PLACEHOLDER = /^(me)$/i;

/**
 * Collects the people of one page: one entry per address (case-insensitive), the first role
 * seen, the best name seen anywhere, and the user's own addresses flagged rather than dropped.
 */
export class People {
  private byEmail = new Map<string, Person>();
  private made: Person[] = [];
  readonly self: Set<string>;

  constructor(self: Iterable<string> = []) {
    this.self = new Set([...self].map((e) => e.toLowerCase()));
  }

  /** Notes a person and returns a fresh Person for a message's from/to, or undefined if invalid. */
  // A thread repeats the same few people on every message: clean each raw string once, keyed
  // by the raw address and then the raw name, so a repeat costs two lookups and no new strings.
  private raw = new Map<string, { email: string | null; names: Map<string, string | undefined> }>();

  add(rawEmail: string | null | undefined, rawName: string | null | undefined, role: Role, isSelf = false): Person | undefined {
    if (!rawEmail) return undefined;
    let seen = this.raw.get(rawEmail);
    if (!seen) this.raw.set(rawEmail, (seen = { email: normalizeEmail(rawEmail), names: new Map() }));
    const email = seen.email;
    if (!email) return undefined;
    const nameKey = rawName ?? '';
    let name = seen.names.get(nameKey);
    if (name === undefined && !seen.names.has(nameKey)) seen.names.set(nameKey, (name = cleanName(rawName, email)));
    if (name && PLACEHOLDER.test(name)) {
      // Gmail labels the user's own address "me" in headers.
      this.self.add(email);
      name = undefined;
    }
    if (isSelf) this.self.add(email);
    // Headers call the user "me" in their own language ("ich", "moi", "我"): a short single word
    // on a known own address is that placeholder, not a name.
    if (name && this.self.has(email) && name.length <= 4 && !/\s/.test(name)) name = undefined;
    const prev = this.byEmail.get(email);
    if (!prev) this.byEmail.set(email, name ? { email, name, role } : { email, role });
    else if (!prev.name && name) prev.name = name;
    const p: Person = name ? { email, name, role } : { email, role };
    this.made.push(p);
    return p;
  }

  has(email: string): boolean {
    return this.byEmail.has(email);
  }

  /** Final pass: every Person handed out gets the best name and the self flag. */
  finish(): Person[] {
    for (const p of [...this.byEmail.values(), ...this.made]) {
      const best = this.byEmail.get(p.email)?.name;
      if (best) p.name = best;
      if (this.self.has(p.email)) p.self = true;
    }
    return [...this.byEmail.values()];
  }
}
