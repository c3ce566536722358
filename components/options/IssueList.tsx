import { formatIssue, type ImportIssue } from '@/lib/io';

const SHOWN = 100;

/** Every reason an import was refused, one per line, announced when it appears. */
export function IssueList({ issues, title }: { issues: ImportIssue[]; title: string }) {
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-100">
      <p className="font-medium">{title}</p>
      <ul aria-label="Import problems" className="mt-1 flex max-h-64 list-disc flex-col gap-0.5 overflow-y-auto pl-5">
        {issues.slice(0, SHOWN).map((i, n) => (
          <li key={n}>{formatIssue(i)}</li>
        ))}
      </ul>
      {issues.length > SHOWN && <p className="mt-1 text-xs">…and {issues.length - SHOWN} more.</p>}
    </div>
  );
}
