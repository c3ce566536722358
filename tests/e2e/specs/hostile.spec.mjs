import { ax as axBase } from '../lib/ax.mjs';

export const title = 'hostile thread: script and markup in sender names, subject and body run nothing in the page or the side panel, look-alike buttons log nothing, and the store keeps the strings as inert text';

/**
 * tests/fixtures/pages/gmail/2026-11-hostile-thread.html carries payloads as the text Gmail
 * shows (each would set window.__tlPwned if anything turned it back into HTML), real elements
 * a lax renderer might leave in a body (a javascript: link, a look-alike sender, a compose form),
 * RTL overrides, a 600-character name, a 1,200-character subject, and look-alike
 * "Log to Threadline" buttons in the light DOM. The spec goes through the real surfaces: the
 * in-page button (found in the accessibility tree, since its shadow root is closed), the
 * first-run preview, the side panel, and IndexedDB read raw in the service worker.
 */

const URL = 'https://mail.google.com/mail/u/0/?fixture=2026-11-hostile-thread#inbox/18c0ffee0bad1d00';
const LOG = 'Log to Threadline';
const SELF = 'rep@acme-sales.com';
const DANA = 'dana@hostile-sender.example';
// The display name as stored: every payload character kept as text, the RTL override (U+202E) removed.
const DANA_NAME = 'Dana "><svg onload=window.__tlPwned=1> <img src=x onerror=window.__tlPwned=2>gnp.exe';
const PEOPLE = [DANA, 'longname@hostile-sender.example', 'rtl@hostile-sender.example'];
// Addresses that appear only inside message bodies and quotes: never people.
const BODY_ONLY = ['intruder@evil.example', 'intruder2@evil.example', 'quoted@evil.example'];
const SUBJECT_START = 'Q4 pricing <img src=x onerror=window.__tlPwned=3> <script>window.__tlPwned=4</script> "><svg onload=window.__tlPwned=5> javascript:window.__tlPwned=6 fdp.exe ZZZ';
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const FORBIDDEN_TAGS = ['IMG', 'SVG', 'SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'LINK', 'FORM'];

/**
 * The shared accessibility-tree helper (tests/e2e/lib/ax.mjs), plus every match of a role and
 * name (look-alikes included) and a walk of Threadline's own closed shadow roots over CDP.
 */
async function ax(page) {
  const base = await axBase(page);
  const { cdp } = base;
  const findAll = async (role, name) => {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodes } = await cdp.send('Accessibility.queryAXTree', { backendNodeId: root.backendNodeId, role, accessibleName: name });
    return nodes.filter((n) => !n.ignored && n.backendDOMNodeId).map((n) => n.backendDOMNodeId);
  };
  /** Everything inside Threadline's own (closed) shadow roots: element names, on* attributes, javascript: links, text. */
  const ours = async () => {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const out = { hosts: 0, tags: [], handlers: [], jsLinks: [], text: '' };
    const walk = (n, inside, parentTag) => {
      if (inside && n.nodeType === 1) {
        out.tags.push(n.nodeName);
        const a = n.attributes ?? [];
        for (let i = 0; i < a.length; i += 2) {
          if (/^on/i.test(a[i])) out.handlers.push(`${n.nodeName}[${a[i]}]`);
          if (/^\s*javascript:/i.test(a[i + 1] ?? '')) out.jsLinks.push(`${n.nodeName}[${a[i]}]`);
        }
      }
      if (inside && n.nodeType === 3 && parentTag !== 'STYLE') out.text += `${n.nodeValue}\n`;
      for (const c of n.children ?? []) walk(c, inside, n.nodeName);
      for (const s of n.shadowRoots ?? []) {
        const mine = n.nodeName.startsWith('THREADLINE-');
        if (mine) out.hosts++;
        walk(s, inside || mine, n.nodeName);
      }
    };
    walk(root, false, '');
    return out;
  };
  return { ...base, findAll, ours };
}

