import { startHubSpotFake } from '../../fakes/hubspot/server';

/**
 * The fake HubSpot in its own process for the benchmark, so its work is not billed to the
 * engine's clock (a real CRM runs elsewhere too). Talks to the parent over IPC.
 */
const fake = await startHubSpotFake({ limit: { tokens: Number(process.env.TL_TOKENS ?? 100), windowMs: Number(process.env.TL_WINDOW_MS ?? 10_000) } });
const send = (m: unknown) => process.send?.(m);
send({ type: 'ready', url: fake.url });
process.on('message', (m: { type: string }) => {
  if (m.type === 'stats') send({ type: 'stats', requests: fake.requests, byRoute: Object.fromEntries(fake.byRoute), r429: fake.injected.r429, emails: fake.objects.emails!.size, contacts: fake.objects.contacts!.size });
  if (m.type === 'close') void fake.close().then(() => process.exit(0));
});
