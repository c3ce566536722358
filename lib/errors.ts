/** Error codes that cross the message boundary. Stable: UI and tests switch on them. */
export type ErrorCode =
  | 'bad_request'
  | 'unknown_message'
  | 'forbidden_sender'
  | 'too_large'
  | 'rate_limited'
  | 'not_found'
  | 'conflict'
  | 'gate_failed'
  | 'quota_exceeded'
  | 'storage_failed'
  | 'provider_error'
  | 'internal';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Maps storage failures to messages a rep can act on; keeps AppErrors as they are. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  // Dexie wraps the browser's error (`inner`); a bulk write keeps each failed request's (`failures`).
  const first = (e as { failures?: unknown[] } | null)?.failures?.[0] as { name?: string; inner?: { name?: string } } | undefined;
  const name = (e as { name?: string } | null)?.name ?? '';
  const inner = (e as { inner?: { name?: string } } | null)?.inner?.name ?? first?.inner?.name ?? first?.name ?? '';
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') {
    return new AppError('quota_exceeded', 'The browser is out of storage space for Threadline. Nothing was saved; free some disk space or export and prune old data, then retry.');
  }
  if (name === 'ConstraintError' || inner === 'ConstraintError') {
    return new AppError('conflict', 'That record already exists.');
  }
  if (/Dexie|IDB|Database|Transaction|Abort/i.test(name)) {
    return new AppError('storage_failed', `The local database refused the write (${name}). Nothing was saved.`);
  }
  return new AppError('internal', e instanceof Error ? e.message : String(e));
}
