import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { OptionsApp } from '@/components/options/OptionsApp';
import { db } from '@/lib/db';
import { saveSettings } from '@/lib/db/mutations';
import { getSettings } from '@/lib/db/queries';
import './helpers';

describe('OptionsApp', () => {
  it('shows the first-run setup until onboarded, and finishing stores address and privacy', async () => {
    render(<OptionsApp />);
    expect(await screen.findByRole('heading', { name: 'Welcome to Threadline' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: '3. A CRM (optional)' })).toBeTruthy();
    expect(screen.getByText('Local-only works at once. Connect a CRM now or any time later.')).toBeTruthy();
    // The default pipeline exists even if the background never ran.
    await waitFor(async () => expect(await db.pipelines.count()).toBe(1));

    fireEvent.change(screen.getByLabelText('Your work email'), { target: { value: 'not an address' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start using Threadline' }));
    expect(await screen.findByText(/Enter an email address like/)).toBeTruthy();
    expect((await getSettings()).onboarded).toBe(false);

    fireEvent.change(screen.getByLabelText('Your work email'), { target: { value: ' Me@Acme.example ' } });
    fireEvent.click(screen.getByLabelText(/Metadata only/));
    fireEvent.click(screen.getByRole('button', { name: 'Start using Threadline' }));
    expect(await screen.findByRole('heading', { name: 'Threadline settings' })).toBeTruthy();
    expect(await getSettings()).toMatchObject({ onboarded: true, selfEmails: ['me@acme.example'], privacy: 'metadata' });
  });

  it('lets the user skip setup and keep the defaults', async () => {
    render(<OptionsApp />);
    fireEvent.click(await screen.findByRole('button', { name: 'Skip setup' }));
    await screen.findByRole('heading', { name: 'Threadline settings' });
    expect(await getSettings()).toMatchObject({ onboarded: true, selfEmails: [], privacy: 'snippet' });
  });

  it('shows every section, each reachable from the navigation', async () => {
    await saveSettings({ onboarded: true });
    render(<OptionsApp />);
    const nav = await screen.findByRole('navigation', { name: 'Settings sections' });
    for (const name of ['CRM connection', 'You and your team', 'Never log', 'What a log stores', 'Pipelines and stages', 'Reminders', 'Import', 'Export', 'Storage', 'Reset']) {
      expect(screen.getByRole('region', { name })).toBeTruthy();
    }
    expect(nav.querySelectorAll('a')).toHaveLength(10);
    fireEvent.click(screen.getByRole('link', { name: 'Import' }));
    expect(document.activeElement?.id).toBe('import');
  });
});
