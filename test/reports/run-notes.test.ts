// Notes and a halt from the live view, as report.html and summary.md show them: escaped, in order, with the
// experiment's time; absent from both when the journal has none.
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/reports/html/html-reporter.ts';
import { renderMarkdown } from '../../src/reports/markdown-reporter.ts';
import { journalShape } from '../../src/reports/journal-shape.ts';
import { loadFixture } from './journal-fixtures.ts';

function annotated() {
  const journal = loadFixture('failed');
  journal.status = 'aborted';
  journal.notes = [
    { at: '2026-12-05T08:12:03.120Z', text: 'paged on-call', author: 'ann', experiment: 'incident-2am', atMs: 4200 },
    { at: '2026-12-05T08:12:09.000Z', text: 'breaker <b>opened</b> as expected' },
  ];
  journal.halt = { at: '2026-12-05T08:12:11.000Z', by: 'bob', from: '127.0.0.1' };
  return journal;
}

describe('notes and halt in the reports', () => {
  it('report.html lists each note escaped, with its time, experiment second and author, and who halted', () => {
    const html = renderHtmlReport(annotated());
    expect(html).toContain('<li class="note"><b>08:12:03Z · incident-2am t=4.2 s</b> · ann: paged on-call</li>');
    expect(html).toContain('breaker &lt;b&gt;opened&lt;/b&gt; as expected');
    expect(html).not.toContain('<b>opened</b>');
    expect(html).toContain('halted from the live view by bob (127.0.0.1) at 2026-12-05T08:12:11.000Z');
  });

  it('summary.md has a Notes list and the halt line', () => {
    const md = renderMarkdown(annotated());
    expect(md).toContain('**halted from the live view by bob (127.0.0.1) at 2026-12-05T08:12:11.000Z**');
    expect(md).toMatch(/#### Notes\n\n- 08:12:03Z · incident-2am t=4\.2 s · ann: paged on-call\n- 08:12:09Z: breaker/);
  });

  it('a journal without notes shows neither section, and the journal shape accepts both forms', () => {
    const plain = loadFixture('failed');
    expect(renderHtmlReport(plain)).not.toContain('class="note"');
    expect(renderMarkdown(plain)).not.toContain('#### Notes');
    expect(journalShape.safeParse(plain).success).toBe(true);
    expect(journalShape.safeParse(annotated()).success).toBe(true);
    expect(journalShape.safeParse({ ...plain, notes: [{ text: 'no time' }] }).success).toBe(false);
  });
});
