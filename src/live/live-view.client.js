/* global document, window, location, localStorage, EventSource, URLSearchParams */
// Runs in the live view: follows /events, shows the phase and countdown, the queue and verdicts, faults as they are
// injected and reverted, notes, and the charts of report.html (drawn by its own script) as the seconds arrive.
(() => {
  const token = new URLSearchParams(location.search).get('token');
  const withToken = (path) => (token ? `${path}?token=${encodeURIComponent(token)}` : path);
  const $ = (id) => document.getElementById(id);
  /** index → { view, data (what the chart script reads), plots, chartKey, section, receivedAt } */
  const experiments = new Map();
  let running;

  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('data-')) node.setAttribute(k, String(v));
      else node[k] = v;
    }
    for (const child of children) if (child !== undefined && child !== null) node.append(child);
    return node;
  }
  const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

  function sectionOf(x) {
    if (!x.section) {
      x.section = h('section', { class: 'experiment', id: `live-x${x.view.index}` });
      $('experiments').append(x.section);
    }
    return x.section;
  }

  function update(view) {
    let x = experiments.get(view.index);
    if (!x) {
      x = { view, data: { ...view.charts }, plots: [], chartKey: '' };
      experiments.set(view.index, x);
    } else {
      const columns = { ...x.data.columns };
      for (const [name, values] of Object.entries(view.charts.columns))
        columns[name] = (columns[name] || []).slice(0, view.columnsFrom).concat(values);
      // one object for the chart script's hooks, which read phases and faults at every draw
      Object.assign(x.data, view.charts, { columns });
      x.view = view;
    }
    x.receivedAt = performance.now();
    if (view.status === 'running') running = x;
    renderSection(x);
    renderQueue();
    tick();
  }

  function renderSection(x) {
    const { view } = x;
    const section = sectionOf(x);
    section.dataset.status = view.status;
    let head = section.querySelector('h2');
    if (!head) {
      head = h('h2');
      section.append(head, h('div', { class: 'faults' }), h('div', { class: 'charts' }));
    }
    head.replaceChildren(view.name, ' ', h('span', { class: `badge ${view.status}` }, view.status.toUpperCase()));
    if (view.reason) head.append(h('span', { class: 'muted', style: 'font-size:13px;font-weight:400' }, view.reason));
    renderFaults(section.querySelector('.faults'), view.faults);
    renderCharts(x, section.querySelector('.charts'));
  }

  function renderFaults(box, faults) {
    box.replaceChildren(
      ...faults.map((f) => {
        const times = [`scheduled t=${seconds(f.scheduledAtMs)}`];
        if (f.appliedAtMs !== undefined) times.push(`injected t=${seconds(f.appliedAtMs)}`);
        if (f.revertedAtMs !== undefined) times.push(`reverted t=${seconds(f.revertedAtMs)}`);
        const evidence = f.revertEvidence ?? f.evidence;
        const row = h(
          'div',
          { class: 'fault-row', 'data-status': f.status, 'data-fault': f.index + 1 },
          h('b', {}, `${f.index + 1} ${f.kind}`),
          ' ',
          h('span', { class: 'fault-status' }, f.status),
          h('div', { class: 'muted' }, times.join(' · ')),
          evidence ? h('code', {}, JSON.stringify(evidence).slice(0, 240)) : undefined,
          f.error ? h('div', { class: 'error-text' }, `${f.error.code}: ${f.error.message}`) : undefined,
        );
        return row;
      }),
    );
    // when this page first saw each fault applied (the tests measure the delay against the journal)
    for (const f of faults) {
      const key = `shown${f.index + 1}`;
      if (f.appliedAtMs !== undefined && !document.body.dataset[key]) document.body.dataset[key] = String(Date.now());
    }
  }

  function renderCharts(x, box) {
    const { data } = x;
    if (!data.columns.seconds || data.columns.seconds.length === 0) {
      if (!box.firstChild) box.append(h('p', { class: 'muted' }, 'The charts start with the first second of load.'));
      return;
    }
    const key = data.charts.map((c) => c.id).join(' ');
    if (key !== x.chartKey) {
      for (const { plot } of x.plots) plot.destroy();
      window.cqTimelineCharts.forget(x.plots);
      box.replaceChildren(
        ...data.charts.map((c) =>
          h('div', { class: 'chart' }, h('h4', {}, c.title), h('div', { class: 'plot', id: c.id, 'data-chart': c.id })),
        ),
      );
      x.plots = window.cqTimelineCharts.drawExperiment(data);
      x.chartKey = key;
    } else {
      for (const { plot, el, chart } of x.plots) {
        const columns = chart.series.map((s) => data.columns[s.column]);
        plot.setData([data.columns.seconds, ...columns]);
        el.dataset.points = String(columns.reduce((n, v) => n + v.filter((p) => p !== null).length, 0));
      }
    }
    box.dataset.seconds = String(data.columns.seconds.length);
  }

  function renderQueue() {
    const items = [...experiments.values()].sort((a, b) => a.view.index - b.view.index);
    $('queue').replaceChildren(
      ...items.map(({ view }) =>
        h(
          'li',
          { 'data-status': view.status },
          h('a', { href: `#live-x${view.index}` }, view.name),
          ' ',
          h('span', { class: `badge ${view.status}` }, view.status),
          view.reason ? h('span', { class: 'muted' }, ` ${view.reason}`) : undefined,
        ),
      ),
    );
  }

  /** Phase and countdown between messages, from the last elapsed time the server sent. */
  function tick() {
    if (!running) return;
    const { view } = running;
    const live = view.status === 'running';
    const elapsed = live ? view.elapsedMs + (performance.now() - running.receivedAt) : view.elapsedMs;
    const end = view.phases.at(-1)?.endMs ?? 0;
    const phase = view.phases.find((p) => elapsed < p.endMs) ?? view.phases.at(-1);
    $('experiment-name').textContent = view.name;
    const badge = $('phase');
    badge.textContent = live ? (phase?.name ?? 'starting') : view.status;
    badge.className = `phase ${live ? (phase?.name ?? '') : view.status}`;
    document.body.dataset.phase = live ? (phase?.name ?? '') : view.status;
    $('countdown').textContent =
      live && phase
        ? `${Math.max(0, Math.ceil((phase.endMs - elapsed) / 1000))} s left in ${phase.name} · ${Math.max(0, Math.ceil((end - elapsed) / 1000))} s to the end`
        : '';
    $('progress').style.width = `${end ? Math.min(100, (100 * elapsed) / end) : 0}%`;
  }
  setInterval(tick, 250);

  function addNote(note) {
    const when = new Date(note.at).toLocaleTimeString();
    const at = note.atMs === undefined ? '' : ` (${note.experiment} t=${seconds(note.atMs)})`;
    $('notes').append(
      h('li', { class: 'note' }, h('b', {}, `${when}${at}`), ` ${note.author ? `${note.author}: ` : ''}${note.text}`),
    );
  }

  function banner(text) {
    $('banner').hidden = false;
    $('banner').textContent = text;
  }

  function onMessage(message) {
    if (message.type === 'state') {
      $('notes').replaceChildren();
      for (const note of message.notes) addNote(note);
      for (const view of message.experiments) update(view);
      if (message.halt) onMessage({ type: 'halt', halt: message.halt });
    } else if (message.type === 'experiment') update(message.experiment);
    else if (message.type === 'note') addNote(message.note);
    else if (message.type === 'halt') {
      banner(`HALTED by ${message.halt.by} at ${new Date(message.halt.at).toLocaleTimeString()}: reverting faults`);
      $('halt').disabled = true;
      $('halt-confirm').hidden = true;
      document.body.dataset.halted = 'true';
    } else if (message.type === 'run-ended') {
      banner(`run ended: ${message.status}${message.report ? ` · report ${message.report}` : ''}`);
      document.body.dataset.ended = message.status;
    }
  }

  function connect() {
    const source = new EventSource(withToken('/events'));
    source.onopen = () => {
      document.body.dataset.connected = 'true';
      document.body.dataset.connectedAt ??= String(Date.now());
      $('connection').textContent = 'live';
    };
    source.onerror = () => {
      document.body.dataset.connected = 'false';
      $('connection').textContent = document.body.dataset.ended ? 'the run is over' : 'reconnecting…';
    };
    source.onmessage = (event) => onMessage(JSON.parse(event.data));
  }

  async function post(path, body) {
    const res = await fetch(withToken(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { ok: res.ok, body: await res.json().catch(() => ({})) };
  }

  const who = $('who');
  who.value = localStorage.getItem('cachequake-live-name') || '';
  who.addEventListener('change', () => localStorage.setItem('cachequake-live-name', who.value));
  $('halt').addEventListener('click', () => {
    $('halt-confirm').hidden = false;
  });
  $('halt-confirm').addEventListener('click', async () => {
    $('halt-confirm').disabled = true;
    await post('/halt', { by: who.value || undefined });
  });
  $('note-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('note-text').value;
    const { ok, body } = await post('/notes', { text, author: who.value || undefined });
    $('note-error').hidden = ok;
    $('note-error').textContent = ok ? '' : body.error || 'the note was not taken';
    if (ok) $('note-text').value = '';
  });
  connect();
})();
