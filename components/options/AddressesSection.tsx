import type { Settings } from '@/lib/model';
import { ErrorBanner } from '@/components/ui';
import { ListEditor } from './ListEditor';
import { parseDomain, parseEmail } from './parsers';
import { Section } from './Section';
import { useSaveSettings } from './useSaveSettings';

export function AddressesSection({ settings }: { settings: Settings }) {
  const { save, error, clearError } = useSaveSettings();
  return (
    <Section id="addresses" title="You and your team" description="Threadline never logs you or your colleagues as contacts; it uses these to tell inbound from outbound mail.">
      {error && <ErrorBanner onDismiss={clearError}>{error}</ErrorBanner>}
      <ListEditor
        label="Your own addresses"
        hint="Every address you send from, aliases included."
        noun="address"
        placeholder="you@company.com"
        items={settings.selfEmails}
        parse={parseEmail}
        onChange={(selfEmails) => save({ selfEmails })}
      />
      <ListEditor
        label="Internal domains"
        hint="Colleagues at these domains (and their subdomains) are never logged."
        noun="domain"
        placeholder="company.com"
        items={settings.internalDomains}
        parse={parseDomain}
        onChange={(internalDomains) => save({ internalDomains })}
      />
    </Section>
  );
}
