/** One reason an import cannot go ahead, pinned to the file line and field it came from. */
export interface ImportIssue {
  /** 1-based line in the CSV file; 0 for problems with the file as a whole. */
  line: number;
  /** The field label, with the column header it was read from when that differs. */
  field?: string;
  message: string;
}

export function formatIssue(i: ImportIssue): string {
  const where = i.line > 0 ? `Line ${i.line}` : 'File';
  return i.field ? `${where}, ${i.field}: ${i.message}` : `${where}: ${i.message}`;
}

/** Raised when an import is refused; carries every issue so the UI can list them all. */
export class ImportRejected extends Error {
  constructor(readonly issues: ImportIssue[]) {
    super(issues.length === 1 ? formatIssue(issues[0]!) : `${issues.length} problems; nothing was imported.`);
    this.name = 'ImportRejected';
  }
}

export type ProgressFn = (done: number, total: number) => void;
