import { useLiveQuery } from 'dexie-react-hooks';
import { EmptyState, Loading } from '@/components/ui';
import { useCompany } from '@/components/hooks/useStore';
import { db } from '@/lib/db';

/** A company's people, to pick one. */
export function CompanyView({ companyId, onOpenContact }: { companyId: string; onOpenContact: (id: string) => void }) {
  const company = useCompany(companyId);
  const contacts = useLiveQuery(async () => (await db.contacts.where('companyId').equals(companyId).limit(500).toArray()).filter((c) => !c.deletedAt), [companyId]);
  if (company === undefined || contacts === undefined) return <Loading label="Loading company…" />;
  if (company === null) return <EmptyState title="This company no longer exists" />;
  return (
    <section aria-label={`Company ${company.name ?? company.domain}`} className="flex flex-col gap-2">
      <h2 className="text-base font-semibold">{company.name ?? company.domain}</h2>
      <p className="text-xs text-slate-500 dark:text-slate-400">{company.domain}</p>
      {contacts.length === 0 ? (
        <EmptyState title="No contacts at this company yet" />
      ) : (
        <ul aria-label="People" className="flex flex-col gap-0.5">
          {contacts.map((c) => (
            <li key={c.id}>
              <button type="button" onClick={() => onOpenContact(c.id)} className="w-full rounded px-2 py-1 text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-slate-800">
                <span className="block text-sm">{c.name ?? c.emails[0]}</span>
                <span className="block text-xs text-slate-500 dark:text-slate-400">{c.emails[0]}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
