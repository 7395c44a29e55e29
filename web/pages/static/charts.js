// Charts of the pages, drawn with Chart.js from the JSON each page carries beside its table.
// Every number drawn is also in that table: the page reads fully without this script.
"use strict";

(function () {
  function dataOf(canvas) {
    const holder = document.getElementById(canvas.dataset.source);
    return holder ? JSON.parse(holder.textContent) : null;
  }

  const LINE_COLOURS = ["#1f5fbf", "#1d7a46", "#b3261e", "#8a4fbf", "#b36b00", "#5b6472"];

  function scorePerPeriod(canvas, data) {
    // One line per cycle, over its quarters; a quarter without a score is a gap.
    const datasets = data.series.map((line, index) => {
      const colour = LINE_COLOURS[index % LINE_COLOURS.length];
      return { label: line.cycle, data: line.scores.map((s) => (s === null ? null : Number(s))),
               borderColor: colour, backgroundColor: colour, spanGaps: false };
    });
    return new Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: { animation: false, maintainAspectRatio: false,
                 scales: { x: { title: { display: true, text: "quarter" } },
                           y: { title: { display: true, text: "score" } } } },
    });
  }

  function floorOf(bars) {
    // The axis starts a little below the lowest score a step reaches, so that the steps'
    // differences show; the totals, standing from zero, run off the bottom of the axis.
    const reached = bars.flatMap((bar) => (bar.kind === "total" ? [Number(bar.to)] : [Number(bar.from), Number(bar.to)]));
    const lowest = Math.min(...reached);
    const highest = Math.max(...reached);
    const margin = Math.max((highest - lowest) * 0.5, 1);
    return Math.max(0, Math.floor(lowest - margin));
  }

  function waterfall(canvas, data) {
    // One bar per step: each floats from the score before the step to the score after it;
    // the first and last bars stand from zero on the earlier and the later score.
    const bars = data.bars.map((bar) => [Number(bar.from), Number(bar.to)]);
    const colours = data.bars.map((bar) =>
      bar.kind === "total" ? "#5b6472" : Number(bar.to) >= Number(bar.from) ? "#1d7a46" : "#b3261e");
    return new Chart(canvas, {
      type: "bar",
      data: { labels: data.bars.map((bar) => bar.label),
              datasets: [{ label: "Score", data: bars, backgroundColor: colours }] },
      options: { animation: false, maintainAspectRatio: false,
                 plugins: { legend: { display: false } },
                 scales: { y: { min: floorOf(data.bars), title: { display: true, text: "score" } } } },
    });
  }

  const kinds = { "score-per-period": scorePerPeriod, waterfall: waterfall };

  function draw() {
    if (typeof Chart === "undefined") return;
    document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
      const data = dataOf(canvas);
      const make = kinds[canvas.dataset.chart];
      if (data && make) canvas.chart = make(canvas, data);
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
