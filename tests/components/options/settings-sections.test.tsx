import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AddressesSection } from '@/components/options/AddressesSection';
import { NeverLogSection } from '@/components/options/NeverLogSection';
import { PrivacySection } from '@/components/options/PrivacySection';
import { RemindersSection } from '@/components/options/RemindersSection';
import { saveSettings } from '@/lib/db/mutations';
import { getSettings } from '@/lib/db/queries';
import { DEFAULT_SETTINGS, type Settings } from '@/lib/model';
import { useLiveQuery } from 'dexie-react-hooks';
import './helpers';

/** Renders a section the way OptionsApp does: with live settings. */
function Live({ section: S }: { section: (p: { settings: Settings }) => React.ReactNode }) {
  const s = useLiveQuery(getSettings, []);
  return s ? <>{S({ settings: s })}</> : null;
}

describe('AddressesSection', () => {
  it('adds own addresses (several pasted at once), refuses a bad one, removes by button', async () => {
    render(<Live section={(p) => <AddressesSection {...p} />} />);
    const input = await screen.findByLabelText('Your own addresses');
    fireEvent.change(input, { target: { value: 'Me@Acme.example, me.alias@acme.example' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(async () => expect((await getSettings()).selfEmails).toEqual(['me@acme.example', 'me.alias@acme.example']));
    const list = screen.getByRole('list', { name: 'Your own addresses list' });
    expect(within(list).getByText('me@acme.example')).toBeTruthy();

    fireEvent.change(input, { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add address' }));
    expect((await screen.findByRole('alert')).textContent).toBe('"nope": not an email address');
    expect((await getSettings()).selfEmails).toHaveLength(2);

    fireEvent.click(screen.getByRole('button', { name: 'Remove me@acme.example' }));
    await waitFor(async () => expect((await getSettings()).selfEmails).toEqual(['me.alias@acme.example']));
  });

  it('normalises internal domains from "@x", websites and mixed case', async () => {
    render(<Live section={(p) => <AddressesSection {...p} />} />);
    const input = await screen.findByLabelText('Internal domains');
    fireEvent.change(input, { target: { value: '@Acme.example https://www.sub.acme.example/about' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add domain' }));
    await waitFor(async () => expect((await getSettings()).internalDomains).toEqual(['acme.example', 'sub.acme.example']));
  });
});

describe('NeverLogSection', () => {
  it('stores never-log addresses and domains', async () => {
    render(<Live section={(p) => <NeverLogSection {...p} />} />);
    fireEvent.change(await screen.findByLabelText('Never-log addresses'), { target: { value: 'doctor@clinic.example' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add address' }));
    fireEvent.change(screen.getByLabelText('Never-log domains'), { target: { value: 'lawfirm.example' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add domain' }));
    await waitFor(async () => expect(await getSettings()).toMatchObject({ neverLogEmails: ['doctor@clinic.example'], neverLogDomains: ['lawfirm.example'] }));
  });
});

describe('PrivacySection', () => {
  it('explains each level and saves the choice', async () => {
    render(<Live section={(p) => <PrivacySection {...p} />} />);
    const snippet = (await screen.findByLabelText(/recommended/)) as HTMLInputElement;
    expect(snippet.checked).toBe(true);
    expect(screen.getByText(/Stores the whole text of each logged message/)).toBeTruthy();
    fireEvent.click(screen.getByLabelText(/Full message body/));
    await waitFor(async () => expect((await getSettings()).privacy).toBe('body'));
    expect(await screen.findByText('Saved')).toBeTruthy();
  });
});

describe('RemindersSection', () => {
  it('toggles rules, validates day counts, and edits quiet hours, working days and time zone', async () => {
    render(<Live section={(p) => <RemindersSection {...p} />} />);
    fireEvent.click(await screen.findByLabelText(/^Re-engage/, { selector: 'input[type=checkbox]' }));
    await waitFor(async () => expect((await getSettings()).reminders.enabled.reEngage).toBe(false));

    const noReply = screen.getByLabelText('No-reply after (business days)');
    fireEvent.change(noReply, { target: { value: '0' } });
    fireEvent.blur(noReply);
    expect(await screen.findByText('Enter a whole number from 1 to 60.')).toBeTruthy();
    expect((await getSettings()).reminders.noReplyBusinessDays).toBe(DEFAULT_SETTINGS.reminders.noReplyBusinessDays);
    fireEvent.change(noReply, { target: { value: '5' } });
    fireEvent.blur(noReply);
    await waitFor(async () => expect((await getSettings()).reminders.noReplyBusinessDays).toBe(5));

    fireEvent.change(screen.getByLabelText('Quiet from'), { target: { value: '19:30' } });
    await waitFor(async () => expect((await getSettings()).reminders.quietHours).toEqual({ start: '19:30', end: '08:00' }));
    fireEvent.click(screen.getByLabelText(/Hold notifications/));
    await waitFor(async () => expect((await getSettings()).reminders.quietHours).toBeNull());
    expect(screen.queryByLabelText('Quiet from')).toBeNull();

    fireEvent.click(screen.getByLabelText('Saturday'));
    await waitFor(async () => expect((await getSettings()).reminders.workingDays).toEqual([1, 2, 3, 4, 5, 6]));

    const tz = screen.getByLabelText('Time zone');
    fireEvent.change(tz, { target: { value: 'Mars/Olympus' } });
    fireEvent.blur(tz);
    expect(await screen.findByText(/Not a time zone name/)).toBeTruthy();
    fireEvent.change(tz, { target: { value: 'Europe/Berlin' } });
    fireEvent.blur(tz);
    await waitFor(async () => expect((await getSettings()).reminders.timeZone).toBe('Europe/Berlin'));
  });

  it('keeps at least one working day', async () => {
    await saveSettings({ reminders: { ...DEFAULT_SETTINGS.reminders, workingDays: [1] } });
    render(<Live section={(p) => <RemindersSection {...p} />} />);
    fireEvent.click(await screen.findByLabelText('Monday'));
    await new Promise((r) => setTimeout(r, 50));
    expect((await getSettings()).reminders.workingDays).toEqual([1]);
  });
});
