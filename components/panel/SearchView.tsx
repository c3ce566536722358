import { useLiveQuery } from 'dexie-react-hooks';
import { useDeferredValue, type Ref } from 'react';
import { Briefcase, Building2, User } from 'lucide-react';
import { EmptyState, Input, Loading } from '@/components/ui';
import { search, type SearchHit } from '@/lib/db/queries';

const ICON = { contact: User, company: Building2, deal: Briefcase } as const;

/** Contacts, companies and deals by name, email or domain (prefix match on the terms index). */
export function SearchView({ query, onQuery, onOpen, inputRef }: { query: string; onQuery: (q: string) => void; onOpen: (hit: SearchHit) => void; inputRef: Ref<HTMLInputElement> }) {
  const deferred = useDeferredValue(query);
  const hits = useLiveQuery(() => search(deferred, 30), [deferred]);
  return (
    <div className="flex flex-col gap-2">
      <Input ref={inputRef} type="search" label="Search contacts, companies and deals" hideLabel placeholder="Search (press / )" value={query} onChange={(e) => onQuery(e.target.value)} autoComplete="off" />
      {!deferred.trim() ? (
        <p className="text-xs text-slate-500 dark:text-slate-400">Type a name, an email address or a domain.</p>
      ) : hits === undefined ? (
        <Loading label="Searching…" />
      ) : hits.length === 0 ? (
        <EmptyState title={`Nothing matches “${deferred.trim()}”`} />
      ) : (
        <ul aria-label="Search results" className="flex flex-col gap-0.5">
          {hits.map((h) => {
            const Icon = ICON[h.kind];
            return (
              <li key={`${h.kind}:${h.id}`}>
                <button type="button" onClick={() => onOpen(h)} className="flex w-full items-center gap-2 rounded px-2 py-1.5 text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-slate-800">
                  <Icon aria-hidden="true" className="size-4 shrink-0 text-slate-500" />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate text-sm">{h.label}</span>
                    {h.detail && <span className="block truncate text-xs text-slate-500 dark:text-slate-400">{h.detail}</span>}
                  </span>
                  <span className="sr-only">({h.kind})</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
