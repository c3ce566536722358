import { mountSite } from '@/lib/inpage';

export default defineContentScript({
  matches: ['https://mail.google.com/*'],
  runAt: 'document_idle',
  main: (ctx) => mountSite(ctx),
});
