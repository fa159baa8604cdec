// The table `cachequake target check` prints: one row per call, its manifest field, the status and what it means.
import type { TargetCheckResult } from './target-check.ts';

export function formatTargetCheck(result: TargetCheckResult): string {
  const header = ['', 'step', 'request', 'status', 'ms', 'field', 'note'];
  const body = result.rows.map((r) => [
    r.ok ? 'ok' : r.skipped ? '-' : 'FAIL',
    r.step,
    r.request,
    r.status === undefined ? '' : String(r.status),
    String(r.durationMs),
    r.field,
    r.note.split('\n')[0] ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const verdict =
    result.failed.length === 0
      ? `target ${result.target}: every call worked`
      : `target ${result.target}: ${result.failed.length} of ${result.rows.length} failed`;
  return `${[line(header), ...body.map(line), '', verdict].join('\n')}\n`;
}

/** One line for the error: the first field that failed, the call and its answer, e.g. `session.login.path: POST /x got 404`. */
export function describeFailure(result: TargetCheckResult): string | undefined {
  const [first] = result.failed;
  if (!first) return undefined;
  const others = result.failed.slice(1).filter((r) => !r.skipped);
  const skipped = result.failed.filter((r) => r.skipped).length;
  const call = first.status !== undefined ? `${first.request} got ${first.status}` : first.request;
  const parts = [`${first.field}: ${call ? `${call}; ` : ''}${first.note.split('\n')[0] ?? ''}`];
  if (others.length > 0) parts.push(`also failed: ${others.map((r) => r.field).join(', ')}`);
  if (skipped > 0) parts.push(`${skipped} call(s) skipped after it`);
  return parts.join(' — ');
}
