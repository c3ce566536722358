import { describe, expect, it } from 'vitest';
import { PageContext } from '@/lib/model';
import { detectPage } from '@/lib/sites';
import { loadFixture } from './load';

// Fixture times are local wall-clock times as the page shows them.
const local = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();

const jane = { email: 'jane@acme.io', self: true } as const;

interface Case {
  file: string;
  url: string;
  expected: PageContext | null;
}

const G = 'https://mail.google.com/mail/u/0/#inbox/FMfcgzGwHLxqKjMpzXbWfRtVnDcBgLjQ';

const cases: Case[] = [
  {
    file: 'gmail/2023-11-thread.html',
    url: G,
    expected: {
      site: 'gmail',
      view: 'thread',
      key: '18bc1f2e3d4c5b6a',
      url: G,
      subject: 'Re: Q3 pricing 🚀 for Globex',
      people: [
        { email: 'alice.buyer@globex.com', name: 'Alice Buyer', role: 'from' },
        { ...jane, name: 'Jane Doe', role: 'from' },
        { email: 'bob@globex.com', name: 'Bob Stone', role: 'to' },
        { email: 'dana.ops@globex.com', name: 'Dana Ops', role: 'to' },
      ],
      messages: [
        {
          id: 'msg-f:1782531234567890001',
          from: { email: 'alice.buyer@globex.com', name: 'Alice Buyer', role: 'from' },
          to: [],
          date: local(2023, 11, 20, 9, 14),
        },
        {
          id: 'msg-f:1782531234567890002',
          from: { ...jane, name: 'Jane Doe', role: 'from' },
          to: [
            { email: 'alice.buyer@globex.com', name: 'Alice Buyer', role: 'to' },
            { email: 'bob@globex.com', name: 'Bob Stone', role: 'to' },
          ],
          date: local(2023, 11, 20, 10, 2),
          snippet: 'Hi Alice, Attached are the Q3 tiers. Loop in procurement@globex.com if needed.',
          body: 'Hi Alice, Attached are the Q3 tiers. Loop in procurement@globex.com if needed.',
        },
        {
          id: 'msg-f:1782531234567890003',
          from: { email: 'bob@globex.com', name: 'Bob Stone', role: 'from' },
          to: [
            { ...jane, name: 'Jane Doe', role: 'to' },
            { email: 'alice.buyer@globex.com', name: 'Alice Buyer', role: 'to' },
            { email: 'dana.ops@globex.com', name: 'Dana Ops', role: 'to' },
          ],
          date: local(2023, 11, 21, 16, 45),
          snippet: 'Adding Dana from ops. Please reply to orders@globex.com.',
          body: 'Adding Dana from ops. Please reply to orders@globex.com.',
        },
      ],
    },
  },
  {
    file: 'gmail/2019-06-thread.html',
    url: G,
    expected: {
      site: 'gmail',
      view: 'thread',
      key: '16b2c3d4e5f60718',
      url: G,
      subject: 'Intro: Initech & Acme',
      people: [
        { email: 'peter@initech.example', name: 'Peter Gibbons', role: 'from' },
        { ...jane, name: 'Jane Doe', role: 'from' },
        { email: 'michael.bolton@initech.example', role: 'to' },
      ],
      messages: [
        { id: '16b2c3d4e5f60001', from: { email: 'peter@initech.example', name: 'Peter Gibbons', role: 'from' }, to: [], date: local(2014, 12, 4, 14, 2) },
        {
          id: '16b2c3d4e5f60002',
          from: { ...jane, name: 'Jane Doe', role: 'from' },
          to: [
            { email: 'peter@initech.example', name: 'Peter Gibbons', role: 'to' },
            { email: 'michael.bolton@initech.example', role: 'to' },
          ],
          date: local(2014, 12, 5, 9, 30),
          snippet: 'Thanks Peter!',
          body: 'Thanks Peter!',
        },
      ],
    },
  },
  {
    file: 'gmail/2023-11-thread-de.html',
    url: G,
    expected: {
      site: 'gmail',
      view: 'thread',
      key: '18c0ffee00c0ffee',
      url: G,
      subject: 'Angebot 📄 Müller GmbH',
      people: [
        { email: 'k.mueller@mueller-gmbh.example', name: 'Klaus Müller', role: 'from' },
        { ...jane, role: 'to' },
        { email: 'einkauf@mueller-gmbh.example', name: 'Einkauf', role: 'to' },
      ],
      messages: [
        {
          id: 'msg-f:1783000000000000001',
          from: { email: 'k.mueller@mueller-gmbh.example', name: 'Klaus Müller', role: 'from' },
          to: [
            { ...jane, role: 'to' },
            { email: 'einkauf@mueller-gmbh.example', name: 'Einkauf', role: 'to' },
          ],
          // German date text: omitted rather than guessed.
          snippet: 'Sehr geehrte Frau Doe, anbei unser Angebot.',
          body: 'Sehr geehrte Frau Doe, anbei unser Angebot.',
        },
      ],
    },
  },
  {
    file: 'gmail/2023-11-preview-pane.html',
    url: 'https://mail.google.com/mail/u/0/#inbox',
    expected: {
      site: 'gmail',
      view: 'thread',
      key: '18bb000000000777',
      url: 'https://mail.google.com/mail/u/0/#inbox',
      subject: 'Pilot kickoff',
      people: [
        { email: 'ravi@hooli.example', name: 'Ravi K', role: 'from' },
        { ...jane, role: 'to' },
      ],
      messages: [
        {
          id: 'msg-f:1782000000000000777',
          from: { email: 'ravi@hooli.example', name: 'Ravi K', role: 'from' },
          to: [{ ...jane, role: 'to' }],
          date: local(2023, 11, 22, 8, 0),
          snippet: 'Kickoff is Monday.',
          body: 'Kickoff is Monday.',
        },
      ],
    },
  },
  {
    file: 'gmail/2023-11-list.html',
    url: 'https://mail.google.com/mail/u/0/#inbox',
    expected: { site: 'gmail', view: 'list', key: 'inbox', url: 'https://mail.google.com/mail/u/0/#inbox', people: [], messages: [] },
  },
  {
    file: 'gmail/2023-11-compose.html',
    url: 'https://mail.google.com/mail/u/0/#inbox?compose=new',
    expected: {
      site: 'gmail',
      view: 'compose',
      key: 'c84127623301873562',
      url: 'https://mail.google.com/mail/u/0/#inbox?compose=new',
      subject: 'Proposal 🚀 for Umbrella',
      people: [
        { ...jane, name: 'Jane Doe', role: 'from' },
        { email: 'priya.patel@umbrella.example', name: 'Priya Patel', role: 'to' },
        { email: 'sam@umbrella.example', role: 'to' },
        { email: 'legal@umbrella.example', name: 'Legal, Team', role: 'cc' },
        { email: 'crm-archive@acme.io', name: 'Archive', role: 'bcc' },
      ],
      messages: [],
    },
  },
  {
    file: 'gmail/2019-06-compose.html',
    url: 'https://mail.google.com/mail/u/0/#sent?compose=16b2c3d4e5f6ffff',
    expected: {
      site: 'gmail',
      view: 'compose',
      key: '16b2c3d4e5f6ffff',
      url: 'https://mail.google.com/mail/u/0/#sent?compose=16b2c3d4e5f6ffff',
      subject: 'Contract & next steps',
      people: [
        { email: 'jane.smith@x.org', name: 'Smith, Jane', role: 'to' },
        { email: 'ops@x.org', role: 'to' },
        { email: 'pat.obrien@y.example', name: "O'Brien, Pat", role: 'cc' },
      ],
      messages: [],
    },
  },
  {
    file: 'gmail/2023-11-inline-reply.html',
    url: G,
    expected: {
      site: 'gmail',
      view: 'thread',
      key: '18bd00000000abcd',
      url: G,
      subject: 'Onboarding plan',
      people: [
        { email: 'tom@wayne.example', name: 'Tom Wayne', role: 'from' },
        { ...jane, role: 'to' },
        { email: 'alfred@wayne.example', name: 'Alfred P.', role: 'cc' },
      ],
      messages: [
        {
          id: 'msg-f:1783100000000000001',
          from: { email: 'tom@wayne.example', name: 'Tom Wayne', role: 'from' },
          to: [{ ...jane, role: 'to' }],
          date: local(2023, 11, 24, 11, 20),
          snippet: 'Here is the plan.',
          body: 'Here is the plan.',
        },
      ],
    },
  },
];

