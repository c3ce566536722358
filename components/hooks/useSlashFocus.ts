import { useEffect, type RefObject } from 'react';

/** `/` focuses the given field from anywhere, unless the user is already typing somewhere. */
export function useSlashFocus(ref: RefObject<HTMLElement | null>, onSlash?: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      onSlash?.();
      // The field may mount only after onSlash switched views.
      queueMicrotask(() => ref.current?.focus());
      setTimeout(() => ref.current?.focus(), 0);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [ref, onSlash]);
}
