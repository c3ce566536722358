import { mountSite } from '@/lib/inpage';
import { gmailUi } from '@/lib/inpage/anchors';
import { gmail } from '@/lib/sites/gmail';

export default defineContentScript({
  matches: ['https://mail.google.com/*'],
  runAt: 'document_idle',
  main: (ctx) => void mountSite(ctx, [gmail], [gmailUi]),
});
