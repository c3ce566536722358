import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { BellPlus, Briefcase, Phone, StickyNote } from 'lucide-react';
import { Button, EmptyState, Loading } from '@/components/ui';
import { useNow } from '@/components/hooks/useNow';
import { useCompany, useContact, usePipelines, useSettings } from '@/components/hooks/useStore';
import { dealsOfContact } from '@/lib/db/queries';
import type { Contact, Deal } from '@/lib/model';
import { ContactCard } from './ContactCard';
import { DealCard } from './DealCard';
import { DealForm } from './DealForm';
import { NextStepDialog } from './NextStepDialog';
import { NoteDialog } from './NoteDialog';
import { Timeline } from './Timeline';

type Dialog = 'note' | 'call' | 'follow_up' | 'deal' | null;

/** Everything about one contact: card, quick actions, deals, timeline. */
export function ContactView({ contactId, sourceUrl, initial }: { contactId: string; sourceUrl?: string; initial?: Contact }) {
  const now = useNow();
  const contact = useContact(contactId, initial);
  const company = useCompany(contact?.companyId);
  const deals = useLiveQuery(() => dealsOfContact(contactId), [contactId]);
  const pipelines = usePipelines();
  const settings = useSettings();
  const [dialog, setDialog] = useState<Dialog>(null);

  if (contact === null) return <EmptyState title="This contact no longer exists">It may have been deleted or merged.</EmptyState>;
  const sorted = sortDeals(deals ?? []);
  const ps = pipelines ?? [];

  // The timeline needs only the id, so it loads alongside the card rather than after it; it keeps
  // its place in the tree so it is not remounted when the card arrives.
  return (
    <div className="flex flex-col gap-3">
      {contact === undefined ? (
        <Loading label="Loading contact…" />
      ) : (
        <>
          <ContactCard contact={contact} deals={sorted} pipelines={ps} now={now} sourceUrl={sourceUrl} />
          <div role="toolbar" aria-label="Quick actions" className="flex flex-wrap gap-1">
            <Button size="sm" icon={<StickyNote aria-hidden="true" className="size-3.5" />} onClick={() => setDialog('note')}>
              Add note
            </Button>
            <Button size="sm" icon={<Phone aria-hidden="true" className="size-3.5" />} onClick={() => setDialog('call')}>
              Log call
            </Button>
            <Button size="sm" icon={<BellPlus aria-hidden="true" className="size-3.5" />} onClick={() => setDialog('follow_up')}>
              Follow-up
            </Button>
            <Button size="sm" icon={<Briefcase aria-hidden="true" className="size-3.5" />} onClick={() => setDialog('deal')}>
              Create deal
            </Button>
          </div>
          <section aria-label="Deals" className="flex flex-col gap-2">
            <h2 className="text-sm font-semibold">Deals</h2>
            {deals === undefined || pipelines === undefined ? (
              <Loading label="Loading deals…" />
            ) : sorted.length === 0 ? (
              <EmptyState title="No deals yet" action={<Button size="sm" variant="primary" onClick={() => setDialog('deal')}>Create deal</Button>} />
            ) : (
              sorted.map((d) => <DealCard key={d.id} deal={d} pipeline={ps.find((p) => p.id === d.pipelineId)} now={now} sourceUrl={sourceUrl} />)
            )}
          </section>
        </>
      )}
      <Timeline contactId={contactId} now={now} />
      {contact && (dialog === 'note' || dialog === 'call') && <NoteDialog kind={dialog} contact={contact} deals={sorted} now={now} onClose={() => setDialog(null)} />}
      {contact && dialog === 'follow_up' && <NextStepDialog target={{ kind: 'follow_up', contact }} now={now} sourceUrl={sourceUrl} onClose={() => setDialog(null)} />}
      {contact && dialog === 'deal' && pipelines && <DealForm contact={contact} company={company} pipelines={pipelines} settings={settings} now={now} sourceUrl={sourceUrl} onClose={() => setDialog(null)} />}
    </div>
  );
}

/** Open deals first, then the most recently changed. */
function sortDeals(deals: Deal[]): Deal[] {
  return [...deals].sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open') || b.updatedAt - a.updatedAt);
}
