// Draws the Tessera profile report from the JSON in #tessera-data: plain SVG, no libraries.
(function () {
  'use strict';
  window.addEventListener('error', function (e) {
    document.body.setAttribute('data-error', String(e.message));
  });
  var NS = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('tessera-data').textContent);
  var LEFT = 140, RIGHT = 20, TOP = 8, AXIS = 22;
  var W = 980, plotW = W - LEFT - RIGHT; // set from the window's width by render()
  var tooltip = document.getElementById('tooltip');
  // the time range shown, shared by every panel: wheel zooms, drag pans, double-click resets;
  // '#view=t0,t1' in the address opens on a range
  var view = {t0: 0, t1: data.end};
  var hash = /view=([0-9.e+-]+),([0-9.e+-]+)/.exec(location.hash);
  if (hash && +hash[2] > +hash[1]) { view = clamp(+hash[1], +hash[2]); }
  var uid = 0;

  function clamp(t0, t1) {
    var span = Math.min(data.end, Math.max(data.end * 1e-6, t1 - t0));
    t0 = Math.max(0, Math.min(data.end - span, t0));
    return {t0: t0, t1: t0 + span};
  }
  function visible(a, b) { return b >= view.t0 && a <= view.t1; }

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function x(t) { return LEFT + plotW * (t - view.t0) / (view.t1 - view.t0); }
  function timeAt(px) { return view.t0 + (px - LEFT) / plotW * (view.t1 - view.t0); }
  function fmt(s) {
    if (s < 1e-3) { return (s * 1e6).toFixed(0) + ' us'; }
    if (s < 1) { return (s * 1e3).toFixed(1) + ' ms'; }
    return s.toFixed(3) + ' s';
  }
  function ticks(max, n, min) {
    min = min || 0;
    var raw = (max - min) / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * mag; })
        .filter(function (s) { return s >= raw; })[0];
    var out = [];
    for (var i = Math.ceil(min / step - 1e-9); i * step <= max + step * 1e-4; i++) {
      out.push(i * step);
    }
    return out;
  }
  function panel(id, title, height) {
    var div = document.createElement('div');
    div.className = 'panel';
    var h = document.createElement('h2');
    h.textContent = title;
    div.appendChild(h);
    document.getElementById('charts').appendChild(div);
    var svg = el('svg', {'class': 'tessera-chart', 'data-chart': id, width: W,
        height: height + TOP + AXIS}, div);
    // the shared time axis, drawn under every panel
    var bottom = TOP + height;
    el('line', {x1: LEFT, x2: W - RIGHT, y1: bottom, y2: bottom, stroke: '#888'}, svg);
    ticks(view.t1, Math.max(2, Math.round(plotW / 110)), view.t0).forEach(function (t) {
      el('line', {x1: x(t), x2: x(t), y1: bottom, y2: bottom + 4, stroke: '#888'}, svg);
      var label = el('text', {x: x(t), y: bottom + 16, 'text-anchor': 'middle'}, svg);
      label.textContent = (+t.toPrecision(6)) + ' s';
    });
    // what is drawn in the plot stays inside it when zoomed in
    var clip = 'tessera-clip-' + (uid++);
    el('rect', {x: LEFT, y: 0, width: plotW, height: bottom}, el('clipPath', {id: clip},
        el('defs', {}, svg)));
    var plot = el('g', {'clip-path': 'url(#' + clip + ')'}, svg);
    return {svg: svg, div: div, top: TOP, height: height, plot: plot};
  }
  function hover(node, text) {
    node.addEventListener('mousemove', function (e) {
      tooltip.textContent = text;
      tooltip.style.display = 'block';
      tooltip.style.left = (e.clientX + 12) + 'px';
      tooltip.style.top = (e.clientY + 12) + 'px';
    });
    node.addEventListener('mouseleave', function () { tooltip.style.display = 'none'; });
  }
  function taskStream() {
    var rowH = 22, p = panel('tasks', 'Task stream (one row per worker; hover for key and duration)',
        Math.max(1, data.workers.length) * rowH);
    data.workers.forEach(function (w, i) {
      var label = el('text', {x: LEFT - 6, y: p.top + i * rowH + 15, 'text-anchor': 'end'}, p.svg);
      label.textContent = w.length > 22 ? '\u2026' + w.slice(-21) : w;
    });
    data.tasks.forEach(function (t) {
      if (!visible(t[1], t[2])) { return; }
      var x0 = x(t[1]), width = Math.max(0.5, x(t[2]) - x0);
      var r = el('rect', {'class': 'task', x: x0, y: p.top + t[0] * rowH + 2, width: width,
          height: rowH - 4, fill: data.colors[t[3]], stroke: t[5] ? '#d00' : '#fff',
          'stroke-width': t[5] ? 1 : 0.5}, p.plot); // a white edge parts adjacent tasks
      var text = t[4] + '\n' + data.prefixes[t[3]] + ', ' + fmt(t[2] - t[1])
          + (t[5] ? ', FAILED' : '');
      el('title', {}, r).textContent = text;
      hover(r, text);
    });
    var legend = document.createElement('div');
    legend.className = 'legend';
    data.prefixes.forEach(function (name, i) {
      var s = document.createElement('span');
      var sw = document.createElement('i');
      sw.style.background = data.colors[i];
      s.appendChild(sw);
      s.appendChild(document.createTextNode(name));
      legend.appendChild(s);
    });
    p.div.appendChild(legend);
  }
  function lines(id, title, series, unit) {
    var height = 120, p = panel(id, title, height);
    var max = 0;
    series.forEach(function (s) { s.points.forEach(function (pt) { max = Math.max(max, pt[1]); }); });
    max = max > 0 ? max * 1.1 : 1;
    function y(v) { return p.top + height - height * v / max; }
    ticks(max, 4).forEach(function (v) {
      el('line', {x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v), stroke: '#eee'}, p.svg);
      var label = el('text', {x: LEFT - 6, y: y(v) + 4, 'text-anchor': 'end'}, p.svg);
      label.textContent = (+v.toPrecision(3)) + ' ' + unit;
    });
    series.forEach(function (s) {
      var d = s.points.map(function (pt, i) {
        return (i ? 'L' : 'M') + x(pt[0]).toFixed(1) + ',' + y(pt[1]).toFixed(1);
      }).join('');
      var path = el('path', {'class': 'series', d: d, fill: 'none', stroke: s.color,
          'stroke-width': 1.5}, p.plot);
      el('title', {}, path).textContent = s.name;
    });
    var legend = document.createElement('div');
    legend.className = 'legend';
    series.forEach(function (s) {
      var span = document.createElement('span');
      var sw = document.createElement('i');
      sw.style.background = s.color;
      span.appendChild(sw);
      span.appendChild(document.createTextNode(s.name));
      legend.appendChild(span);
    });
    p.div.appendChild(legend);
  }
  function steps(points) {
    // the cache holds a count until the next sample: draw it as a step line
    var out = [];
    points.forEach(function (pt, i) {
      if (i) { out.push([pt[0], points[i - 1][1]]); }
      out.push(pt);
    });
    return out;
  }

  function render() {
  var charts = document.getElementById('charts');
  W = Math.max(480, Math.floor(charts.clientWidth || 980));
  plotW = W - LEFT - RIGHT;
  tooltip.style.display = 'none';
  while (charts.firstChild) { charts.removeChild(charts.firstChild); }
  var parts = [];
  if (data.hasTasks) {
    taskStream();
    parts.push(data.tasks.length + ' tasks on ' + data.workers.length + ' worker(s)');
  }
  if (data.hasResources) {
    lines('cpu', 'CPU (100% = one core)', [{name: 'CPU %', color: '#4e79a7',
        points: data.resources.map(function (r) { return [r[0], r[1]]; })}], '%');
    lines('memory', 'Memory (resident set incl. off-heap, and Java heap in use)', [
      {name: 'resident (MiB)', color: '#e15759',
          points: data.resources.map(function (r) { return [r[0], r[2]]; })},
      {name: 'heap used (MiB)', color: '#59a14f',
          points: data.resources.map(function (r) { return [r[0], r[3]]; })}], 'MiB');
  }
  if (data.hasCache) {
    lines('cache', 'Results held by the scheduler', [{name: 'results', color: '#b07aa1',
        points: steps(data.cache.map(function (c) { return [c[0], c[1]]; }))}], '');
    if (data.cacheBytes) {
      var max = data.cache.reduce(function (m, c) { return Math.max(m, c[2]); }, 0);
      var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], u = 0, size = 1;
      while (u < units.length - 1 && max >= size * 1024) { size *= 1024; u++; }
      lines('cache-bytes', 'Bytes held by the scheduler', [{name: units[u], color: '#9c755f',
          points: steps(data.cache.map(function (c) { return [c[0], Math.max(0, c[2]) / size]; }))}],
          units[u]);
    }
  }
  parts.push(fmt(data.end) + ' in all');
  var zoomed = view.t0 > 0 || view.t1 < data.end;
  parts.push(zoomed ? 'showing ' + fmt(view.t0) + ' to ' + fmt(view.t1)
      + ' (double-click to see all)' : 'scroll to zoom, drag to pan');
  document.getElementById('summary').textContent = parts.join(', ');
  document.body.setAttribute('data-rendered', 'ok');
  }

  // redraw at most once per frame
  var pending = false;
  function later() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () { pending = false; render(); });
    }
  }
  function plotX(e) {
    var svg = e.target.closest && e.target.closest('svg.tessera-chart');
    return svg ? e.clientX - svg.getBoundingClientRect().left : null;
  }
  var charts = document.getElementById('charts');
  charts.addEventListener('wheel', function (e) {
    var px = plotX(e);
    if (px === null || px < LEFT) { return; }
    e.preventDefault();
    var t = timeAt(px), f = e.deltaY < 0 ? 0.8 : 1.25;
    view = clamp(t - (t - view.t0) * f, t + (view.t1 - t) * f);
    later();
  }, {passive: false});
  var drag = null;
  charts.addEventListener('mousedown', function (e) {
    if (plotX(e) === null) { return; }
    drag = {x: e.clientX, t0: view.t0, t1: view.t1};
    e.preventDefault();
  });
  window.addEventListener('mousemove', function (e) {
    if (!drag) { return; }
    var dt = (e.clientX - drag.x) / plotW * (drag.t1 - drag.t0);
    view = clamp(drag.t0 - dt, drag.t1 - dt);
    later();
  });
  window.addEventListener('mouseup', function () { drag = null; });
  charts.addEventListener('dblclick', function () { view = {t0: 0, t1: data.end}; later(); });
  window.addEventListener('resize', later);
  render();
})();
