import { useId, type HTMLAttributes, type ReactNode } from 'react';
import { cx } from './cx';

export interface CardProps extends Omit<HTMLAttributes<HTMLElement>, 'title'> {
  /** A visible heading; also names the card for screen readers. */
  title?: ReactNode;
  actions?: ReactNode;
  as?: 'section' | 'article' | 'div';
}

export function Card({ title, actions, as: Tag = 'section', className, children, ...rest }: CardProps) {
  const titleId = useId();
  return (
    <Tag aria-labelledby={title ? titleId : undefined} className={cx('rounded-lg border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900', className)} {...rest}>
      {(title || actions) && (
        <header className="mb-2 flex items-center justify-between gap-2">
          {title && (
            <h2 id={titleId} className="truncate text-sm font-semibold">
              {title}
            </h2>
          )}
          {actions && <div className="flex shrink-0 items-center gap-1">{actions}</div>}
        </header>
      )}
      {children}
    </Tag>
  );
}
