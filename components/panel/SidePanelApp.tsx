import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ArrowLeft } from 'lucide-react';
import { Button, Loading, TabPanel, Tabs, type TabItem } from '@/components/ui';
import { useActiveContext } from '@/components/hooks/useActiveContext';
import { useNow } from '@/components/hooks/useNow';
import { useSlashFocus } from '@/components/hooks/useSlashFocus';
import { db } from '@/lib/db';
import { dueTasks, type SearchHit } from '@/lib/db/queries';
import { endOfDay } from '@/lib/domain/relative-time';
import type { Deal } from '@/lib/model';
import { CompanyView } from './CompanyView';
import { ContactView } from './ContactView';
import { PageView } from './PageView';
import { PipelineView } from './PipelineView';
import { SearchView } from './SearchView';
import { TodayView } from './TodayView';

type TabId = 'page' | 'today' | 'pipeline' | 'search';
type Detail = { kind: 'contact'; id: string } | { kind: 'company'; id: string } | null;

const ID_BASE = 'panel';

/** The side panel (and Firefox sidebar): follows the active tab, else Today, Pipeline and Search. */
export function SidePanelApp() {
  const { context, tabId, loading } = useActiveContext();
  const now = useNow();
  const dueCount = useLiveQuery(async () => (await dueTasks(endOfDay(now))).length, [endOfDay(now)]);
  const [tab, setTab] = useState<TabId>('today');
  const [detail, setDetail] = useState<Detail>(null);
  const [query, setQuery] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const hasPage = Boolean(context && context.view !== 'list');

  // A new thread or event takes over the panel; leaving one falls back to Today.
  const pageKey = hasPage ? context!.key : null;
  useEffect(() => {
    setDetail(null);
    setTab(pageKey ? 'page' : 'today');
  }, [pageKey]);

  useSlashFocus(
    searchRef,
    useCallback(() => {
      setDetail(null);
      setTab('search');
    }, []),
  );

  const openContact = useCallback((id: string) => setDetail({ kind: 'contact', id }), []);
  const openDeal = useCallback((d: Deal) => d.contactIds[0] && setDetail({ kind: 'contact', id: d.contactIds[0] }), []);
  const openHit = useCallback((h: SearchHit) => {
    if (h.kind === 'contact') setDetail({ kind: 'contact', id: h.id });
    else if (h.kind === 'company') setDetail({ kind: 'company', id: h.id });
    else
      void db.deals.get(h.id).then((d) => {
        if (d?.contactIds[0]) setDetail({ kind: 'contact', id: d.contactIds[0] });
      });
  }, []);

  const items: TabItem<TabId>[] = [
    ...(hasPage ? [{ id: 'page' as const, label: context!.view === 'event' ? 'Event' : 'Thread' }] : []),
    { id: 'today', label: 'Today', count: dueCount },
    { id: 'pipeline', label: 'Pipeline' },
    { id: 'search', label: 'Search' },
  ];
  const active = !hasPage && tab === 'page' ? 'today' : tab;

  return (
    <main className="mx-auto flex min-h-screen w-full max-w-[600px] min-w-[320px] flex-col gap-3 p-3 text-sm">
      <header className="flex items-center justify-between gap-2">
        <h1 className="text-base font-semibold text-blue-700 dark:text-blue-400">Threadline</h1>
        {detail && (
          <Button size="sm" variant="ghost" icon={<ArrowLeft aria-hidden="true" className="size-3.5" />} onClick={() => setDetail(null)}>
            Back
          </Button>
        )}
      </header>
      {loading ? (
        <Loading label="Finding the open tab…" />
      ) : detail ? (
        detail.kind === 'contact' ? (
          <ContactView key={detail.id} contactId={detail.id} />
        ) : (
          <CompanyView companyId={detail.id} onOpenContact={openContact} />
        )
      ) : (
        <>
          <Tabs label="Views" idBase={ID_BASE} items={items} value={active} onChange={setTab} />
          <TabPanel idBase={ID_BASE} id={active}>
            {active === 'page' && context && <PageView context={context} tabId={tabId} />}
            {active === 'today' && <TodayView onOpenContact={openContact} />}
            {active === 'pipeline' && <PipelineView onOpenDeal={openDeal} />}
            {active === 'search' && <SearchView query={query} onQuery={setQuery} onOpen={openHit} inputRef={searchRef} />}
          </TabPanel>
        </>
      )}
    </main>
  );
}
