import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isEmail, PageContext, type Person } from '@/lib/model';
import { gmail } from '@/lib/sites/gmail';
import { googleCalendar } from '@/lib/sites/google-calendar';
import { outlook } from '@/lib/sites/outlook';
import { outlookCalendar } from '@/lib/sites/outlook-calendar';
import type { SiteDetector } from '@/lib/sites';
import { fixtureText } from './load';

/**
 * Property tests for the four detectors (issue #7). A hostile sender controls a message body,
 * an event description or a forwarded quote, and Gmail/OWA keep a good part of its markup.
 * Whatever lands there, the detector must not throw, must report only valid addresses, and
 * must take people only from header and participant nodes: body markup, however much it
 * looks like a header, changes nobody on the page.
 *
 * Every generated address or name carries MARK, so a leak is visible by substring.
 * The detectors are called directly (not through detectPage, whose try/catch would hide a throw).
 */

const MARK = 'zqxleak';

interface Case {
  site: SiteDetector;
  file: string;
  url: string;
  /** Where a hostile sender's content ends up in this fixture. */
  bodies: string;
}

const CASES: Case[] = [
  { site: gmail, file: 'gmail/2023-11-thread.html', url: 'https://mail.google.com/mail/u/0/#inbox/FMfcgzGwHfkx', bodies: 'div.a3s, .gmail_quote, blockquote' },
  { site: gmail, file: 'gmail/2023-11-inline-reply.html', url: 'https://mail.google.com/mail/u/0/#inbox/FMfcgzInline', bodies: 'div.a3s' },
  { site: outlook, file: 'outlook/2025-11-reading-pane.html', url: 'https://outlook.office.com/mail/inbox/id/AAQkProp', bodies: '[role=document], [id^=UniqueMessageBody], blockquote, #divRplyFwdMsg' },
  { site: outlookCalendar, file: 'outlook-calendar/2025-11-event.html', url: 'https://outlook.office.com/calendar/item/AAMkProp', bodies: '[role=document], blockquote' },
  { site: googleCalendar, file: 'google-calendar/2023-04-event-popup.html', url: 'https://calendar.google.com/calendar/u/0/r/week/2023/4/26', bodies: '#xDetDlgDesc' },
];

// ——— generators: markup built from the very hooks the detectors look for ———

const HOOK_ATTRS = [
  'email', 'name', 'data-email', 'data-name', 'data-hovercard-id', 'title', 'aria-label', 'class', 'role', 'data-testid',
  'contenteditable', 'data-message-id', 'data-legacy-message-id', 'data-legacy-thread-id', 'data-eventid', 'data-itemid',
  'id', 'type', 'value', 'jslog', 'datetime', 'aria-selected', 'data-convid', 'href', 'onerror', 'onload', 'style', 'dir',
] as const;

const HOOK_VALUES = [
  'gD', 'g2', 'hb', 'ajC', 'g3', 'a3s', 'ii gt', 'hP', 'adn', 'zF', 'M9', 'adB', 'aVla3', 'toUqff', 'individualText-1', 'textContainer-1',
  'option', 'heading', 'listitem', 'main', 'dialog', 'document', 'textbox', 'treeitem', 'button', 'list',
  'ToRecipientWell', 'CcRecipientWell', 'BccRecipientWell', 'OrganizerPersona', 'organizer', 'xDetDlgAtt', 'xDetDlg', 'xDetDlgWhen',
  'primaryMailboxRoot_x', 'MailList', 'true', 'hidden', 'to', 'cc', 'bcc', 'composeid', 'subjectbox', '#msg-f:1', 'rtl',
];

/** Values that would become people if read: every one carries MARK. */
const markedValue = fc.oneof(
  fc.constantFrom(
    `${MARK}@leak.example`,
    `${MARK.toUpperCase()}@Leak.Example`,
    `mailto:${MARK}@leak.example`,
    `${MARK} Eve <eve.${MARK}@leak.example>`,
    `"${MARK}, Eve" <eve.${MARK}@leak.example>`,
    `To: ${MARK}@leak.example`,
    `${MARK}@leak.example, second.${MARK}@leak.example; third.${MARK}@leak.example`,
    `Eve ${MARK}`,
    `\u202e${MARK}@leak.example\u202c`,
    `&lt;${MARK}@leak.example&gt;`,
  ),
  fc.tuple(fc.stringMatching(/^[a-z0-9._+-]{1,10}$/), fc.constantFrom('leak.example', 'x.io', 'a-b.co.uk')).map(([l, d]) => `${l}.${MARK}@${d}`),
);