export default async function (h) {
  // First install opens the options page; Chrome may put it in whichever blank tab is active,
  // which would cut our navigation short. Let it open first.
  await h.waitFor(() => h.context.pages().some((x) => x.url().includes('/options.html')), { timeout: 5_000, message: 'the first-install options page' }).catch(() => h.log('no options page opened on install'));
  const page = await h.newPage(URL);
  const tabId = await h.tabIdOf(page);
  const a = await ax(page);

  /** Nothing ran in the web page: no payload, no error, no element that was not in the fixture. */
  const pageIsClean = async (when) => {
    const s = await page.evaluate(() => ({
      pwned: window.__tlPwned ?? null,
      errors: window.__tlErrors ?? null,
      lightDomInjected: document.querySelectorAll('img, svg, iframe, object, embed').length,
      scripts: document.scripts.length,
      runtime: typeof globalThis.chrome?.runtime?.sendMessage,
    }));
    h.assert(s.pwned === null, `${when}: a payload ran in the page (window.__tlPwned = ${s.pwned})`);
    h.assert(Array.isArray(s.errors) && s.errors.length === 0, `${when}: errors in the page: ${JSON.stringify(s.errors)}`);
    h.assert(s.lightDomInjected === 0 && s.scripts === 1, `${when}: elements appeared in the page: ${JSON.stringify(s)}`);
    h.assert(s.runtime === 'undefined', `${when}: the page can address the extension (chrome.runtime.sendMessage is ${s.runtime})`);
    const mine = await a.ours();
    const bad = mine.tags.filter((t) => FORBIDDEN_TAGS.includes(t));
    h.assert(bad.length === 0 && mine.handlers.length === 0 && mine.jsLinks.length === 0, `${when}: markup inside Threadline's shadow roots: ${JSON.stringify({ bad, handlers: mine.handlers, jsLinks: mine.jsLinks })}`);
    return mine;
  };

  // 1. Detection: only header people, hostile strings kept as text, bidi overrides gone, lengths capped.
  const ctx = await h.waitFor(
    () => h.sw.evaluate(async (key) => (await chrome.storage.session.get(key))[key] ?? null, `tab:${tabId}`),
    { timeout: 10_000, message: 'the content script to report the hostile thread' },
  );
  const emails = ctx.people.map((p) => p.email);
  h.log('detected', emails, ctx.subject?.length);
  h.assert(ctx.site === 'gmail' && ctx.view === 'thread' && ctx.inPageUi === true, `expected a gmail thread with in-page UI, got ${ctx.site}/${ctx.view}/${ctx.inPageUi}`);
  h.assert(JSON.stringify([...emails].sort()) === JSON.stringify([...PEOPLE, SELF].sort()), `people should come from headers only, got ${emails.join(', ')}`);
  h.assert(ctx.people.find((p) => p.email === DANA)?.name === DANA_NAME, `Dana's name: ${JSON.stringify(ctx.people.find((p) => p.email === DANA)?.name)}`);
  h.assert(ctx.people.every((p) => !BIDI.test(p.email) && !BIDI.test(p.name ?? '') && (p.name ?? '').length <= 200), 'a name or address kept a bidi control or exceeds 200 characters');
  h.assert(ctx.subject.startsWith(SUBJECT_START) && ctx.subject.length === 1000 && !BIDI.test(ctx.subject), `subject: ${JSON.stringify(ctx.subject.slice(0, 160))}… (${ctx.subject.length})`);
  const hosts = await pageIsClean('after detection');
  h.assert(hosts.hosts >= 1, 'no Threadline shadow host in the page');

  // 2. Page scripts cannot see inside our UI: the real button's shadow root is closed, and sits right after the subject.
  const dom = await page.evaluate(() => {
    const real = document.querySelector('h2.hP')?.nextElementSibling;
    return { tag: real?.tagName, closed: real ? real.shadowRoot === null : null, fakeFirst: document.querySelector('threadline-log')?.querySelector('#fake-host-log') !== null };
  });
  h.assert(dom.tag === 'THREADLINE-LOG' && dom.closed === true, `the button after the subject: ${JSON.stringify(dom)}`);

  // 3. Look-alike buttons (page header, fake host, inside the body) are the page's own: clicking them logs nothing.
  for (const sel of ['#fake-log', '#fake-host-log', '.a3s button']) await page.click(sel);
  h.assert((await page.evaluate(() => window.__tlFakeClicked)) === 3, 'the look-alike buttons did not receive the clicks');
  await page.waitForTimeout(1500);
  h.assert((await h.dbRows('activities')).length === 0 && (await h.dbRows('contacts')).length === 0, 'a look-alike button logged something');
  const buttons = await a.findAll('button', LOG);
  const real = [];
  for (const id of buttons) if (await a.call(id, 'function () { return this.getRootNode() instanceof ShadowRoot; }')) real.push(id);
  h.assert(buttons.length === 4 && real.length === 1, `expected 3 look-alikes and 1 real "${LOG}" button, found ${buttons.length} with ${real.length} in a shadow root`);

  // 4. The real button opens the first-run preview, which shows the payloads as text.
  await a.click(real[0]);
  await h.waitFor(async () => (await a.findAll('dialog', 'What Threadline will store')).length > 0, { message: 'the first-run preview' });
  const preview = await pageIsClean('with the preview open');
  for (const literal of ['<img src=x onerror=window.__tlPwned=3>', '<img src=x onerror=window.__tlPwned=7>', DANA]) {
    h.assert(preview.text.includes(literal), `the preview does not show ${JSON.stringify(literal)} as text`);
  }
  for (const e of BODY_ONLY) h.assert(!preview.text.includes(e), `the preview offers ${e}, which is only in a body`);
  const [confirm] = await a.findAll('button', 'Confirm and log');
  await a.click(confirm);

  // 5. Logged.
  const status = await h.waitFor(async () => {
    const s = await a.call(real[0], 'function () { return this.parentNode.querySelector("[role=status]").textContent; }');
    return /^Logged: 2 new/.test(s) ? s : null;
  }, { timeout: 15_000, message: 'the receipt "Logged: 2 new"' });
  h.log(status);
  await pageIsClean('after logging');

  // 6. The store holds the strings as they were shown: plain text, nothing from bodies in people.
  const contacts = await h.dbRows('contacts');
  const stored = contacts.flatMap((c) => c.emails).sort();
  h.assert(JSON.stringify(stored) === JSON.stringify([...PEOPLE].sort()), `contacts: ${stored.join(', ')}`);
  const dana = contacts.find((c) => c.emails.includes(DANA));
  h.assert(dana.name === DANA_NAME, `Dana stored as ${JSON.stringify(dana.name)}`);
  h.assert(contacts.every((c) => typeof c.name === 'string' && c.name.length <= 200 && !BIDI.test(c.name) && !c.name.includes('BODYMARK')), 'a stored name is too long, keeps a bidi control or came from a body');
  const activities = await h.dbRows('activities');
  h.assert(activities.length === 2, `expected 2 activities, got ${activities.length}`);
  for (const act of activities) {
    h.assert(act.subject === ctx.subject, `activity ${act.id} subject differs from the page's text`);
    const msg = ctx.messages.find((m) => act.externalKey === `gmail:${ctx.key}:${m.id}`);
    h.assert(msg && act.snippet === msg.snippet && typeof act.snippet === 'string', `activity ${act.id} snippet is not the page's text`);
    h.assert(act.body === undefined, 'the default privacy level (snippet) stored a body');
    h.assert(!JSON.stringify(act.participants ?? []).match(/evil\.example/), `activity ${act.id} lists a body address as a participant`);
  }
  h.assert(activities.some((x) => x.snippet.startsWith('<img src=x onerror=window.__tlPwned=7> Please review <script>')), 'the snippet lost its literal markup');

  // 7. The side panel renders the same strings as text and runs nothing. Recorders go in before any panel code.
  const panel = await h.context.newPage();
  await panel.addInitScript(() => {
    window.__tlCsp = [];
    window.__tlErrs = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__tlCsp.push(`${e.violatedDirective} ${e.blockedURI}`));
    window.addEventListener('error', (e) => window.__tlErrs.push(String(e.message || e.target?.tagName || 'error')), true);
  });
  await panel.goto(h.extUrl(`sidepanel.html?tabId=${tabId}`), { waitUntil: 'domcontentloaded' });
  await panel.waitForSelector('#root > *', { timeout: 10_000 });
  await h.waitFor(() => panel.evaluate((name) => document.body.textContent.includes(name), DANA_NAME), { message: "Dana's hostile name in the side panel" });
  await panel.waitForSelector(activities.map((x) => `[data-activity-id="${x.id}"]`).join(', '), { timeout: 10_000 });
  const p = await panel.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    return {
      pwned: window.__tlPwned ?? null,
      csp: window.__tlCsp ?? null,
      errors: window.__tlErrs ?? null,
      handlers: all.flatMap((el) => [...el.attributes].filter((x) => /^on/i.test(x.name)).map((x) => `${el.tagName}[${x.name}]`)),
      jsLinks: all.filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? el.getAttribute('src') ?? '')).length,
      inline: [...document.scripts].filter((s) => !s.src.startsWith(location.origin)).length,
      frames: document.querySelectorAll('iframe, object, embed, img[src="x"]').length,
      subjectTitle: document.querySelector('h2[title]')?.getAttribute('title') ?? null,
      text: document.body.textContent,
    };
  });
  h.assert(p.pwned === null, `a payload ran in the side panel (window.__tlPwned = ${p.pwned})`);
  h.assert(Array.isArray(p.csp) && p.csp.length === 0, `CSP violations in the side panel: ${JSON.stringify(p.csp)}`);
  h.assert(Array.isArray(p.errors) && p.errors.length === 0, `errors in the side panel: ${JSON.stringify(p.errors)}`);
  h.assert(p.handlers.length === 0 && p.jsLinks === 0 && p.inline === 0 && p.frames === 0, `markup injected into the side panel: ${JSON.stringify({ handlers: p.handlers, jsLinks: p.jsLinks, inline: p.inline, frames: p.frames })}`);
  h.assert(p.subjectTitle === ctx.subject, 'the panel heading does not carry the subject as text');
  for (const literal of [DANA_NAME, '<img src=x onerror=window.__tlPwned=3>', '<script>window.__tlPwned=4</script>']) {
    h.assert(p.text.includes(literal), `the side panel does not show ${JSON.stringify(literal)} as text`);
  }
  for (const e of BODY_ONLY) h.assert(!p.text.includes(e), `the side panel shows ${e}, which is only in a body`);
  await pageIsClean('after the side panel rendered');

  // 8. The extension as built: no door for pages or other extensions, no remote code.
  const m = await h.sw.evaluate(() => chrome.runtime.getManifest());
  h.assert(!('externally_connectable' in m) && !('web_accessible_resources' in m), 'the built manifest opens a door to web pages');
  const csp = m.content_security_policy?.extension_pages ?? '';
  h.assert(!/unsafe-eval|unsafe-inline|https?:/.test(csp), `the built CSP allows remote or eval'd code: ${csp}`);
  h.assert(!(m.host_permissions ?? []).includes('<all_urls>') && !(m.permissions ?? []).includes('tabs'), 'the built manifest asks for <all_urls> or tabs');
}
