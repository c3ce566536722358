import { useState } from 'react';
import type { Settings } from '@/lib/model';
import { ErrorBanner } from '@/components/ui';
import { PrivacyChoice } from './PrivacyChoice';
import { SavedNote, Section } from './Section';
import { useSaveSettings } from './useSaveSettings';

export function PrivacySection({ settings }: { settings: Settings }) {
  const { save, error, clearError } = useSaveSettings();
  const [saved, setSaved] = useState(false);
  return (
    <Section
      id="privacy"
      title="What a log stores"
      description="Everything stays in this browser unless you connect a CRM, which then receives what a log stores. Changing the level affects new logs only; what is already stored stays as it was."
    >
      {error && <ErrorBanner onDismiss={clearError}>{error}</ErrorBanner>}
      <PrivacyChoice value={settings.privacy} onChange={async (privacy) => setSaved(await save({ privacy }))} />
      <SavedNote show={saved} />
    </Section>
  );
}