const O = 'https://outlook.office.com/mail/inbox/id/AAQkAGI2URLID%3D';
const nora = { email: 'nora.lind@fabrikam.example', name: 'Nora Lind' } as const;
const janeOwa = { email: 'jane.doe@contoso.example', name: 'Jane Doe', self: true } as const;

cases.push(
  {
    file: 'outlook/2025-11-reading-pane.html',
    url: O,
    expected: {
      site: 'outlook',
      view: 'thread',
      // The selected list row wins over the URL.
      key: 'AAQkAGI2TGZmMDAtOTRhYy00ZDE2LTk3ZjQtMDAwMDAwMDAwMDAxABAAkey1',
      url: O,
      subject: 'Renewal quote for FY26 — Fabrikam',
      people: [
        { ...nora, role: 'from' },
        { ...janeOwa, role: 'from' },
        { email: 'omar.haddad@fabrikam.example', name: 'Omar Haddad', role: 'to' },
        { email: 'legal@fabrikam.example', name: 'Legal, Fabrikam', role: 'cc' },
      ],
      messages: [
        { id: expect.stringMatching(/^m-/) as unknown as string, from: { ...nora, role: 'from' }, to: [], date: local(2025, 11, 25, 9, 5) },
        {
          id: expect.stringMatching(/^m-/) as unknown as string,
          from: { ...janeOwa, role: 'from' },
          to: [
            { ...nora, role: 'to' },
            { email: 'omar.haddad@fabrikam.example', name: 'Omar Haddad', role: 'to' },
            { email: 'legal@fabrikam.example', name: 'Legal, Fabrikam', role: 'cc' },
          ],
          date: local(2025, 11, 27, 14, 40),
          snippet: 'Nora, Omar — confirmed, see you Monday. cc finance@contoso.example for PO.',
          body: 'Nora, Omar — confirmed, see you Monday. cc finance@contoso.example for PO.',
        },
      ],
    },
  },
  {
    file: 'outlook/2025-11-reading-pane-de.html',
    url: O,
    expected: {
      site: 'outlook',
      view: 'thread',
      key: 'AAQkAGI2URLID=',
      url: O,
      subject: 'Lieferung KW 48',
      people: [
        { email: 'lager@kunde.example', role: 'from' },
        { email: 'max@contoso.example', role: 'to', self: true },
        { email: 'einkauf@contoso.example', name: 'Einkauf', role: 'to' },
      ],
      messages: [
        {
          id: expect.stringMatching(/^m-/) as unknown as string,
          from: { email: 'lager@kunde.example', role: 'from' },
          to: [
            { email: 'max@contoso.example', role: 'to', self: true },
            { email: 'einkauf@contoso.example', name: 'Einkauf', role: 'to' },
          ],
          snippet: 'Die Ware ist unterwegs. Rückfragen an spedition@body.example.',
          body: 'Die Ware ist unterwegs. Rückfragen an spedition@body.example.',
        },
      ],
    },
  },
  {
    file: 'outlook/2025-11-compose.html',
    url: 'https://outlook.office365.com/mail/',
    expected: {
      site: 'outlook',
      view: 'compose',
      key: 'new',
      url: 'https://outlook.office365.com/mail/',
      subject: 'FY26 renewal — next steps',
      people: [
        { ...nora, role: 'to' },
        { email: 'zaid@fabrikam.example', name: 'Haddad, Zaid', role: 'to' },
        { email: 'finance@contoso.example', role: 'cc' },
        { email: 'crm@contoso.example', role: 'bcc' },
      ],
      messages: [],
    },
  },
  {
    file: 'outlook-calendar/2025-11-event.html',
    url: 'https://outlook.live.com/calendar/0/item/AAMkAGEVENT%3D',
    expected: {
      site: 'outlook-calendar',
      view: 'event',
      key: 'AAMkAGEVENT=',
      url: 'https://outlook.live.com/calendar/0/item/AAMkAGEVENT%3D',
      subject: 'Fabrikam QBR 📈',
      start: Date.UTC(2025, 11, 2, 15, 0),
      end: Date.UTC(2025, 11, 2, 16, 0),
      people: [
        { ...nora, role: 'organizer' },
        { ...janeOwa, role: 'attendee' },
        { email: 'omar.haddad@fabrikam.example', name: 'Omar Haddad', role: 'attendee' },
        { email: 'ext.guest@partner.example', role: 'attendee' },
      ],
      messages: [],
    },
  },
);

