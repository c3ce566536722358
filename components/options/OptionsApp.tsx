import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { ensureDefaults } from '@/lib/db/mutations';
import { getSettings } from '@/lib/db/queries';
import { ErrorBanner, Loading, errorText } from '@/components/ui';
// The CRM connection belongs to the sync feature; this page only gives it a section and a first-run step.
import { CrmConnection } from '@/components/sync/CrmConnection';
import { AddressesSection } from './AddressesSection';
import { ExportSection } from './ExportSection';
import { FirstRun } from './FirstRun';
import { ImportSection } from './ImportSection';
import { NeverLogSection } from './NeverLogSection';
import { PipelinesSection } from './PipelinesSection';
import { PrivacySection } from './PrivacySection';
import { RemindersSection } from './RemindersSection';
import { ResetSection } from './ResetSection';
import { Section } from './Section';
import { StorageSection } from './StorageSection';

const NAV = [
  { id: 'crm', label: 'CRM connection' },
  { id: 'addresses', label: 'You and your team' },
  { id: 'never-log', label: 'Never log' },
  { id: 'privacy', label: 'Privacy' },
  { id: 'pipelines', label: 'Pipelines' },
  { id: 'reminders', label: 'Reminders' },
  { id: 'import', label: 'Import' },
  { id: 'export', label: 'Export' },
  { id: 'storage', label: 'Storage' },
  { id: 'reset', label: 'Reset' },
] as const;

export function OptionsApp() {
  const settings = useLiveQuery(getSettings, []);
  const [bootError, setBootError] = useState<string | null>(null);

  // The page may open before the background's install handler ran: make sure a pipeline exists.
  useEffect(() => {
    ensureDefaults().catch((e: unknown) => setBootError(`Threadline could not prepare its database: ${errorText(e)}`));
  }, []);

  if (bootError) return <ErrorBanner className="m-6">{bootError}</ErrorBanner>;
  if (!settings) return <Loading label="Loading settings…" className="m-6" />;
  if (!settings.onboarded) return <FirstRun settings={settings} crm={<CrmConnection />} />;

  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-6 p-4 text-sm md:flex-row md:p-6">
      <nav aria-label="Settings sections" className="md:sticky md:top-6 md:w-48 md:shrink-0 md:self-start">
        <h1 className="mb-3 text-lg font-semibold">Threadline settings</h1>
        <ul className="flex flex-wrap gap-1 md:flex-col">
          {NAV.map((n) => (
            <li key={n.id}>
              <a
                href={`#${n.id}`}
                onClick={(e) => {
                  // Move focus with the scroll, so keyboard users land in the section they chose.
                  e.preventDefault();
                  const el = document.getElementById(n.id);
                  el?.scrollIntoView?.({ block: 'start' });
                  el?.focus({ preventScroll: true });
                  history.replaceState(null, '', `#${n.id}`);
                }}
                className="block rounded-md px-2 py-1 text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:text-slate-300 dark:hover:bg-slate-800"
              >
                {n.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main className="flex min-w-0 flex-1 flex-col gap-5">
        <Section id="crm" title="CRM connection" description="Optional. Threadline is complete on its own; a CRM receives what you log.">
          <CrmConnection />
        </Section>
        <AddressesSection settings={settings} />
        <NeverLogSection settings={settings} />
        <PrivacySection settings={settings} />
        <PipelinesSection />
        <RemindersSection settings={settings} />
        <ImportSection />
        <ExportSection />
        <StorageSection />
        <ResetSection />
      </main>
    </div>
  );
}
