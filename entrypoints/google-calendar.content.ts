import { mountSite } from '@/lib/inpage';
import { googleCalendarUi } from '@/lib/inpage/anchors';
import { googleCalendar } from '@/lib/sites/google-calendar';

export default defineContentScript({
  matches: ['https://calendar.google.com/*'],
  runAt: 'document_idle',
  main: (ctx) => void mountSite(ctx, [googleCalendar], [googleCalendarUi]),
});
