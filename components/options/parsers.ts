import { Domain, Email } from '@/lib/model';

export type Parsed = { ok: true; value: string } | { ok: false; error: string };

export function parseEmail(raw: string): Parsed {
  const r = Email.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: 'not an email address' };
}

/** Accepts "acme.com", "@acme.com" and pasted website addresses alike. */
export function parseDomain(raw: string): Parsed {
  const cleaned = raw.trim().replace(/^@/, '').replace(/^https?:\/\//i, '').split(/[/?#]/)[0] ?? '';
  const r = Domain.safeParse(cleaned);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: 'not a domain like acme.com' };
}
