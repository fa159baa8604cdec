// The live view's page: self-contained (uPlot, the chart script of report.html and the live script inlined, no CDN);
// everything it shows arrives over /events.
import { readFileSync } from 'node:fs';
import { scriptText } from '../reports/html/html-escape.ts';
import { inlineAssets } from '../reports/html/inline-assets.ts';
import { reportStyles } from '../reports/html/report-styles.ts';
import { liveStyles } from './live-styles.ts';

let liveScript: string | undefined;

export function renderLivePage(): string {
  const assets = inlineAssets();
  liveScript ??= readFileSync(new URL('./live-view.client.js', import.meta.url), 'utf8');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>cachequake live</title>
<style>${assets.uplotCss}</style>
<style>${reportStyles}</style>
<style>${liveStyles}</style>
</head>
<body data-connected="false">
<header class="run live">
<div class="title"><h1>cachequake live</h1><span id="connection" class="muted">connecting…</span></div>
<div class="controls">
<label>your name <input id="who" maxlength="60" autocomplete="name" placeholder="who is watching"></label>
<button id="halt" class="halt" type="button">HALT</button>
<button id="halt-confirm" class="halt confirm" type="button" hidden>Confirm: revert every fault and stop</button>
</div>
<div id="banner" class="banner" hidden></div>
</header>
<main>
<section class="now">
<div id="phase-line"><span id="experiment-name">waiting for the run to start</span> <span id="phase" class="phase"></span></div>
<div id="countdown" class="countdown"></div>
<div class="bar"><i id="progress"></i></div>
</section>
<section class="queue-box"><h3>Experiments</h3><ol id="queue"></ol></section>
<section class="notes-box"><h3>Notes</h3>
<form id="note-form"><input id="note-text" maxlength="500" placeholder="paged on-call · breaker opened as expected" required><button type="submit">Add note</button></form>
<p id="note-error" class="error-text" hidden></p>
<ul id="notes"></ul>
</section>
<div id="experiments"></div>
</main>
<script>${scriptText(assets.uplotJs)}</script>
<script>${scriptText(assets.chartsJs)}</script>
<script>${scriptText(liveScript)}</script>
</body>
</html>
`;
}
