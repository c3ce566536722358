import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PageContext } from '@/lib/model';
import { detectPage } from '@/lib/sites';
import { fixtureText, loadFixture } from './load';

const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html');

const FIXTURES: [string, string][] = [
  ['gmail/2023-11-thread.html', 'https://mail.google.com/mail/u/0/#inbox/x'],
  ['outlook/2025-11-reading-pane.html', 'https://outlook.office.com/mail/inbox/id/X'],
  ['outlook-calendar/2025-11-event.html', 'https://outlook.office.com/calendar/item/X'],
  ['google-calendar/2023-04-event-popup.html', 'https://calendar.google.com/calendar/u/0/r/week/2023/4/26'],
];

describe('never throws, null on garbage', () => {
  it('returns null for bad URLs and foreign sites', () => {
    const doc = loadFixture('gmail/2023-11-thread.html');
    expect(detectPage('not a url', doc)).toBeNull();
    expect(detectPage('', doc)).toBeNull();
    expect(detectPage('https://example.com/', doc)).toBeNull();
  });

  it('returns null on empty documents for every site', () => {
    for (const [, url] of FIXTURES) expect(detectPage(url, parse(''))).toBeNull();
  });

  it('survives truncated and shuffled page markup, and whatever it returns is schema-valid', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FIXTURES), fc.nat(), fc.nat(), ([file, url], a, b) => {
        const html = fixtureText(file);
        const cut = html.slice(0, a % html.length) + html.slice(a % html.length + (b % 2000));
        const got = detectPage(url, parse(cut));
        if (got) expect(() => PageContext.parse(got)).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });

  it('ignores hostile attribute values', () => {
    const doc = parse(`<div role="main"><div class="g id"><div class="a98 iY"><h2 class="hP" data-legacy-thread-id="abc">S</h2>
      <div data-message-id="#m1"><h3><span class="gD" email="<script>@x" name="x"></span></h3><span class="hb"><span email="ok@x.example" name="${'n'.repeat(5000)}"></span></span></div></div></div></div>`);
    const got = detectPage('https://mail.google.com/mail/u/0/#inbox/abc', doc)!;
    expect(got.messages[0]!.from).toBeUndefined();
    expect(got.people.map((p) => p.email)).toEqual(['ok@x.example']);
    expect(() => PageContext.parse(got)).not.toThrow();
  });
});

describe('Gmail view choice', () => {
  it('a focused compose popup wins over the open thread; otherwise the thread does', () => {
    const doc = loadFixture('gmail/2023-11-thread.html');
    const mole = doc.createElement('div');
    mole.innerHTML = `<div class="M9" role="dialog"><form><input type="hidden" name="composeid" value="c9"></form>
      <div name="to"><div role="option" data-hovercard-id="new.lead@initech.example" data-name="New Lead"></div></div>
      <input name="subjectbox" value="Hello"></div>`;
    doc.body.append(mole);
    expect(detectPage('https://mail.google.com/mail/u/0/#inbox/x', doc)?.view).toBe('thread');

    document.documentElement.innerHTML = doc.documentElement.innerHTML;
    (document.querySelector('input[name=subjectbox]') as HTMLInputElement).focus();
    const got = detectPage('https://mail.google.com/mail/u/0/#inbox/x', document)!;
    expect(got).toMatchObject({ view: 'compose', key: 'c9', subject: 'Hello', people: [{ email: 'new.lead@initech.example', name: 'New Lead', role: 'to' }] });
    document.documentElement.innerHTML = '';
  });

  it('a list page yields a list context with nobody on it, and no thread or compose', () => {
    const got = detectPage('https://mail.google.com/mail/u/0/#label/Clients%2FBig', loadFixture('gmail/2023-11-list.html'))!;
    expect(got).toMatchObject({ view: 'list', key: 'label/Clients/Big', people: [], messages: [] });
  });

  it('a page still loading (no main area) yields null', () => {
    expect(detectPage('https://mail.google.com/mail/u/0/#inbox', parse('<div class="nH">Loading…</div>'))).toBeNull();
  });
});

describe('Google Calendar reused pop-up', () => {
  it('follows the event the pop-up shows now and never mixes in the previous one', () => {
    const doc = loadFixture('google-calendar/2023-04-event-popup.html');
    const url = 'https://calendar.google.com/calendar/u/0/r/week/2023/4/26';
    const first = detectPage(url, doc)!;
    // Google re-renders the same node for the next event: new id, new heading, new guests.
    const dlg = doc.getElementById('xDetDlg')!;
    const nextId = btoa('standup01 jane@acme.io').replace(/=+$/, '');
    dlg.setAttribute('data-eventid', nextId);
    dlg.removeAttribute('jslog');
    dlg.querySelector('[role=heading]')!.textContent = 'Standup';
    dlg.querySelector('#xDetDlgWhen')!.textContent = 'Thursday, April 27⋅9 – 9:15am';
    const visibleGuests = dlg.querySelectorAll('#xDetDlgAtt')[1]!;
    visibleGuests.setAttribute('style', 'display: none');
    const fresh = doc.createElement('div');
    fresh.id = 'xDetDlgAtt';
    fresh.innerHTML = '<div data-email="teammate@acme.io"><span>Team Mate</span></div>';
    dlg.append(fresh);

    const next = detectPage(url, doc)!;
    expect(first.key).not.toBe(next.key);
    expect(next).toMatchObject({ key: nextId, subject: 'Standup', start: new Date(2023, 3, 27, 9, 0).getTime(), end: new Date(2023, 3, 27, 9, 15).getTime() });
    expect(next.people.map((p) => p.email)).toEqual(['teammate@acme.io']);
  });

  it('the grid alone (no pop-up, no event page) yields null', () => {
    const doc = loadFixture('google-calendar/2023-04-event-popup.html');
    doc.querySelector('[data-chips-dialog]')!.remove();
    expect(detectPage('https://calendar.google.com/calendar/u/0/r/week/2023/4/26', doc)).toBeNull();
  });
});

describe('Outlook', () => {
  it('reads the self address from the folder-pane root, and the URL id when no row is selected', () => {
    const doc = loadFixture('outlook/2025-11-reading-pane.html');
    doc.querySelector('[aria-selected=true]')!.setAttribute('aria-selected', 'false');
    const got = detectPage('https://outlook.office.com/mail/inbox/id/AAQkURL%2Bid%3D', doc)!;
    expect(got.key).toBe('AAQkURL+id=');
    expect(got.people.filter((p) => p.self).map((p) => p.email)).toEqual(['jane.doe@contoso.example']);
  });

  it('an Outlook calendar grid without an open event yields null', () => {
    const doc = loadFixture('outlook-calendar/2025-11-event.html');
    doc.querySelector('[data-app-section=ReadingPane]')!.remove();
    expect(detectPage('https://outlook.office.com/calendar/view/week', doc)).toBeNull();
  });
});

it('every fixture result is a valid PageContext', () => {
  for (const [file, url] of FIXTURES) expect(() => PageContext.parse(detectPage(url, loadFixture(file)))).not.toThrow();
});
