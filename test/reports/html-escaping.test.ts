// report.html keeps journal text as text: markup in a target's log, a description or evidence cannot add elements or
// scripts.
import { describe, expect, it } from 'vitest';
import { reporters } from '../../src/reports/index.ts';
import { loadFixture } from './journal-fixtures.ts';

const hostile = '</script><script>window.pwned=1</script><img src=x onerror=alert(1)>';

describe('report.html escaping', () => {
  it('renders hostile journal strings as text, inside and outside the embedded JSON', () => {
    const journal = loadFixture('failed');
    const e = journal.experiments[0];
    if (!e) throw new Error('fixture without experiment');
    e.description = hostile;
    e.environment.targetLog = [hostile];
    e.faults[0]!.evidence = { note: hostile };
    e.expectations[0]!.actualText = hostile;
    e.phases[0]!.name = hostile as 'baseline';
    const html = reporters.html.render(journal);
    // exactly the three scripts of the page: the data block, uPlot and the chart script
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;window.pwned=1');
    const data = html.slice(
      html.indexOf('<script type="application/json" id="cq-data">'),
      html.indexOf('</script>', html.indexOf('id="cq-data"')),
    );
    expect(data).toContain('\\u003c/script>\\u003cscript>');
    expect(JSON.parse(data.slice(data.indexOf('>') + 1)).experiments[0].phases[0].name).toBe(hostile);
  });
});
