import type { Settings } from '@/lib/model';
import { ErrorBanner } from '@/components/ui';
import { ListEditor } from './ListEditor';
import { parseDomain, parseEmail } from './parsers';
import { Section } from './Section';
import { useSaveSettings } from './useSaveSettings';

export function NeverLogSection({ settings }: { settings: Settings }) {
  const { save, error, clearError } = useSaveSettings();
  return (
    <Section id="never-log" title="Never log" description="People you must not record: your doctor, your lawyer, a personal friend. Threadline skips them on every page and refuses them in imports.">
      {error && <ErrorBanner onDismiss={clearError}>{error}</ErrorBanner>}
      <ListEditor
        label="Never-log addresses"
        noun="address"
        placeholder="someone@example.com"
        items={settings.neverLogEmails}
        parse={parseEmail}
        onChange={(neverLogEmails) => save({ neverLogEmails })}
      />
      <ListEditor
        label="Never-log domains"
        hint="Everyone at these domains and their subdomains."
        noun="domain"
        placeholder="example.org"
        items={settings.neverLogDomains}
        parse={parseDomain}
        onChange={(neverLogDomains) => save({ neverLogDomains })}
      />
    </Section>
  );
}
