// Draws the Tessera profile report from the JSON in #tessera-data: plain SVG, no libraries.
(function () {
  'use strict';
  window.addEventListener('error', function (e) {
    document.body.setAttribute('data-error', String(e.message));
  });
  var NS = 'http://www.w3.org/2000/svg';
  var data = JSON.parse(document.getElementById('tessera-data').textContent);
  var W = 980, LEFT = 140, RIGHT = 20, TOP = 8, AXIS = 22;
  var plotW = W - LEFT - RIGHT;
  var tooltip = document.getElementById('tooltip');

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function x(t) { return LEFT + plotW * t / data.end; }
  function fmt(s) {
    if (s < 1e-3) { return (s * 1e6).toFixed(0) + ' us'; }
    if (s < 1) { return (s * 1e3).toFixed(1) + ' ms'; }
    return s.toFixed(3) + ' s';
  }
  function ticks(max, n) {
    var raw = max / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * mag; })
        .filter(function (s) { return s >= raw; })[0];
    var out = [];
    for (var v = 0; v <= max * 1.0001; v += step) { out.push(v); }
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
    ticks(data.end, 8).forEach(function (t) {
      el('line', {x1: x(t), x2: x(t), y1: bottom, y2: bottom + 4, stroke: '#888'}, svg);
      var label = el('text', {x: x(t), y: bottom + 16, 'text-anchor': 'middle'}, svg);
      label.textContent = t.toPrecision(3).replace(/\.?0+$/, '') + ' s';
    });
    return {svg: svg, div: div, top: TOP, height: height};
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
      var x0 = x(t[1]), width = Math.max(0.5, x(t[2]) - x0);
      var r = el('rect', {'class': 'task', x: x0, y: p.top + t[0] * rowH + 2, width: width,
          height: rowH - 4, fill: data.colors[t[3]], stroke: t[5] ? '#d00' : 'none'}, p.svg);
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
          'stroke-width': 1.5}, p.svg);
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
  document.getElementById('summary').textContent = parts.join(', ');
  document.body.setAttribute('data-rendered', 'ok');
})();
