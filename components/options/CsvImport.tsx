import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState, type ReactNode } from 'react';
import { getSettings } from '@/lib/db/queries';
import {
  CONTACT_FIELDS,
  DEAL_FIELDS,
  ImportRejected,
  MAX_CSV_BYTES,
  MAX_CSV_ROWS,
  applyContactImport,
  applyDealImport,
  guessMapping,
  parseCsv,
  prepareContactImport,
  prepareDealImport,
  type ColumnMapping,
  type ContactField,
  type ContactImportPlan,
  type DealField,
  type DealImportPlan,
  type FieldDef,
  type ImportIssue,
  type ParsedCsv,
} from '@/lib/io';
import type { Settings } from '@/lib/model';
import { Badge, Button, ErrorBanner, Loading, Progress, Select, errorText } from '@/components/ui';
import { FilePicker } from './FilePicker';
import { IssueList } from './IssueList';

type Kind = 'contacts' | 'deals';
type Plan = { kind: 'contacts'; plan: ContactImportPlan } | { kind: 'deals'; plan: DealImportPlan };
type Check = { state: 'checking' } | { state: 'invalid'; issues: ImportIssue[] } | { state: 'ready'; plan: Plan };

const FIELDS: Record<Kind, readonly FieldDef[]> = { contacts: CONTACT_FIELDS, deals: DEAL_FIELDS };

