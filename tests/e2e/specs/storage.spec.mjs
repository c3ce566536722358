export const title = 'persistent storage in real Chromium: finishing setup asks for it, and the options page says what the browser answered';

/**
 * The unit tests fake navigator.storage; this is what Chromium itself answers an extension page.
 * The Storage section must agree with navigator.storage.persisted() read in the same page.
 */
const SAYS = { true: /^Storage: persistent\./, false: /^Storage: may be cleared under pressure\./ };

export default async function (h) {
  const page = await h.newPage(h.extUrl('options.html'));
  await page.getByRole('heading', { name: 'Welcome to Threadline' }).waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Skip setup' }).click();
  await page.getByRole('heading', { name: 'Threadline settings' }).waitFor();

  const section = page.getByRole('region', { name: 'Storage' });
  const status = section.getByRole('status');
  await h.waitFor(async () => !/Checking/.test((await status.textContent()) ?? ''), { message: 'the Storage section to answer' });
  const persisted = await page.evaluate(() => navigator.storage.persisted());
  const estimate = await page.evaluate(() => navigator.storage.estimate());
  const text = (await status.textContent()) ?? '';
  h.log('persisted after setup:', persisted, '| usage/quota:', estimate.usage, estimate.quota, '|', text);
  h.assert(SAYS[String(persisted)].test(text), `the page says "${text}" but persisted() is ${persisted}`);
  h.assert(await section.getByText(/^Using .* MB of the .* MB the browser allows this extension\.$/).isVisible(), 'usage against quota is shown');

  const ask = section.getByRole('button', { name: 'Ask the browser to keep Threadline’s data' });
  h.assert((await ask.count()) === (persisted ? 0 : 1), 'the button shows only while storage may be cleared');
  if (!persisted) {
    await ask.click();
    await h.waitFor(async () => (await page.evaluate(() => navigator.storage.persisted())) || (await section.getByText(/The browser said no for now/).count()) > 0, { message: 'an answer to the request' });
    const after = await page.evaluate(() => navigator.storage.persisted());
    h.log('persisted after the button:', after, '|', await status.textContent());
    h.assert(SAYS[String(after)].test((await status.textContent()) ?? ''), 'the page agrees with the browser after asking');
  }
}
