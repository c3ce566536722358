import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planCapture } from '@/lib/capture/plan';
import { gmailUi, googleCalendarUi, outlookCalendarUi, outlookUi, type SiteUi } from '@/lib/inpage/anchors';
import { detectPage } from '@/lib/sites';
import { PageContext, Settings } from '@/lib/model';

/** The demo and e2e pages must work with the real detectors and anchors, as served under the real hosts. */
const PAGES: { file: string; url: string; ui: SiteUi; site: string; view: string; external: string[]; selfEmail: string }[] = [
  { file: 'gmail/index.html', url: 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQbfxyz', ui: gmailUi, site: 'gmail', view: 'thread', external: ['maria.chen@globex-logistics.com', 'tom.becker@globex-logistics.com'], selfEmail: 'sam.rivera@northwind.io' },
  { file: 'outlook/index.html', url: 'https://outlook.office.com/mail/inbox/id/AAQkADNm', ui: outlookUi, site: 'outlook', view: 'thread', external: ['maria.chen@globex-logistics.com', 'tom.becker@globex-logistics.com'], selfEmail: 'sam.rivera@northwind.io' },
  { file: 'outlook/calendar.html', url: 'https://outlook.office.com/calendar/item/AAMkADNmOTI0NDY5LWJiN2MtGlobexQBR?fixture=calendar', ui: outlookCalendarUi, site: 'outlook-calendar', view: 'event', external: ['maria.chen@globex-logistics.com', 'tom.becker@globex-logistics.com', 'priya.nair@globex-logistics.com'], selfEmail: 'sam.rivera@northwind.io' },
  { file: 'google-calendar/index.html', url: 'https://calendar.google.com/calendar/u/0/r/week/2026/11/24', ui: googleCalendarUi, site: 'google-calendar', view: 'event', external: ['maria.chen@globex-logistics.com', 'tom.becker@globex-logistics.com'], selfEmail: 'sam.rivera@northwind.io' },
];

function load(file: string): Document {
  const html = readFileSync(resolve(__dirname, '../fixtures/pages', file), 'utf8');
  return new DOMParser().parseFromString(html, 'text/html') as unknown as Document;
}

describe.each(PAGES)('demo page $file', ({ file, url, ui, site, view, external, selfEmail }) => {
  const doc = load(file);
  const ctx = detectPage(url, doc);

  it('is detected by the real detector as the right site and view', () => {
    expect(ctx).not.toBeNull();
    expect(PageContext.parse(ctx)).toBeTruthy();
    expect([ctx!.site, ctx!.view]).toEqual([site, view]);
  });

  it('shows the expected people, with the user flagged as self and nothing from bodies', () => {
    const others = ctx!.people.filter((p) => !p.self).map((p) => p.email);
    for (const e of external) expect(others).toContain(e);
    expect(ctx!.people.find((p) => p.email === selfEmail)?.self).toBe(true);
    const all = ctx!.people.map((p) => p.email).join(' ');
    expect(all).not.toMatch(/ops-desk@|tom\.sig@|sam\.sig@|customs@broker|bridge@|pilot-desk@|editor@|help@portal/);
  });

  it('has the anchor the Log button mounts on', () => {
    expect(ui.anchor(doc, ctx!)).not.toBeNull();
    expect(ui.scope(doc)).not.toBeNull();
  });

  it('logs at least one activity and creates only the external people', () => {
    const plan = planCapture(ctx!, Settings.parse({}), Date.UTC(2026, 10, 22));
    expect(plan.activities.length).toBeGreaterThan(0);
    expect(plan.people.map((p) => p.email).sort()).toEqual([...external].sort());
  });
});

it('the Gmail demo thread has three loggable messages and skips the no-reply sender', () => {
  const ctx = detectPage(PAGES[0]!.url, load('gmail/index.html'))!;
  const plan = planCapture(ctx, Settings.parse({}), 0);
  expect(plan.activities).toHaveLength(3);
  expect(plan.skipped).toContainEqual({ email: 'no-reply@globex-logistics.com', reason: 'no_reply' });
  expect(ctx.subject).toBe('Freight tracking pilot: next steps');
});

it('the unknown Outlook layout is detected but offers no anchor, so nothing is mounted there', () => {
  const doc = load('outlook/unknown-layout.html');
  const ctx = detectPage('https://outlook.office.com/mail/inbox/id/AAQkADNmUnknownLayoutConv01?fixture=unknown-layout', doc)!;
  expect([ctx.site, ctx.view]).toEqual(['outlook', 'thread']);
  expect(outlookUi.anchor(doc, ctx)).toBeNull();
});
