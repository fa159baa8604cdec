/* global document, window, uPlot */
// Runs in report.html: draws each experiment's timelines with uPlot from the embedded JSON, phases shaded, faults
// marked. The live view (src/live/) draws with the same code through window.cqTimelineCharts.
(() => {
  const dataElement = document.getElementById('cq-data');
  const phaseFill = {
    baseline: 'rgba(100, 116, 139, 0.10)',
    fault: 'rgba(220, 38, 38, 0.11)',
    recovery: 'rgba(22, 163, 74, 0.10)',
  };
  const drawn = [];

  function shadePhases(u, phases) {
    const { ctx, bbox } = u;
    ctx.save();
    for (const phase of phases) {
      const x0 = Math.max(bbox.left, u.valToPos(phase.startS, 'x', true));
      const x1 = Math.min(bbox.left + bbox.width, u.valToPos(phase.endS, 'x', true));
      if (x1 <= x0) continue;
      ctx.fillStyle = phaseFill[phase.name] || 'rgba(0, 0, 0, 0.05)';
      ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
    }
    ctx.restore();
  }

  /** Fault lines, and their labels placed in the first row where they overlap no other label. */
  function markFaults(u, faults, el) {
    const { ctx, bbox } = u;
    const px = uPlot.pxRatio;
    const rowHeight = 12 * px;
    const rows = [];
    ctx.save();
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    ctx.lineWidth = 1.5 * px;
    const marks = [];
    for (const fault of faults) {
      marks.push([fault.appliedS, '#991b1b', [], `▼ ${fault.label}`]);
      marks.push([fault.revertedS, '#166534', [4 * px, 3 * px], `▲ ${fault.number} reverted`]);
    }
    for (const [at, color, dash, text] of marks) {
      if (at === null || at === undefined) continue;
      const x = Math.round(u.valToPos(at, 'x', true));
      if (x < bbox.left || x > bbox.left + bbox.width) continue;
      ctx.strokeStyle = color;
      ctx.setLineDash(dash);
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
      const width = ctx.measureText(text).width;
      // right of the line, or left of it when it would leave the plot
      const left = x + 3 * px + width > bbox.left + bbox.width ? x - 3 * px - width : x + 3 * px;
      let row = 0;
      while ((rows[row] || []).some(([a, b]) => left < b + 4 * px && left + width > a - 4 * px)) row++;
      (rows[row] = rows[row] || []).push([left, left + width]);
      ctx.fillStyle = color;
      ctx.fillText(text, left, bbox.top + 10 * px + row * rowHeight);
    }
    ctx.restore();
    // the labels' boxes in CSS pixels, for a layout check (no two overlap)
    el.dataset.faultLabels = JSON.stringify(rows.flatMap((boxes, row) => boxes.map(([a, b]) => [a / px, b / px, row])));
  }

  function axisValues(format) {
    if (format === 'breaker')
      return (u, ticks) => ticks.map((v) => ({ 0: 'closed', 1: 'half-open', 2: 'open' })[v] ?? '');
    return undefined;
  }

  /** Draws one experiment's charts into the elements named by their ids; returns what was drawn. */
  function drawExperiment(experiment) {
    const plots = [];
    for (const chart of experiment.charts) {
      const el = document.getElementById(chart.id);
      if (!el) continue;
      const columns = chart.series.map((s) => experiment.columns[s.column]);
      const options = {
        width: Math.max(240, el.clientWidth),
        height: 190,
        cursor: { sync: { key: experiment.id } },
        legend: { live: true },
        scales: {
          x: { time: false },
          y: { range: (u, min, max) => [chart.yMin ?? Math.min(0, min), chart.yMax ?? (max > 0 ? max * 1.08 : 1)] },
        },
        axes: [
          { values: (u, ticks) => ticks.map((v) => `${v}s`) },
          {
            size: 64,
            label: chart.unit,
            labelSize: 18,
            values: axisValues(chart.format),
            splits: chart.format === 'breaker' ? () => [0, 1, 2] : undefined,
          },
        ],
        series: [
          { label: 't', value: (u, v) => (v === null || v === undefined ? '' : `${v} s`) },
          ...chart.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: s.width ?? 2,
            dash: s.dash,
            fill: s.fill,
            // load and probe values sit on different moments of one x axis: a line joins a series' own points
            spanGaps: true,
            points: { show: false },
            paths: s.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined,
            // without a cursor (a static view, print) the legend shows the labels alone, no empty values
            value: (u, v) => (v === null || v === undefined ? '' : `${v}${chart.suffix ?? ''}`),
          })),
        ],
        hooks: {
          drawClear: [(u) => shadePhases(u, experiment.phases)],
          draw: [(u) => markFaults(u, experiment.faults, el)],
        },
      };
      const plot = new uPlot(options, [experiment.columns.seconds, ...columns], el);
      el.dataset.points = String(columns.reduce((n, values) => n + values.filter((v) => v !== null).length, 0));
      el.dataset.colors = chart.series.map((s) => s.color).join(' ');
      plots.push({ plot, el, chart });
    }
    drawn.push(...plots);
    return plots;
  }

  /** Stops resizing plots that were destroyed. */
  function forget(plots) {
    for (const p of plots) drawn.splice(drawn.indexOf(p), 1);
  }

  window.cqTimelineCharts = { drawExperiment, forget };
  if (dataElement) {
    for (const experiment of JSON.parse(dataElement.textContent).experiments) drawExperiment(experiment);
    document.body.dataset.charts = String(drawn.length);
  }

  window.addEventListener('resize', () => {
    for (const { plot, el } of drawn) plot.setSize({ width: Math.max(240, el.clientWidth), height: 190 });
  });
})();
