import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { Info, UserPlus } from 'lucide-react';
import { Badge, Button, EmptyState, ErrorBanner, Loading, cx } from '@/components/ui';
import { notifyStoreChanged } from '@/components/hooks/notify';
import { useSettings } from '@/components/hooks/useStore';
import { contactsByEmails } from '@/lib/db/queries';
import { send } from '@/lib/messaging/client';
import type { Receipt } from '@/lib/messaging/protocol';
import type { PageContext, Person } from '@/lib/model';
import { CreateContactDialog } from './ContactForm';
import { ContactView } from './ContactView';

/**
 * Beside a thread or event: the people on it (never the user), a log button, and the selected
 * person's full contact view.
 */
export function PageView({ context, tabId }: { context: PageContext; tabId?: number }) {
  const settings = useSettings();
  const own = new Set((settings?.selfEmails ?? []).map((e) => e.toLowerCase()));
  const people = dedupe(context.people.filter((p) => !p.self && !own.has(p.email)));
  const emails = people.map((p) => p.email);
  const known = useLiveQuery(() => contactsByEmails(emails), [emails.join(',')]);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState<Person | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [logging, setLogging] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setSelected(null);
    setReceipt(null);
    setError(null);
  }, [context.key]);

  // Default to the first known person, else the first person on the page.
  const current = selected && emails.includes(selected) ? selected : (emails.find((e) => known?.has(e)) ?? emails[0] ?? null);
  const currentContact = current ? known?.get(current) : undefined;
  const noun = context.view === 'event' ? 'event' : 'thread';

  const log = async () => {
    setLogging(true);
    setError(null);
    try {
      setReceipt(await send('logPage', { tabId }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLogging(false);
    }
  };

  return (
    <section aria-label={`This ${noun}`} className="flex flex-col gap-3">
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <p className="text-[11px] tracking-wide text-slate-500 uppercase dark:text-slate-400">
            {context.site} · {context.view}
          </p>
          <h2 className="truncate font-medium" title={context.subject}>
            {context.subject || '(no subject)'}
          </h2>
        </div>
        {context.view !== 'list' && (
          <Button variant="primary" size="sm" busy={logging} onClick={log}>
            Log this {noun}
          </Button>
        )}
      </div>
      {context.inPageUi === false && (
        <p role="note" className="flex items-start gap-1.5 rounded-md bg-slate-100 p-2 text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          <Info aria-hidden="true" className="mt-px size-3.5 shrink-0" />
          In-page capture is limited on this page (Threadline could not place its buttons), but logging from this panel works.
        </p>
      )}
      {receipt && (
        <p role="status" className="rounded-md bg-green-50 p-2 text-xs text-green-900 dark:bg-green-950/50 dark:text-green-200">
          Logged: {receipt.added} new, {receipt.existing} already logged
          {receipt.contactsCreated ? `, ${receipt.contactsCreated} contact${receipt.contactsCreated === 1 ? '' : 's'} created` : ''}
          {receipt.skipped.length ? `; skipped ${receipt.skipped.map((s) => s.email).join(', ')}` : ''}.
        </p>
      )}
      {error && <ErrorBanner onRetry={log} onDismiss={() => setError(null)}>{error}</ErrorBanner>}
      {people.length === 0 ? (
        <EmptyState title="No one but you here">Threadline shows the other people on a thread or event.</EmptyState>
      ) : known === undefined ? (
        <Loading label="Looking up people…" />
      ) : (
        <ul aria-label="People on this page" className="flex flex-wrap gap-1">
          {people.map((p) => {
            const c = known.get(p.email);
            const active = p.email === current;
            return (
              <li key={p.email}>
                <button
                  type="button"
                  aria-pressed={active}
                  onClick={() => setSelected(p.email)}
                  title={p.email}
                  className={cx(
                    'flex max-w-[16rem] items-center gap-1 rounded-full border px-2 py-0.5 text-xs focus-visible:outline-2 focus-visible:outline-blue-600',
                    active ? 'border-blue-600 bg-blue-50 text-blue-900 dark:border-blue-400 dark:bg-blue-950 dark:text-blue-100' : 'border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800',
                  )}
                >
                  <span className="truncate">{c?.name ?? p.name ?? p.email}</span>
                  {!c && <Badge tone="amber">new</Badge>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {current && known && (currentContact ? (
        <ContactView key={currentContact.id} contactId={currentContact.id} initial={currentContact} sourceUrl={context.url} />
      ) : (
        <UnknownPerson person={people.find((p) => p.email === current)!} onCreate={setCreating} />
      ))}
      {creating && (
        <CreateContactDialog
          person={creating}
          site={context.site}
          onClose={() => setCreating(null)}
          onCreated={() => {
            void notifyStoreChanged(['contacts']);
            setSelected(creating.email);
            setCreating(null);
          }}
        />
      )}
    </section>
  );
}

function UnknownPerson({ person, onCreate }: { person: Person; onCreate: (p: Person) => void }) {
  return (
    <EmptyState
      title={person.name ? `${person.name} is not in Threadline yet` : `${person.email} is not in Threadline yet`}
      action={
        <Button size="sm" icon={<UserPlus aria-hidden="true" className="size-3.5" />} onClick={() => onCreate(person)}>
          Create contact
        </Button>
      }
    >
      {person.name && <p>{person.email}</p>}
      <p>Log the {`page`} to add everyone, or create just this contact.</p>
    </EmptyState>
  );
}

function dedupe(people: Person[]): Person[] {
  const seen = new Map<string, Person>();
  for (const p of people) if (!seen.has(p.email) || (!seen.get(p.email)!.name && p.name)) seen.set(p.email, p);
  return [...seen.values()];
}
