import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { db } from '@/lib/db';
import { contactsByEmails, dueTasks, timelineOf } from '@/lib/db/queries';
import { send } from '@/lib/messaging/client';
import type { Receipt } from '@/lib/messaging/protocol';
import type { Contact, PageContext } from '@/lib/model';
import { useActiveContext } from '@/components/hooks/useActiveContext';

export function SidePanelApp() {
  const { context, tabId, loading } = useActiveContext();
  return (
    <main className="mx-auto flex min-h-screen max-w-[600px] min-w-[320px] flex-col gap-3 p-3 text-sm">
      <header className="flex items-center justify-between">
        <h1 className="text-base font-semibold text-blue-700 dark:text-blue-400">Threadline</h1>
      </header>
      {loading ? <p role="status">Loading…</p> : context ? <PageView context={context} tabId={tabId} /> : <TodayView />}
    </main>
  );
}

function PageView({ context, tabId }: { context: PageContext; tabId?: number }) {
  const emails = context.people.filter((p) => !p.self).map((p) => p.email);
  const known = useLiveQuery(() => contactsByEmails(emails), [emails.join(',')]);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState<string | null>(null);
  const log = async () => {
    setError(null);
    try {
      setReceipt(await send('logPage', { tabId }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section aria-label="This page" className="flex flex-col gap-3">
      <div>
        <p className="text-xs uppercase tracking-wide text-slate-500">{context.site} · {context.view}</p>
        <h2 className="font-medium">{context.subject || '(no subject)'}</h2>
      </div>
      <button type="button" onClick={log} className="self-start rounded bg-blue-600 px-3 py-1.5 font-medium text-white hover:bg-blue-700">
        Log this {context.view === 'event' ? 'event' : 'thread'}
      </button>
      {receipt && <p role="status">Logged: {receipt.added} new, {receipt.existing} already logged.</p>}
      {error && <p role="alert" className="text-red-700 dark:text-red-400">{error}</p>}
      <ul className="flex flex-col gap-2" aria-label="People on this page">
        {emails.length === 0 && <li className="text-slate-500">No one but you on this page.</li>}
        {emails.map((email) => {
          const c = known?.get(email);
          return <li key={email}>{c ? <ContactSummary contact={c} /> : <UnknownPerson email={email} />}</li>;
        })}
      </ul>
    </section>
  );
}

function UnknownPerson({ email }: { email: string }) {
  return (
    <div className="rounded border border-dashed border-slate-300 p-2 dark:border-slate-700">
      <p>{email}</p>
      <p className="text-xs text-slate-500">Not in Threadline yet. Log the page to add them.</p>
    </div>
  );
}

function ContactSummary({ contact }: { contact: Contact }) {
  const page = useLiveQuery(() => timelineOf(contact.id, { limit: 20 }), [contact.id]);
  return (
    <article className="rounded border border-slate-200 p-2 dark:border-slate-800" aria-label={`Contact ${contact.name ?? contact.emails[0]}`}>
      <h3 className="font-medium">{contact.name ?? contact.emails[0]}</h3>
      <p className="text-xs text-slate-500">{contact.emails.join(', ')} · {contact.lifecycleStage ?? 'no stage'}</p>
      <ol aria-label="Timeline" className="mt-2 flex flex-col gap-1">
        {page === undefined && <li role="status">Loading timeline…</li>}
        {page?.items.length === 0 && <li className="text-slate-500">No activity yet.</li>}
        {page?.items.map((a) => (
          <li key={a.id} data-activity-id={a.id} className="text-xs">
            <span className="font-medium">{a.kind}</span> {a.subject ?? ''}
            <span className="text-slate-500"> · {new Date(a.occurredAt).toLocaleString()}</span>
          </li>
        ))}
      </ol>
    </article>
  );
}

function TodayView() {
  const tasks = useLiveQuery(() => dueTasks(Date.now() + 24 * 3600_000), []);
  const contacts = useLiveQuery(() => db.contacts.count(), []);
  return (
    <section aria-label="Today" className="flex flex-col gap-2">
      <h2 className="font-medium">Today</h2>
      {tasks === undefined ? (
        <p role="status">Loading…</p>
      ) : tasks.length === 0 ? (
        <p className="text-slate-500">Nothing needs you today. Open a thread or event to see who is on it{contacts ? ` (${contacts} contacts stored)` : ''}.</p>
      ) : (
        <ul>
          {tasks.map((t) => (
            <li key={t.id}>{t.title}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
