import { BackupRestore } from './BackupRestore';
import { CsvImport } from './CsvImport';
import { Section } from './Section';

export function ImportSection() {
  return (
    <Section id="import" title="Import" description="Bring contacts from a spreadsheet or another CRM, or restore a backup. A file with any bad line is refused whole: nothing half-imports.">
      <CsvImport />
      <hr className="border-slate-200 dark:border-slate-800" />
      <BackupRestore />
    </Section>
  );
}