/** Script and markup a hostile sender tries: inert text here, but it must stay so. */
const hostileValue = fc.constantFrom(
  `<img src=x onerror="window.__pwned=1">`,
  `"><svg onload=alert(1)>`,
  `<script>window.__pwned=1</script>`,
  'javascript:window.__pwned=1',
  '\u202egnp.exe',
  'x'.repeat(5000),
  '',
  '"',
  '<',
  '@',
  '@@',
  'a@b',
  'undefined',
);

const anyValue = fc.oneof(
  { weight: 3, arbitrary: markedValue },
  { weight: 2, arbitrary: hostileValue },
  { weight: 3, arbitrary: fc.constantFrom(...HOOK_VALUES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

/**
 * Hand-made look-alikes of each site's header and participant markup, marked: the random
 * generator alone would rarely assemble one that the detectors' selectors match exactly.
 */
const lookalike = fc.constantFrom(
  // Gmail: sender and recipient lines, a whole nested message, compose forms and chips.
  `<span class="gD" email="${MARK}@leak.example" name="${MARK} Eve">${MARK} Eve</span>`,
  `<span class="hb">to <span class="g2" email="to.${MARK}@leak.example" name="${MARK}">x</span></span>`,
  `<div class="ajC"><span email="cc.${MARK}@leak.example">x</span></div>`,
  `<div role="listitem"><div class="adn" data-message-id="#msg-f:9" data-legacy-message-id="9"><h3><span class="gD" email="nested.${MARK}@leak.example">N</span></h3></div></div>`,
  `<form><input type="hidden" name="composeid" value="c-${MARK}"><input type="hidden" name="to" value="${MARK} <form.${MARK}@leak.example>"></form>`,
  `<div class="M9" role="dialog"><form><input name="subjectbox" value="${MARK}"></form><div name="to"><div role="option" data-hovercard-id="chip.${MARK}@leak.example" data-name="${MARK}"></div></div></div>`,
  `<div class="ip adB"><form><input type="hidden" name="composeid" value="r1"></form><div name="cc"><div role="option" data-hovercard-id="reply.${MARK}@leak.example"></div></div></div>`,
  `<div class="az9"><span email="az9.${MARK}@leak.example" data-hovercard-id="az9.${MARK}@leak.example">x</span></div>`,
  `<a href="https://accounts.google.com/SignOutOptions" aria-label="Google Account: ${MARK} (acct.${MARK}@leak.example)">a</a>`,
  // Outlook: recipient wells, persona attributes, a message block, compose wells, the mailbox root.
  `<div data-testid="ToRecipientWell"><span title="${MARK} <well.${MARK}@leak.example>">${MARK}</span></div>`,
  `<div data-testid="CcRecipientWell">${MARK} &lt;cc.${MARK}@leak.example&gt;</div>`,
  `<div class="aVla3"><div role="button" title="${MARK} <owa.${MARK}@leak.example>"><span>${MARK}</span></div></div>`,
  `<div contenteditable="true"><span class="individualText-1">${MARK} &lt;editable.${MARK}@leak.example&gt;</span></div>`,
  `<div id="primaryMailboxRoot_x" data-folder-name="self.${MARK}@leak.example"></div>`,
  `<div role="option" aria-selected="true" data-convid="conv-${MARK}"></div>`,
  // Calendars: a guest list, guests of another event render, the organizer persona.
  `<div id="xDetDlgAtt"><div data-email="guest.${MARK}@leak.example" data-hovercard-id="guest.${MARK}@leak.example"><span>${MARK}</span></div></div>`,
  `<div data-eventid="ZXZ0IHg"><div data-email="evt.${MARK}@leak.example"><span>${MARK}</span></div></div>`,
  `<div data-testid="OrganizerPersona"><div role="button" title="${MARK} <org.${MARK}@leak.example>"><span>${MARK}</span></div></div>`,
  `<div role="listitem"><div role="button" aria-label="${MARK} att.${MARK}@leak.example, Accepted"><span>${MARK}</span></div></div>`,
);

const TAGS = ['div', 'span', 'a', 'p', 'h2', 'h3', 'form', 'input', 'table', 'tr', 'td', 'button', 'img', 'blockquote', 'time', 'ul', 'li', 'textarea', 'svg'] as const;

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const attrs = fc.array(fc.tuple(fc.constantFrom(...HOOK_ATTRS), anyValue), { maxLength: 5 }).map((as) => as.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join(''));

/** A random fragment of markup: text (marked or hostile, sometimes raw and unescaped) and hook-laden elements. */
const { fragment } = fc.letrec<{ fragment: string; node: string }>((tie) => ({
  fragment: fc.array(tie('node'), { maxLength: 4 }).map((ns) => ns.join('')),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyValue.map(escapeText),
    lookalike,
    // Raw markup a lax renderer might leave: parsed as HTML, so it becomes elements too.
    hostileValue,
    fc.tuple(fc.constantFrom(...TAGS), attrs, tie('fragment')).map(([t, a, inner]) => `<${t}${a}>${inner}</${t}>`),
  ),
}));

// ——— helpers ———

const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html');

function run(c: Case, doc: Document): PageContext | null {
  return c.site.detect(new URL(c.url), doc);
}

/** Everyone a context names: the page's people and each message's sender and recipients. */
function everyone(ctx: PageContext | null): Person[] {
  if (!ctx) return [];
  return [...ctx.people, ...ctx.messages.flatMap((m) => [...(m.from ? [m.from] : []), ...m.to])];
}

const summary = (ctx: PageContext | null) => everyone(ctx).map((p) => `${p.role}:${p.email}:${p.name ?? ''}:${p.self ? 'self' : ''}`);

function expectSane(ctx: PageContext | null): void {
  if (!ctx) return;
  for (const p of everyone(ctx)) {
    expect(isEmail(p.email), p.email).toBe(true);
    expect(p.email).toBe(p.email.trim().toLowerCase());
    if (p.name !== undefined) expect(p.name.length).toBeLessThanOrEqual(200);
  }
  expect(() => PageContext.parse(ctx)).not.toThrow();
}

// PROP_RUNS=500 for a deeper search; the default keeps the file under ~15 s on a shared 2-core box.
const RUNS = Number(process.env.PROP_RUNS ?? 40);
// Deep runs on a busy machine outlast vitest's default 20 s per test.
const TIMEOUT = Math.max(20_000, RUNS * 300);

describe.each(CASES)('$site.id detector on $file', (c) => {
  const html = fixtureText(c.file);
  const pristine = run(c, parse(html));

  it('finds people in the untouched fixture (the baseline the properties compare with)', () => {
    expect(pristine).not.toBeNull();
    expect(everyone(pristine).length).toBeGreaterThan(0);
    expect(summary(pristine).join('\n')).not.toContain(MARK);
    expect(parse(html).querySelectorAll(c.bodies).length).toBeGreaterThan(0);
  });

  it('hostile markup in bodies, quotes and descriptions never throws and never changes the people', () => {
    fc.assert(
      fc.property(fc.array(fragment, { minLength: 1, maxLength: 3 }), fc.boolean(), (frags, prepend) => {
        const doc = parse(html);
        const bodies = [...doc.querySelectorAll(c.bodies)];
        bodies.forEach((b, i) => {
          // Test code builds the hostile page; Threadline itself never assigns markup.
          const extra = frags[i % frags.length]!;
          b.innerHTML = prepend ? extra + b.innerHTML : b.innerHTML + extra;
        });
        const got = run(c, doc);
        expectSane(got);
        const people = summary(got);
        expect(people.join('\n')).not.toMatch(new RegExp(MARK, 'i'));
        expect(people).toEqual(summary(pristine));
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('random values in the header and participant attributes never throw and yield only valid addresses', () => {
    const doc0 = parse(html);
    const hooks = [...doc0.querySelectorAll('[email], [name], [data-email], [data-hovercard-id], [data-name], [title], [aria-label], [role=heading], .g3, time')];
    expect(hooks.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('email', 'name', 'data-email', 'data-hovercard-id', 'data-name', 'title', 'aria-label', 'datetime'), anyValue, fc.option(anyValue)), { minLength: 1, maxLength: 8 }),
        (edits) => {
          const doc = parse(html);
          const els = [...doc.querySelectorAll('[email], [name], [data-email], [data-hovercard-id], [data-name], [title], [aria-label], [role=heading], .g3, time')];
          for (const [i, attr, value, text] of edits) {
            const el = els[i % els.length]!;
            el.setAttribute(attr, value);
            if (text !== null) el.textContent = text;
          }
          expectSane(run(c, doc));
        },
      ),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

describe('random documents from the hooks alone', () => {
  it('never throw and never yield an invalid address, on any site', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES), fragment, fragment, (c, head, body) => {
        const doc = parse(`<!doctype html><title>${escapeText(head)}</title><body><div role="main">${head}<div class="g id"><div class="a98 iY">${body}</div></div></div></body>`);
        expectSane(run(c, doc));
      }),
      { numRuns: 150 },
    );
  });
});
