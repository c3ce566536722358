/**
 * The stable prefix of every external key from one page; `receiptFor` counts by it.
 * Dependency-free so content scripts can compute it without pulling in zod.
 */
export function keyPrefix(ctx: { site: string; key: string }): string {
  return `${ctx.site}:${ctx.key}:`;
}
