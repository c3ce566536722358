export const title = 'storage in real Chromium: the extension holds unlimitedStorage, finishing setup still asks for persistence, and the options page says the data is kept';

/**
 * The unit tests fake navigator.storage; this is what Chromium itself answers an extension page.
 * The Storage section must agree with navigator.storage.persisted() and the permission read in the same page.
 */
const SAYS = { true: /^Storage: persistent\./, false: /^Storage: kept\. Threadline holds the browser’s unlimited-storage permission/ };

export default async function (h) {
  const page = await h.newPage(h.extUrl('options.html'));
  await page.getByRole('heading', { name: 'Welcome to Threadline' }).waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'Skip setup' }).click();
  await page.getByRole('heading', { name: 'Threadline settings' }).waitFor();

  const section = page.getByRole('region', { name: 'Storage' });
  const status = section.getByRole('status');
  await h.waitFor(async () => !/Checking/.test((await status.textContent()) ?? ''), { message: 'the Storage section to answer' });
  // The manifest asks for it; Chrome documents it as exempting the extension from eviction.
  h.assert(await page.evaluate(() => chrome.permissions.contains({ permissions: ['unlimitedStorage'] })), 'the built extension holds unlimitedStorage');
  const persisted = await page.evaluate(() => navigator.storage.persisted());
  const estimate = await page.evaluate(() => navigator.storage.estimate());
  const text = (await status.textContent()) ?? '';
  h.log('persisted after setup:', persisted, '| usage/quota:', estimate.usage, estimate.quota, '|', text);
  h.assert(SAYS[String(persisted)].test(text), `the page says "${text}" but persisted() is ${persisted}`);
  h.assert(await section.getByText(/^Using .* MB of the .* MB the browser allows this extension\.$/).isVisible(), 'usage against quota is shown');

  // Kept either way, so there is nothing to ask for.
  h.assert((await section.getByRole('button', { name: 'Ask the browser to keep Threadline’s data' }).count()) === 0, 'no ask button while the data is kept');
}