const GC = 'https://calendar.google.com/calendar/u/0/r';
const EID = 'NGsybTlxMGFiY2RlZmcwMTIzNDU2Nzg5IGphbmVAYWNtZS5pbw';

cases.push(
  {
    file: 'google-calendar/2023-04-event-popup.html',
    url: `${GC}/week/2023/4/26`,
    expected: {
      site: 'google-calendar',
      view: 'event',
      key: EID,
      url: `${GC}/week/2023/4/26`,
      subject: 'Initech 🤝 demo',
      start: local(2023, 4, 26, 11, 30),
      end: local(2023, 4, 26, 12, 45),
      people: [
        { ...jane, name: 'Jane Doe', role: 'organizer' },
        { email: 'peter@initech.example', name: 'Peter Gibbons', role: 'attendee' },
        { email: 'samir@initech.example', role: 'attendee' },
      ],
      messages: [],
    },
  },
  {
    file: 'google-calendar/2023-11-event-popup-fr.html',
    url: GC,
    expected: {
      site: 'google-calendar',
      view: 'event',
      key: 'N3BxMHdlZWtseTAxYWJjXzIwMjMxMTA2VDE1MDAwMFogamFuZUBhY21lLmlv',
      url: GC,
      subject: 'Point hebdo Dupont',
      // French text is not parsed; the recurring instance id carries the start in UTC.
      start: Date.UTC(2023, 10, 6, 15, 0),
      people: [
        { email: 'claire.dupont@dupont.example', name: 'Claire Dupont', role: 'attendee' },
        { ...jane, name: 'Jane Doe', role: 'attendee' },
      ],
      messages: [],
    },
  },
  {
    file: 'google-calendar/2023-04-event-page.html',
    url: `${GC}/eventedit/${EID}`,
    expected: {
      site: 'google-calendar',
      view: 'event',
      key: EID,
      url: `${GC}/eventedit/${EID}`,
      subject: 'Pricing review',
      start: local(2023, 4, 28, 14, 0),
      end: local(2023, 4, 28, 15, 15),
      people: [
        { email: 'lumbergh@initech.example', name: 'Bill Lumbergh', role: 'attendee' },
        { ...jane, name: 'Jane Doe', role: 'attendee' },
      ],
      messages: [],
    },
  },
);

