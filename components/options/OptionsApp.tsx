import { useLiveQuery } from 'dexie-react-hooks';
import { getSettings } from '@/lib/db/queries';
import { saveSettings } from '@/lib/db/mutations';
import { PrivacyLevel } from '@/lib/model';

export function OptionsApp() {
  const settings = useLiveQuery(getSettings, []);
  if (!settings) return <p role="status" className="p-4">Loading settings…</p>;
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-4 p-6 text-sm">
      <h1 className="text-lg font-semibold">Threadline settings</h1>
      <label className="flex flex-col gap-1">
        <span className="font-medium">Your own addresses (one per line)</span>
        <textarea
          className="rounded border border-slate-300 p-2 dark:border-slate-700 dark:bg-slate-900"
          defaultValue={settings.selfEmails.join('\n')}
          onBlur={(e) => void saveSettings({ selfEmails: e.target.value.split(/\s+/).filter(Boolean) })}
        />
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">Privacy level</span>
        <select
          className="rounded border border-slate-300 p-2 dark:border-slate-700 dark:bg-slate-900"
          value={settings.privacy}
          onChange={(e) => void saveSettings({ privacy: PrivacyLevel.parse(e.target.value) })}
        >
          <option value="metadata">Metadata only</option>
          <option value="subject">Plus subject</option>
          <option value="snippet">Plus snippet</option>
          <option value="body">Full body</option>
        </select>
      </label>
    </main>
  );
}
