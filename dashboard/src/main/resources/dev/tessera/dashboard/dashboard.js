// Tessera dashboard: draws the pages from the server-sent "state" events. Every text that
// comes from a computation (keys, operation names, worker names) is set with textContent or
// setAttribute, never parsed as HTML.
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948',
    '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  var STATE_COLORS = {done: '#59a14f', running: '#edc948', failed: '#e15759', waiting: '#d9d9d9'};
  var KEEP_BARS = 20000;
  var WINDOW_S = 30;
  var body = document.body;
  var page = body.getAttribute('data-page');
  var params = new URLSearchParams(location.search);
  var token = params.get('token');
  var maxFrames = parseInt(params.get('frames') || '0', 10);
  var main = document.getElementById('main');
  var tip = document.getElementById('tip');
  var frames = 0;
  var colors = {};
  var bars = [];
  var history = {};

  window.addEventListener('error', function (e) {
    body.setAttribute('data-error', String(e.message));
  });

  function url(path) {
    if (!token) return path;
    return path + (path.indexOf('?') < 0 ? '?' : '&') + 'token=' + encodeURIComponent(token);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }

  function colorOf(prefix) {
    if (!(prefix in colors)) colors[prefix] = PALETTE[Object.keys(colors).length % PALETTE.length];
    return colors[prefix];
  }

  function bytes(n) {
    if (n === undefined || n === null || n < 0) return '\u2013';
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  function seconds(s) {
    if (s < 1e-3) return (s * 1e6).toFixed(0) + ' \u00b5s';
    if (s < 1) return (s * 1e3).toFixed(1) + ' ms';
    return s.toFixed(2) + ' s';
  }

  document.querySelectorAll('nav a').forEach(function (a) {
    a.setAttribute('href', url(a.getAttribute('href')));
    if (a.getAttribute('data-nav') === page) a.className = 'current';
  });

  // ---- Progress: one stacked bar per layer (or operation) of each computation ----
  function drawProgress(state) {
    main.textContent = '';
    if (state.runs.length === 0) {
      main.appendChild(el('p', 'note', 'No computation yet: call compute() and watch it here.'));
      return;
    }
    state.runs.forEach(function (r) {
      main.appendChild(el('h2', null, 'Computation ' + r.id + ' on ' + r.scheduler));
      var head = el('div', 'run-head', r.done + ' / ' + r.tasks + ' tasks done, ' + r.state
        + ', ' + r.elapsed.toFixed(1) + ' s' + (r.byOperation ? ' (grouped by operation)' : ''));
      main.appendChild(head);
      if (r.failure) main.appendChild(el('div', 'run-head failed', r.failure));
      var rows = r.groups.slice(0, 60);
      var width = 900, barX = 220, barW = 520, rowH = 20;
      var s = svg('svg', {width: width, height: rows.length * rowH + 4, 'data-chart': 'progress'});
      rows.forEach(function (g, i) {
        var y = i * rowH + 2;
        var label = svg('text', {x: 0, y: y + 14, 'class': 'label'});
        label.textContent = g.label.length > 32 ? g.label.slice(0, 31) + '\u2026' : g.label;
        var title = svg('title', {});
        title.textContent = g.name;
        label.appendChild(title);
        s.appendChild(label);
        var x = barX;
        ['done', 'running', 'failed', 'waiting'].forEach(function (k) {
          var w = g.total === 0 ? 0 : barW * g[k] / g.total;
          if (w > 0) {
            s.appendChild(svg('rect', {x: x, y: y, width: w, height: rowH - 6,
              fill: STATE_COLORS[k], 'class': 'state-' + k}));
          }
          x += w;
        });
        var count = svg('text', {x: barX + barW + 10, y: y + 14});
        count.textContent = g.done + ' / ' + g.total + (g.running ? ', ' + g.running + ' running' : '')
          + (g.failed ? ', ' + g.failed + ' failed' : '');
        s.appendChild(count);
      });
      main.appendChild(s);
      if (r.groups.length > rows.length) {
        main.appendChild(el('div', 'note', (r.groups.length - rows.length) + ' more not shown'));
      }
    });
    main.appendChild(legend());
  }

  function legend() {
    var l = el('div', 'legend');
    ['done', 'running', 'failed', 'waiting'].forEach(function (k) {
      var s = el('span');
      var i = el('i');
      i.style.background = STATE_COLORS[k];
      s.appendChild(i);
      s.appendChild(document.createTextNode(k));
      l.appendChild(s);
    });
    return l;
  }

  // ---- Task stream: a row per worker, a bar per task, coloured by operation ----
  var canvas = null, drawn = [];
  function drawTasks(state) {
    if (!canvas) {
      main.textContent = '';
      main.appendChild(el('h2', null, 'Task stream (the last ' + WINDOW_S + ' s)'));
      canvas = el('canvas', 'stream');
      canvas.setAttribute('data-chart', 'tasks');
      main.appendChild(canvas);
      main.appendChild(el('div', 'note', 'One row per worker thread or worker JVM, one bar per task coloured by operation (outlined: still running); hover over a bar for its key.'));
      canvas.addEventListener('mousemove', hover);
      canvas.addEventListener('mouseleave', function () { tip.hidden = true; });
    }
    var running = state.running.map(function (r) {
      return [r[0], r[1], state.now, r[2], r[3], false, -1, r[4], true];
    });
    var all = bars.concat(running);
    // the last WINDOW_S seconds, or less: from the first task that ended in them
    var t1 = state.now, t0 = t1;
    var workers = {};
    all.forEach(function (b) {
      if (b[2] >= t1 - WINDOW_S) {
        workers[b[0]] = true;
        t0 = Math.min(t0, b[1]);
      }
    });
    t0 = Math.max(t0, t1 - WINDOW_S);
    var names = Object.keys(workers).sort();
    var left = 190, rowH = 18, width = Math.max(600, main.clientWidth - 20);
    var height = Math.max(1, names.length) * rowH + 30;
    var ratio = window.devicePixelRatio || 1;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    canvas.style.width = width + 'px';
    canvas.style.height = height + 'px';
    var g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.fillStyle = '#fff';
    g.fillRect(0, 0, width, height);
    g.font = '11px Helvetica, Arial, sans-serif';
    var span = Math.max(1e-3, t1 - t0), plotW = width - left - 10;
    function xOf(t) { return left + (t - t0) / span * plotW; }
    names.forEach(function (n, i) {
      g.fillStyle = '#333';
      g.fillText(n.length > 30 ? n.slice(0, 29) + '\u2026' : n, 4, i * rowH + 13);
    });
    drawn = [];
    var rowOf = {};
    names.forEach(function (n, i) { rowOf[n] = i; });
    all.forEach(function (b) {
      if (b[2] < t0 || !(b[0] in rowOf)) return;
      var x = xOf(Math.max(t0, b[1])), w = Math.max(1, xOf(b[2]) - x), y = rowOf[b[0]] * rowH + 2;
      g.fillStyle = b[5] ? '#c0392b' : colorOf(b[3]);
      g.fillRect(x, y, w, rowH - 4);
      if (b[8]) { // still running: outlined
        g.strokeStyle = '#222';
        g.strokeRect(x + 0.5, y + 0.5, Math.max(0, w - 1), rowH - 5);
      }
      drawn.push([x, y, w, rowH - 4, b]);
    });
    g.fillStyle = '#666';
    g.fillRect(left, height - 24, plotW, 1);
    for (var k = 0; k <= 6; k++) {
      var t = t0 + span * k / 6;
      g.fillText(t.toFixed(1) + ' s', xOf(t) - 12, height - 10);
    }
    canvas.setAttribute('data-bars', String(drawn.length));
  }

  function hover(ev) {
    var r = canvas.getBoundingClientRect(), x = ev.clientX - r.left, y = ev.clientY - r.top;
    for (var i = drawn.length - 1; i >= 0; i--) {
      var d = drawn[i];
      if (x >= d[0] - 1 && x <= d[0] + d[2] + 1 && y >= d[1] && y <= d[1] + d[3]) {
        var b = d[4];
        tip.textContent = 'key: ' + b[4] + '\noperation: ' + b[3] + '\nworker: ' + b[0]
          + '\n' + (b[8] ? 'running for ' : 'duration: ') + seconds(b[2] - b[1])
          + '\nresult: ' + bytes(b[6]) + (b[5] ? '\nFAILED' : '');
        tip.style.left = (ev.clientX + 12) + 'px';
        tip.style.top = (ev.clientY + 12) + 'px';
        tip.hidden = false;
        return;
      }
    }
    tip.hidden = true;
  }

  // ---- Workers: one row per JVM, with CPU and memory lines ----
  function drawWorkers(state) {
    main.textContent = '';
    main.appendChild(el('h2', null, 'Worker JVMs'));
    var t = el('table', 'workers');
    var head = el('tr');
    ['JVM', 'CPU', 'resident', 'heap', 'off-heap (ND4J)', 'tasks running', 'threads',
      'tasks done', 'result bytes', 'bytes held', 'CPU (blue) and resident memory (orange)'].forEach(function (h) {
      head.appendChild(el('th', null, h));
    });
    t.appendChild(head);
    var cores = Math.max(1, state.cores || 1);
    state.workers.forEach(function (w) {
      var h = history[w.pid] || (history[w.pid] = []);
      h.push([w.cpu, w.rss]);
      if (h.length > 240) h.shift();
      var tr = el('tr');
      var heap = w.heap < 0 ? '\u2013' : bytes(w.heap) + ' / ' + bytes(w.heapMax);
      [w.name, w.cpu < 0 ? '\u2013' : w.cpu.toFixed(0) + ' %', bytes(w.rss), heap, bytes(w.offHeap),
        String(w.running), String(w.threads), String(w.done), bytes(w.bytes),
        w.held < 0 ? '\u2013' : bytes(w.held)].forEach(function (v, i) {
        var td = el('td', null, v);
        if (i === 1) td.appendChild(meter(w.cpu / (100 * cores), '#4e79a7'));
        if (i === 3 && w.heap >= 0) td.appendChild(meter(w.heap / w.heapMax, '#f28e2b'));
        if ((i === 3 || i === 4) && !w.local && w.heap < 0) {
          td.setAttribute('title', 'the worker JVM did not report its heap in time');
        }
        tr.appendChild(td);
      });
      var cell = el('td');
      cell.appendChild(spark(h));
      tr.appendChild(cell);
      t.appendChild(tr);
    });
    main.appendChild(t);
    main.appendChild(el('div', 'note', 'CPU: 100 % per busy core (' + cores + ' cores). \u2013: not known (a worker that did not answer in time, or figures its transport does not report).'));
    drawTransfers(state.transfers);
  }

  // ---- Transfers between workers: a from-to matrix with bytes/s, and the latest ones ----
  function drawTransfers(x) {
    main.appendChild(el('h2', null, 'Transfers between workers'));
    if (!x || x.count === 0) {
      main.appendChild(el('p', 'note', 'No result has moved between workers yet (tasks on threads share their values; worker JVMs and cluster nodes send inputs to the worker that needs them).'));
      return;
    }
    main.appendChild(el('div', 'run-head', x.count + ' transfers, ' + bytes(x.bytes) + ' in all'));
    var froms = {}, tos = {}, cell = {}, maxRate = 0;
    x.pairs.forEach(function (p) {
      froms[p[0]] = true;
      tos[p[1]] = true;
      cell[p[0] + '\u0000' + p[1]] = p;
      maxRate = Math.max(maxRate, p[4]);
    });
    var m = el('table', 'workers transfers');
    m.setAttribute('data-chart', 'transfers');
    m.setAttribute('data-transfers', String(x.count));
    var head = el('tr');
    head.appendChild(el('th', null, 'from \\ to'));
    var toNames = Object.keys(tos).sort();
    toNames.forEach(function (n) { head.appendChild(el('th', null, n)); });
    m.appendChild(head);
    Object.keys(froms).sort().forEach(function (f) {
      var tr = el('tr');
      tr.appendChild(el('th', null, f));
      toNames.forEach(function (n) {
        var p = cell[f + '\u0000' + n];
        var td = el('td', null, p ? bytes(p[3]) + ' (' + p[2] + ')' : '');
        if (p) {
          td.appendChild(el('div', 'rate', bytes(p[4]) + '/s'));
          td.appendChild(meter(maxRate > 0 ? p[4] / maxRate : 0, '#76b7b2'));
          td.setAttribute('title', p[2] + ' transfers, ' + bytes(p[3]) + '; ' + bytes(p[4])
            + '/s over the last ' + x.window + ' s');
        }
        tr.appendChild(td);
      });
      m.appendChild(tr);
    });
    main.appendChild(m);
    main.appendChild(el('div', 'note', 'Each cell: bytes sent from the row\u2019s worker to the column\u2019s (count), and bytes/s over the last ' + x.window + ' s.'));
    main.appendChild(el('h2', null, 'Latest transfers'));
    var l = el('table', 'workers recent');
    var h2 = el('tr');
    ['time', 'from', 'to', 'bytes', 'key'].forEach(function (c) { h2.appendChild(el('th', null, c)); });
    l.appendChild(h2);
    x.recent.forEach(function (r) {
      var tr = el('tr');
      [r[0].toFixed(2) + ' s', r[1], r[2], bytes(r[3]), r[4].length > 80 ? r[4].slice(0, 79) + '\u2026' : r[4]].forEach(function (v) {
        tr.appendChild(el('td', null, v));
      });
      tr.lastChild.className = 'key';
      l.appendChild(tr);
    });
    main.appendChild(l);
  }

  function meter(fraction, color) {
    var s = svg('svg', {width: 90, height: 8, 'class': 'meter'});
    s.appendChild(svg('rect', {x: 0, y: 0, width: 90, height: 8, fill: '#e6e6e6'}));
    var f = Math.max(0, Math.min(1, fraction || 0));
    s.appendChild(svg('rect', {x: 0, y: 0, width: Math.max(2, 90 * f), height: 8, fill: color}));
    return s;
  }

  function spark(h) {
    var w = 240, hgt = 36;
    var s = svg('svg', {width: w, height: hgt, 'data-chart': 'worker'});
    s.appendChild(svg('rect', {x: 0, y: 0, width: w, height: hgt, fill: '#f7f7f7'}));
    var maxRss = 1, maxCpu = 100;
    h.forEach(function (p) { maxRss = Math.max(maxRss, p[1]); maxCpu = Math.max(maxCpu, p[0]); });
    var pts = h.length === 1 ? [h[0], h[0]] : h;
    [[0, maxCpu, '#4e79a7'], [1, maxRss * 1.1, '#f28e2b']].forEach(function (c) {
      var d = '';
      pts.forEach(function (p, i) {
        var v = Math.max(0, p[c[0]]);
        var x = i / (pts.length - 1) * (w - 2) + 1;
        var y = hgt - 3 - Math.min(1, v / c[1]) * (hgt - 6);
        d += (d ? 'L' : 'M') + x.toFixed(1) + ',' + y.toFixed(1);
      });
      s.appendChild(svg('path', {d: d, fill: 'none', stroke: c[2], 'stroke-width': 2, 'class': 'series'}));
    });
    return s;
  }

  // ---- Graph: the renderer's layer view, each node coloured by its layer's state ----
  var graphRun = null, graphNodes = null, graphBox = null, graphNote = null, fetching = false;
  function drawGraph(state) {
    if (!graphBox) {
      main.textContent = '';
      graphNote = el('h2', null, 'Graph');
      main.appendChild(graphNote);
      main.appendChild(legend());
      graphBox = el('div', 'graph');
      main.appendChild(graphBox);
    }
    var r = state.runs[0];
    if (!r) {
      graphNote.textContent = 'Graph: no computation yet';
      return;
    }
    if (graphRun !== r.id && !fetching) { // one drawing at a time: the newest when it is done
      graphRun = r.id;
      fetching = true;
      graphNodes = null;
      graphNote.textContent = 'Graph of computation ' + r.id + ' (drawing\u2026)';
      var id = r.id;
      fetch(url('/api/graph?run=' + id)).finally(function () {
        fetching = false;
      }).then(function (resp) {
        if (!resp.ok) throw new Error('the graph of computation ' + id + ' is not available (' + resp.status + ')');
        return resp.text();
      }).then(function (text) {
        if (graphRun !== id) return;
        var doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        var root = doc.documentElement;
        if (root.nodeName !== 'svg') throw new Error('the server sent no SVG');
        clean(root);
        graphBox.textContent = '';
        graphBox.appendChild(document.importNode(root, true));
        graphNodes = {};
        graphBox.querySelectorAll('g.node').forEach(function (n) {
          var t = n.querySelector('title');
          if (t) graphNodes[t.textContent] = n;
        });
        graphBox.setAttribute('data-nodes', String(Object.keys(graphNodes).length));
        graphNote.textContent = 'Graph of computation ' + id + (r.byOperation ? ', one node per operation' : ', one node per layer');
        colour(r);
      }).catch(function (e) {
        graphNote.textContent = String(e.message);
      });
    } else if (graphNodes && graphRun === r.id) {
      colour(r);
    }
  }

  // the SVG comes from our own server and Graphviz escapes labels; still, drop anything
  // active before it joins the page
  function clean(node) {
    var all = [node].concat(Array.prototype.slice.call(node.querySelectorAll('*')));
    all.forEach(function (e) {
      var name = e.nodeName.toLowerCase();
      if (name === 'script' || name === 'foreignobject' || name === 'style') {
        e.parentNode.removeChild(e);
        return;
      }
      Array.prototype.slice.call(e.attributes).forEach(function (a) {
        var n = a.name.toLowerCase();
        if (n.indexOf('on') === 0 || n === 'style' || ((n === 'href' || n === 'xlink:href') && a.value.charAt(0) !== '#')) {
          e.removeAttribute(a.name);
        }
      });
    });
  }

  function colour(r) {
    var painted = 0;
    r.groups.forEach(function (g) {
      var n = graphNodes[g.name];
      if (!n) return;
      var k = g.failed > 0 ? 'failed' : g.done === g.total ? 'done' : g.running > 0 ? 'running'
        : g.done > 0 ? 'running' : 'waiting';
      n.querySelectorAll('polygon, ellipse, path').forEach(function (shape) {
        shape.setAttribute('fill', STATE_COLORS[k]);
      });
      n.setAttribute('data-state', k);
      painted++;
    });
    graphBox.setAttribute('data-painted', String(painted));
  }

  // ---- the event stream ----
  var draw = {progress: drawProgress, tasks: drawTasks, workers: drawWorkers, graph: drawGraph}[page];
  var status = document.getElementById('status');
  var source = new EventSource(url('/events'));
  source.addEventListener('state', function (ev) {
    var state = JSON.parse(ev.data);
    bars = bars.concat(state.bars);
    if (bars.length > KEEP_BARS) bars = bars.slice(bars.length - KEEP_BARS);
    status.textContent = 'live' + (state.lost > 0 ? ' (' + state.lost + ' task events not shown: tasks finished faster than the page samples)' : '');
    if (draw) draw(state);
    frames++;
    body.setAttribute('data-frames', String(frames));
    if (maxFrames > 0 && frames >= maxFrames) {
      source.close();
      status.textContent = 'stopped after ' + frames + ' updates';
      body.setAttribute('data-rendered', 'ok');
    }
  });
  source.onerror = function () {
    status.textContent = 'disconnected; reconnecting\u2026';
  };
})();