describe('detectPage on every fixture', () => {
  it.each(cases)('$file', ({ file, url, expected }) => {
    const got = detectPage(url, loadFixture(file));
    expect(got).toEqual(expected);
    // What a content script sends must pass the background's schema unchanged.
    if (got) expect(PageContext.parse(got)).toEqual(got);
  });

  it('never takes addresses from bodies, quotes, signatures, snippets or stale views', () => {
    // Addresses that appear in the fixtures only inside bodies, quotes, signatures, snippets,
    // autocomplete suggestions, typed text, grids or stale renders.
    const banned = new Set([
      'procurement@globex.com', 'jane.sig@acme.io', 'carol@quoted.example', 'orders@globex.com', 'old.sender@elsewhere.example',
      'tagged@snippet.example', 'stale@old.example', 'news@vendor.example', 'samir@initech.example#gmail', 'lumbergh@initech.example#gmail',
      'x@zitat.example', 'gavin@snippet.example', 'monica@piedpiper.example', 'someone@snippet.example', 'lee@client.example',
      'ops@snippet.example', 'wesker@body.example', 'suggested@other.example', 'half-typed@', 'bruce@body.example',
      'spedition@body.example', 'quoted.person@fabrikam.example', 'leak@preview.example', 'old.row@fabrikam.example',
      'cfo@body.example', 'bridge@body.example', 'fwd@quoted.example', 'other.person@grid.example', 'stale.guest@old.example',
      'other.event@old.example', 'michael@desc.example', 'milton@desc.example', 'host@video.example',
    ]);
    for (const { file, url } of cases) {
      const got = detectPage(url, loadFixture(file));
      const addrs = got ? [...got.people, ...got.messages.flatMap((m) => [m.from, ...m.to])].filter(Boolean).map((p) => p!.email) : [];
      for (const a of addrs) expect(banned.has(a) || banned.has(`${a}#${file.split('/')[0]}`), `${file}: ${a}`).toBe(false);
    }
  });
});
