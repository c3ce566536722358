import { useLiveQuery } from 'dexie-react-hooks';
import { useRef, useState } from 'react';
import { Badge, Button, Dialog, ErrorBanner, FormDialog, Input, Loading, Select } from '@/components/ui';
import { useAction } from '@/components/hooks/useAction';
import { updateContact } from '@/lib/db/mutations';
import { ContactStatus, LifecycleStage, isEmail, type Contact, type SiteId } from '@/lib/model';
import { addAddressTo, createContactFromPerson } from './actions';
import { findDuplicates } from './duplicates';
import { LEAD_SOURCES, LIFECYCLE_LABEL } from './labels';

function LifecycleSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <Select label="Lifecycle stage" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Not set</option>
      {LifecycleStage.options.map((s) => (
        <option key={s} value={s}>
          {LIFECYCLE_LABEL[s]}
        </option>
      ))}
    </Select>
  );
}

export function LeadSourceSelect({ value, onChange, label = 'Lead source' }: { value: string; onChange: (v: string) => void; label?: string }) {
  return (
    <Select label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">Unknown</option>
      {[...new Set([...LEAD_SOURCES, ...(value ? [value] : [])])].map((s) => (
        <option key={s} value={s}>
          {s}
        </option>
      ))}
    </Select>
  );
}

/** Edits a contact's own fields; emails are one per line or comma-separated. */
export function EditContactDialog({ contact, onClose }: { contact: Contact; onClose: () => void }) {
  const [name, setName] = useState(contact.name ?? '');
  const [emails, setEmails] = useState(contact.emails.join(', '));
  const [title, setTitle] = useState(contact.title ?? '');
  const [phone, setPhone] = useState(contact.phone ?? '');
  const [stage, setStage] = useState<string>(contact.lifecycleStage ?? '');
  const [status, setStatus] = useState<string>(contact.status);
  const [leadSource, setLeadSource] = useState(contact.source.leadSource ?? '');
  const [emailError, setEmailError] = useState<string | null>(null);
  const save = useAction(async (list: string[]) => {
    await updateContact(contact.id, {
      name: name.trim() || undefined,
      emails: list,
      title: title.trim() || undefined,
      phone: phone.trim() || undefined,
      lifecycleStage: stage ? LifecycleStage.parse(stage) : undefined,
      status: ContactStatus.parse(status),
      source: { ...contact.source, leadSource: leadSource || undefined },
    });
  }, ['contacts']);
  const submit = async () => {
    const list = [...new Set(emails.split(/[\s,;]+/).map((e) => e.trim().toLowerCase()).filter(Boolean))];
    const bad = list.find((e) => !isEmail(e));
    const err = !list.length ? 'At least one email address.' : bad ? `${bad} is not an email address.` : null;
    setEmailError(err);
    if (err) return;
    if (await save.run(list)) onClose();
  };
  return (
    <FormDialog
      onClose={onClose}
      title="Edit contact"
      submitLabel="Save"
      busy={save.busy}
      error={save.error}
      onSubmit={submit}
    >
      <Input label="Name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      <Input label="Emails" value={emails} hint="Separate several with commas." onChange={(e) => setEmails(e.target.value)} error={emailError} />
      <div className="flex gap-2">
        <Input label="Job title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} className="flex-1" />
        <Input label="Phone" type="tel" value={phone} maxLength={60} onChange={(e) => setPhone(e.target.value)} className="flex-1" />
      </div>
      <div className="flex gap-2">
        <div className="flex-1">
          <LifecycleSelect value={stage} onChange={setStage} />
        </div>
        <Select label="Status" value={status} onChange={(e) => setStatus(e.target.value)} className="flex-1">
          {ContactStatus.options.map((s) => (
            <option key={s} value={s}>
              {s.charAt(0).toUpperCase() + s.slice(1)}
            </option>
          ))}
        </Select>
      </div>
      <LeadSourceSelect value={leadSource} onChange={setLeadSource} />
    </FormDialog>
  );
}

/**
 * Turns a detected person into a contact. Possible duplicates come first: the rep can add the
 * address to an existing contact instead of creating a second one.
 */
export function CreateContactDialog({ person, site, onClose, onCreated }: { person: { email: string; name?: string }; site?: SiteId; onClose: () => void; onCreated: (id: string) => void }) {
  const dups = useLiveQuery(() => findDuplicates(person), [person.email, person.name]);
  const [name, setName] = useState(person.name ?? '');
  const [stage, setStage] = useState('lead');
  const [leadSource, setLeadSource] = useState('');
  const [title, setTitle] = useState('');
  // A ref, not a local: the action finishes after a re-render has replaced this closure.
  const createdId = useRef('');
  const create = useAction(async () => {
    const c = await createContactFromPerson({ email: person.email, name, title, lifecycleStage: stage ? LifecycleStage.parse(stage) : undefined, leadSource: leadSource || undefined, site });
    createdId.current = c.id;
  }, ['contacts']);
  const merge = useAction(async (c: Contact) => {
    await addAddressTo(c, person.email);
    createdId.current = c.id;
  }, ['contacts']);
  const error = create.error ?? merge.error;
  return (
    <Dialog
      open
      onClose={onClose}
      title="Create contact"
      description={person.email}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            busy={create.busy}
            onClick={async () => {
              if (await create.run()) onCreated(createdId.current);
            }}
          >
            Create contact
          </Button>
        </>
      }
    >
      <section aria-label="Possible duplicates" className="flex flex-col gap-1">
        {dups === undefined ? (
          <Loading label="Looking for duplicates…" />
        ) : dups.length === 0 ? (
          <p className="text-xs text-slate-500 dark:text-slate-400">No similar contacts found.</p>
        ) : (
          <>
            <h3 className="text-xs font-semibold">Is this one of them?</h3>
            <ul className="flex flex-col gap-1">
              {dups.map(({ contact: c, why }) => (
                <li key={c.id} className="flex items-center justify-between gap-2 rounded-md border border-amber-300 bg-amber-50 p-2 dark:border-amber-800 dark:bg-amber-950/40">
                  <div className="min-w-0">
                    <p className="truncate font-medium">{c.name ?? c.emails[0]}</p>
                    <p className="truncate text-xs text-slate-600 dark:text-slate-400">
                      {c.emails.join(', ')} <Badge tone="amber">{why}</Badge>
                    </p>
                  </div>
                  <Button
                    size="sm"
                    busy={merge.busy}
                    aria-label={`Add ${person.email} to ${c.name ?? c.emails[0]}`}
                    onClick={async () => {
                      if (await merge.run(c)) onCreated(createdId.current);
                    }}
                  >
                    Same person
                  </Button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <Input label="Name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      <Input label="Job title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
      <div className="flex gap-2">
        <div className="flex-1">
          <LifecycleSelect value={stage} onChange={setStage} />
        </div>
        <div className="flex-1">
          <LeadSourceSelect value={leadSource} onChange={setLeadSource} />
        </div>
      </div>
      {error && <ErrorBanner>{error}</ErrorBanner>}
    </Dialog>
  );
}
