export const title = 'side panel: open a contact from a Gmail thread, create a deal, move its stage through the evidence prompt, set a next step, and see Today change';

const THREAD = 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQbfxyzDemoThread';
const DEAL = 'Globex freight pilot';
const STEP = 'Send the pilot contract';

/** `yyyy-mm-dd` of today in the browser's zone (what a date input holds). */
const todayIn = (page) =>
  page.evaluate(() => {
    const d = new Date();
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  });

export default async function (h) {
  const page = await h.newPage(THREAD);
  const tabId = await h.tabIdOf(page);
  await h.waitFor(() => h.sw.evaluate(async (key) => (await chrome.storage.session.get(key))[key] ?? null, `tab:${tabId}`), {
    timeout: 10_000,
    message: 'the thread’s pageContext',
  });

  const panel = await h.openPanel(tabId);
  panel.setDefaultTimeout(10_000);

  // Before: Today as it stands (the nudges may already hold something; we compare, not assume).
  await panel.getByRole('tab', { name: /^Today/ }).click();
  await panel.getByRole('region', { name: /Overdue|Due today/ }).first().or(panel.getByText('Nothing due today')).waitFor();
  const todayBefore = await panel.getByRole('article').allTextContents();
  h.log(`Today before: ${todayBefore.length} item(s)`);
  h.assert(!todayBefore.some((t) => t.includes(STEP)), 'the next step is on Today before it was set');

  // 1. The thread's people, not the user; log the thread from the panel.
  await panel.getByRole('tab', { name: 'Thread' }).click();
  const people = panel.getByRole('list', { name: 'People on this page' });
  await people.waitFor();
  const names = await people.getByRole('button').allTextContents();
  h.log(`people: ${names.join(' | ')}`);
  h.assert(!names.some((n) => n.includes('sam.rivera') || n.includes('Sam Rivera')), `the user is listed among the people: ${names.join(', ')}`);
  await panel.getByRole('button', { name: 'Log this thread' }).click();
  await panel.getByText(/^Logged: [1-9]\d* new/).waitFor();

  // 2. The contact opens from the thread: card and timeline.
  const card = panel.getByRole('region', { name: /^Contact / }).first();
  await card.waitFor();
  const who = (await card.getAttribute('aria-label')).replace(/^Contact /, '');
  h.log(`contact: ${who}`);
  await panel.locator('[data-activity-id]').first().waitFor();

  // 3. Create a deal.
  await panel.getByRole('toolbar', { name: 'Quick actions' }).getByRole('button', { name: 'Create deal' }).click();
  let dialog = panel.getByRole('dialog', { name: 'Create a deal' });
  await dialog.getByLabel('Deal name').fill(DEAL);
  await dialog.getByLabel('Amount').fill('18000');
  await dialog.getByLabel('Next step').fill('Intro call');
  await dialog.getByRole('button', { name: 'Tomorrow' }).click();
  await dialog.getByRole('button', { name: 'Create deal' }).click();
  await dialog.waitFor({ state: 'detached' });
  const deal = panel.getByRole('article', { name: `Deal ${DEAL}` });
  await deal.waitFor();

  // 4. Move it forward: the prompt asks for exactly what the gate says is missing.
  await deal.getByRole('button', { name: 'Move to Discovery' }).click();
  dialog = panel.getByRole('dialog', { name: 'Move to Discovery' });
  await dialog.waitFor();
  const asked = await dialog.getByRole('textbox').evaluateAll((els) => els.map((e) => e.labels?.[0]?.textContent ?? ''));
  h.log(`evidence prompt asks: ${asked.join(' | ')}`);
  h.assert(asked.includes('Evidence: Need') && asked.includes('Next step'), `the prompt asked for ${asked.join(', ')}`);
  h.assert(!asked.some((a) => /Budget|Authority|Timeline/.test(a)), `the prompt asked for evidence Discovery does not need: ${asked.join(', ')}`);
  // Submitting without the evidence is refused in the form.
  await dialog.getByRole('button', { name: 'Move to Discovery' }).click();
  await dialog.getByText('Evidence of need is required for Discovery.').waitFor();
  await dialog.getByLabel('Evidence: Need').fill('Manual tracking costs 2 FTE; pilot on 3 lanes');
  await dialog.getByLabel('Next step').fill('Scope the pilot lanes');
  await dialog.getByRole('button', { name: 'In 3 days' }).click();
  await dialog.getByRole('button', { name: 'Move to Discovery' }).click();
  await dialog.waitFor({ state: 'detached' });
  await deal.getByRole('button', { name: 'Discovery (current stage)' }).waitFor();
  await panel.getByText(`${DEAL}: Lead in → Discovery`).first().waitFor();

  // 5. Set the next step, due today.
  await deal.getByRole('button', { name: 'Change next step' }).click();
  dialog = panel.getByRole('dialog', { name: 'Set next step' });
  await dialog.getByLabel('Next step').fill(STEP);
  await dialog.getByLabel('Due').fill(await todayIn(panel));
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  await deal.getByText(STEP).waitFor();

  // The store agrees with what the panel shows.
  const stored = (await h.dbRows('deals')).find((d) => d.name === DEAL);
  h.assert(stored?.stageId === 'discovery', `deal stage is ${stored?.stageId}`);
  h.assert(stored.evidence?.need?.text?.startsWith('Manual tracking'), 'the need evidence was not stored');
  h.assert(stored.nextStep?.text === STEP, `next step is ${JSON.stringify(stored.nextStep)}`);
  h.assert(stored.stageHistory.map((v) => v.stageId).join('>') === 'lead>discovery', `history ${JSON.stringify(stored.stageHistory)}`);

  // 6. Today changed: the next step is due today, with its actions.
  await panel.getByRole('tab', { name: /^Today/ }).click();
  const item = panel.getByRole('article', { name: `${STEP} (${DEAL})` });
  await item.waitFor();
  const todayAfter = await panel.getByRole('article').allTextContents();
  h.log(`Today after: ${todayAfter.length} item(s)`);
  h.assert(todayAfter.length > todayBefore.filter((t) => !t.includes(DEAL)).length, 'Today did not gain the next step');
  await item.getByRole('button', { name: `Snooze: ${STEP} (${DEAL})` }).waitFor();
  await item.getByRole('button', { name: `Open: ${STEP} (${DEAL})` }).waitFor();

  // Done takes it off the list.
  await item.getByRole('button', { name: `Done: ${STEP} (${DEAL})` }).click();
  await item.waitFor({ state: 'detached' });
  const task = (await h.dbRows('tasks')).find((t) => t.title === `${STEP} (${DEAL})`);
  h.assert(task?.status === 'done', `the task is ${task?.status}`);

  await panel.close();
  await page.close();
}