function prepare(kind: Kind, csv: ParsedCsv, mapping: ColumnMapping, settings: Settings): Promise<Plan> {
  return kind === 'contacts'
    ? prepareContactImport(csv, mapping as ColumnMapping<ContactField>, settings).then((plan) => ({ kind, plan }))
    : prepareDealImport(csv, mapping as ColumnMapping<DealField>, settings).then((plan) => ({ kind, plan }));
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const PREVIEW_ROWS = 20;

/**
 * Contacts or deals from a CSV: choose a file, check the guessed column mapping, see what will be created
 * and updated, then import. The file is re-checked on every mapping change; nothing is written
 * until the user imports a fully valid file.
 */
export function CsvImport() {
  const settings = useLiveQuery(getSettings, []);
  const [kind, setKind] = useState<Kind>('contacts');
  const [file, setFile] = useState<{ name: string; csv: ParsedCsv } | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>([]);
  const [check, setCheck] = useState<Check | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [writeError, setWriteError] = useState<string | null>(null);

  const choose = async (f: File) => {
    setFile(null);
    setCheck(null);
    setResult(null);
    setWriteError(null);
    setFileError(null);
    if (f.size > MAX_CSV_BYTES) {
      setFileError(`${f.name} is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB; split it into smaller files.`);
      return;
    }
    try {
      const csv = parseCsv(await f.text());
      if (!csv.headers.length) throw new Error('the file is empty');
      if (csv.rows.length > MAX_CSV_ROWS) throw new Error(`it has ${csv.rows.length} rows; at most ${MAX_CSV_ROWS} can be imported at once`);
      setFile({ name: f.name, csv });
      setMapping(guessMapping(csv.headers, FIELDS[kind]));
    } catch (e) {
      setFileError(`Could not read ${f.name}: ${errorText(e)}`);
    }
  };

  useEffect(() => {
    if (!file || !settings) return;
    let alive = true;
    setCheck({ state: 'checking' });
    prepare(kind, file.csv, mapping, settings).then(
      (plan) => alive && setCheck({ state: 'ready', plan }),
      (e: unknown) => alive && setCheck({ state: 'invalid', issues: e instanceof ImportRejected ? e.issues : [{ line: 0, message: errorText(e) }] }),
    );
    return () => {
      alive = false;
    };
  }, [file, mapping, settings, kind]);

  const switchKind = (k: Kind) => {
    setKind(k);
    setResult(null);
    if (file) setMapping(guessMapping(file.csv.headers, FIELDS[k]));
  };

  const runImport = async () => {
    if (check?.state !== 'ready') return;
    setWriteError(null);
    const p = check.plan;
    const onProgress = (done: number, total: number) => setProgress({ done, total });
    setProgress({ done: 0, total: p.plan.items.length });
    try {
      if (p.kind === 'contacts') {
        const r = await applyContactImport(p.plan, { onProgress });
        setResult(`Imported: ${plural(r.created, 'new contact', 'new contacts')}, ${r.updated} updated${r.companiesCreated ? `, ${plural(r.companiesCreated, 'new company', 'new companies')}` : ''}.`);
      } else {
        const r = await applyDealImport(p.plan, { onProgress });
        setResult(`Imported: ${plural(r.created, 'new deal', 'new deals')}, ${r.updated} updated${r.contactsCreated ? `, ${plural(r.contactsCreated, 'new contact', 'new contacts')}` : ''}.`);
      }
      setFile(null);
      setCheck(null);
    } catch (e) {
      setWriteError(`Nothing was imported: ${errorText(e)}. Choose the file again to re-check it against the current data.`);
    } finally {
      setProgress(null);
    }
  };

  return (
    <div className="flex flex-col gap-3">
      <h3 className="text-sm font-semibold">Import a CSV file</h3>
      <fieldset disabled={progress !== null}>
        <legend className="mb-1 text-sm font-medium">The file holds</legend>
        <div className="flex gap-4">
          {(['contacts', 'deals'] as const).map((k) => (
            <label key={k} className="flex items-center gap-1.5 text-sm">
              <input type="radio" name="csv-kind" value={k} checked={kind === k} onChange={() => switchKind(k)} className="size-4 accent-blue-600 focus-visible:outline-2 focus-visible:outline-blue-600" />
              {k === 'contacts' ? 'Contacts' : 'Deals'}
            </label>
          ))}
        </div>
      </fieldset>
      <FilePicker
        label={`CSV file of ${kind}`}
        hint={
          kind === 'contacts'
            ? 'A header row, then one contact per line. Exports from HubSpot, Pipedrive, Google Contacts or a spreadsheet work.'
            : 'A header row, then one deal per line. Pipelines and stages are matched by name; dates are YYYY-MM-DD; contacts are linked by email and created when new.'
        }
        accept=".csv,text/csv"
        disabled={progress !== null}
        onFile={(f) => void choose(f)}
      />
      {fileError && <ErrorBanner onDismiss={() => setFileError(null)}>{fileError}</ErrorBanner>}
      {result && (
        <p role="status" className="rounded-md bg-green-50 p-2 text-sm text-green-900 dark:bg-green-950/60 dark:text-green-100">
          {result}
        </p>
      )}

      {file && (
        <>
          <table className="w-full text-left text-sm" aria-label="Column mapping">
            <caption className="mb-1 text-left text-xs text-slate-600 dark:text-slate-400">
              {file.name}: {file.csv.rows.length} row{file.csv.rows.length === 1 ? '' : 's'}. Check which field each column fills.
            </caption>
            <thead>
              <tr className="border-b border-slate-200 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">
                <th scope="col" className="py-1 pr-2 font-medium">Column</th>
                <th scope="col" className="hidden py-1 pr-2 font-medium sm:table-cell">First value</th>
                <th scope="col" className="py-1 font-medium">Imports as</th>
              </tr>
            </thead>
            <tbody>
              {file.csv.headers.map((h, col) => (
                <tr key={col} className="border-b border-slate-100 dark:border-slate-800/60">
                  <th scope="row" className="py-1 pr-2 font-medium break-words">{h || `Column ${col + 1}`}</th>
                  <td className="hidden max-w-48 truncate py-1 pr-2 text-slate-600 sm:table-cell dark:text-slate-400">{file.csv.rows[0]?.cells[col] ?? ''}</td>
                  <td className="py-1">
                    <Select
                      label={`Field for column ${h || col + 1}`}
                      hideLabel
                      value={mapping[col] ?? ''}
                      onChange={(e) => setMapping(mapping.map((m, i) => (i === col ? e.target.value || null : m)))}
                      disabled={progress !== null}
                    >
                      <option value="">Don’t import</option>
                      {FIELDS[kind].map((f) => (
                        <option key={f.key} value={f.key}>
                          {f.label}
                          {f.required ? ' (required)' : ''}
                        </option>
                      ))}
                    </Select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>

          {check?.state === 'checking' && <Loading label="Checking every line…" />}
          {check?.state === 'invalid' && (
            <IssueList issues={check.issues} title={`Nothing will be imported until ${check.issues.length === 1 ? 'this problem is' : `these ${check.issues.length} problems are`} fixed. Fix the file or the mapping, then choose it again.`} />
          )}
          {check?.state === 'ready' && (check.plan.kind === 'contacts' ? <ContactPreview plan={check.plan.plan} /> : <DealPreview plan={check.plan.plan} />)}
          {writeError && <ErrorBanner>{writeError}</ErrorBanner>}
          {progress && <Progress value={progress.done} max={progress.total} label={`Importing ${progress.done} of ${progress.total}`} />}
          <div className="flex gap-2">
            <Button variant="primary" disabled={check?.state !== 'ready' || !check.plan.plan.items.length} busy={progress !== null} onClick={() => void runImport()}>
              {check?.state === 'ready' ? `Import ${plural(check.plan.plan.items.length, check.plan.kind === 'contacts' ? 'contact' : 'deal', check.plan.kind)}` : 'Import'}
            </Button>
            <Button
              disabled={progress !== null}
              onClick={() => {
                setFile(null);
                setCheck(null);
              }}
            >
              Cancel
            </Button>
          </div>
        </>
      )}
    </div>
  );
}

function ContactPreview({ plan }: { plan: ContactImportPlan }) {
  return (
    <div className="flex flex-col gap-2">
      <p role="status" className="text-sm">
        All lines are valid: <strong>{plan.creates}</strong> new contact{plan.creates === 1 ? '' : 's'}, <strong>{plan.updates}</strong> update{plan.updates === 1 ? '' : 's'} to existing
        {plan.merged ? `, ${plan.merged} duplicate row${plan.merged === 1 ? '' : 's'} merged` : ''}.
      </p>
      <PreviewTable
        columns={['Email', 'Name', 'Company', 'Stage']}
        rows={plan.items.map((item) => ({
          key: item.contact.id,
          lines: item.lines.join(', '),
          action: item.action,
          cells: [
            <span className="break-all">{item.contact.emails.join(', ')}</span>,
            item.contact.name ?? '',
            item.companyName ?? item.companyDomain ?? '',
            item.contact.lifecycleStage ?? '',
          ],
        }))}
      />
    </div>
  );
}

function DealPreview({ plan }: { plan: DealImportPlan }) {
  return (
    <div className="flex flex-col gap-2">
      <p role="status" className="text-sm">
        All lines are valid: <strong>{plan.creates}</strong> new deal{plan.creates === 1 ? '' : 's'}, <strong>{plan.updates}</strong> update{plan.updates === 1 ? '' : 's'} to existing
        {plan.newContacts.length ? `, ${plural(plan.newContacts.length, 'new contact', 'new contacts')}` : ''}.
      </p>
      <PreviewTable
        columns={['Deal', 'Stage', 'Amount', 'Contacts']}
        rows={plan.items.map((item) => ({
          key: item.deal.id,
          lines: String(item.line),
          action: item.action,
          cells: [
            item.deal.name,
            `${item.pipelineName} · ${item.stageName}`,
            <span className="tabular-nums">{item.deal.amount ? `${item.deal.amount.value.toLocaleString()} ${item.deal.amount.currency}` : ''}</span>,
            item.deal.contactIds.length,
          ],
        }))}
      />
    </div>
  );
}

interface PreviewRow {
  key: string;
  lines: string;
  action: 'create' | 'update';
  cells: ReactNode[];
}

/** The first rows of an import plan: line, new or update, then the kind's own columns. */
function PreviewTable({ columns, rows }: { columns: string[]; rows: PreviewRow[] }) {
  return (
    <>
      <div className="max-h-80 overflow-auto rounded-md border border-slate-200 dark:border-slate-800">
        <table className="w-full text-left text-xs" aria-label="Import preview">
          <thead className="sticky top-0 bg-slate-50 dark:bg-slate-900">
            <tr>
              {['Line', 'Action', ...columns].map((c) => (
                <th key={c} scope="col" className="p-1.5 font-medium">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, PREVIEW_ROWS).map((r) => (
              <tr key={r.key} className="border-t border-slate-100 dark:border-slate-800">
                <td className="p-1.5 tabular-nums">{r.lines}</td>
                <td className="p-1.5">{r.action === 'create' ? <Badge tone="green">New</Badge> : <Badge tone="blue">Update</Badge>}</td>
                {r.cells.map((cell, i) => (
                  <td key={i} className="p-1.5">
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > PREVIEW_ROWS && <p className="text-xs text-slate-500 dark:text-slate-400">Showing the first {PREVIEW_ROWS} of {rows.length}.</p>}
    </>
  );
}
