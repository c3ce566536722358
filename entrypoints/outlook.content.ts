import { mountSite } from '@/lib/inpage';
import { outlookCalendarUi, outlookUi } from '@/lib/inpage/anchors';
import { outlook } from '@/lib/sites/outlook';
import { outlookCalendar } from '@/lib/sites/outlook-calendar';

export default defineContentScript({
  matches: ['https://outlook.office.com/*', 'https://outlook.office365.com/*', 'https://outlook.live.com/*'],
  runAt: 'document_idle',
  main: (ctx) => void mountSite(ctx, [outlook, outlookCalendar], [outlookUi, outlookCalendarUi]),
});
