// Reads what report.html inlines — uPlot's script and CSS, the page's own chart script — once per process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface InlineAssets {
  uplotJs: string;
  uplotCss: string;
  chartsJs: string;
}

let cached: InlineAssets | undefined;

export function inlineAssets(): InlineAssets {
  if (!cached) {
    const require = createRequire(import.meta.url);
    cached = {
      uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
      chartsJs: readFileSync(new URL('./timeline-charts.client.js', import.meta.url), 'utf8'),
    };
  }
  return cached;
}
