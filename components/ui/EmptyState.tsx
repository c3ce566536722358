import type { ReactNode } from 'react';
import { cx } from './cx';

export function EmptyState({ icon, title, children, action, className }: { icon?: ReactNode; title: ReactNode; children?: ReactNode; action?: ReactNode; className?: string }) {
  return (
    <div className={cx('flex flex-col items-center gap-2 rounded-lg border border-dashed border-slate-300 p-4 text-center dark:border-slate-700', className)}>
      {icon && <div aria-hidden="true" className="text-slate-400">{icon}</div>}
      <p className="text-sm font-medium">{title}</p>
      {children && <div className="text-xs text-slate-500 dark:text-slate-400">{children}</div>}
      {action}
    </div>
  );
}
