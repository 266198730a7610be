extension GraphPage {
    /// The page's style: a bar with the search box, the drawing, and the detail panel on the right;
    /// highlight colours taken from torchviz's palette.
    static let style = #"""
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font: 13px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1d232b; background: #fff; }
body { display: grid; grid-template-rows: 46px 1fr; grid-template-columns: 1fr 340px; grid-template-areas: "bar bar" "view panel"; }
#nnviz-bar { grid-area: bar; display: flex; align-items: center; gap: 8px; padding: 0 12px; border-bottom: 1px solid #d9dde3; background: #f6f7f9; }
#nnviz-bar h1 { font-size: 14px; font-weight: 600; margin: 0 10px 0 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 28ch; }
#nnviz-search { width: 260px; padding: 5px 9px; border: 1px solid #b8c0cc; border-radius: 5px; font: inherit; background: #fff; }
#nnviz-search:focus { outline: 2px solid #7aa7d6; border-color: #7aa7d6; }
.nnviz-button { padding: 4px 10px; border: 1px solid #b8c0cc; border-radius: 5px; background: #fff; font: inherit; cursor: pointer; color: #1d232b; }
.nnviz-button:hover { background: #eef2f7; }
#nnviz-count { min-width: 7ch; color: #5b6675; font-variant-numeric: tabular-nums; }
#nnviz-legend { margin-left: auto; display: flex; gap: 10px; color: #4a5461; font-size: 12px; white-space: nowrap; }
#nnviz-legend i { display: inline-block; width: 11px; height: 11px; border: 1px solid #666; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
#nnviz-view { grid-area: view; position: relative; overflow: hidden; cursor: grab; background: #fff; touch-action: none; }
#nnviz-view.nnviz-dragging { cursor: grabbing; }
#nnviz-view svg { display: block; user-select: none; }
#nnviz-view g.node { cursor: pointer; }
#nnviz-panel { grid-area: panel; overflow-y: auto; padding: 14px 16px; border-left: 1px solid #d9dde3; background: #fafbfc; }
#nnviz-panel h2 { margin: 4px 0 10px; font-size: 16px; font-family: "DejaVu Sans Mono", monospace; word-break: break-all; }
#nnviz-panel h3 { margin: 16px 0 6px; font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: #5b6675; }
.nnviz-hint { color: #5b6675; }
.nnviz-kind { display: inline-block; padding: 1px 8px; border-radius: 9px; font-size: 11px; border: 1px solid #8894a3; background: lightgrey; }
.nnviz-kind-parameter, .nnviz-kind-input { background: lightblue; }
.nnviz-kind-output { background: #caff70; }
.nnviz-kind-saved { background: orange; }
.nnviz-kind-viewBase { background: #a2cd5a; }
.nnviz-kind-folded { background: #e6e0f4; }
.nnviz-props { width: 100%; border-collapse: collapse; }
.nnviz-props th { text-align: left; font-weight: 500; color: #4a5461; padding: 3px 10px 3px 0; vertical-align: top; white-space: nowrap; width: 1%; }
.nnviz-props td { padding: 3px 0; word-break: break-word; }
.nnviz-props tr + tr th, .nnviz-props tr + tr td { border-top: 1px solid #eceff3; }
.nnviz-num, .nnviz-mono, .nnviz-id { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
.nnviz-num { font-variant-numeric: tabular-nums; }
.nnviz-source { font-size: 12px; }
.nnviz-bad { color: #c00000; font-weight: 600; }
.nnviz-alert { margin: 0 0 8px; padding: 6px 9px; border-radius: 5px; background: #ffe3e3; border: 1px solid #c00000; color: #8a0000; }
.nnviz-label { margin: 0; padding: 6px 8px; background: #fff; border: 1px solid #e1e5ea; border-radius: 4px; font-size: 11px; white-space: pre-wrap; }
#nnviz-panel .nnviz-button { margin-top: 14px; }
/* Highlights: what feeds the selection in steel blue (torchviz's parameters are blue), what it feeds in
   olive green (torchviz's outputs are green), search matches in dark orange (saved tensors' orange). */
svg.nnviz-focus g.graph > g.node:not(.nnviz-up):not(.nnviz-down):not(.nnviz-selected),
svg.nnviz-focus g.graph > g.edge:not(.nnviz-up):not(.nnviz-down),
svg.nnviz-focus g.nnviz-copies:not(.nnviz-up):not(.nnviz-down) { opacity: .28; }
g.node.nnviz-up polygon, g.node.nnviz-up ellipse, g.node.nnviz-up path, g.nnviz-copies.nnviz-up polygon, g.nnviz-copies.nnviz-up path { stroke: #2b6cb0; stroke-width: 2.5px; }
g.edge.nnviz-up path { stroke: #2b6cb0; stroke-width: 2.2px; }
g.edge.nnviz-up polygon { stroke: #2b6cb0; fill: #2b6cb0; }
g.node.nnviz-down polygon, g.node.nnviz-down ellipse, g.node.nnviz-down path, g.nnviz-copies.nnviz-down polygon, g.nnviz-copies.nnviz-down path { stroke: #5a8f12; stroke-width: 2.5px; }
g.edge.nnviz-down path { stroke: #5a8f12; stroke-width: 2.2px; }
g.edge.nnviz-down polygon { stroke: #5a8f12; fill: #5a8f12; }
g.node.nnviz-selected polygon, g.node.nnviz-selected ellipse, g.node.nnviz-selected path { stroke: #111; stroke-width: 3.5px; }
g.node.nnviz-match polygon, g.node.nnviz-match ellipse, g.node.nnviz-match path { stroke: #e07b00; stroke-width: 3px; }
g.node.nnviz-current polygon, g.node.nnviz-current ellipse, g.node.nnviz-current path { stroke: #c2410c; stroke-width: 5px; }
path.nnviz-link { stroke: #444; stroke-width: 1px; fill: none; marker-end: url(#nnviz-arrow); }
g.nnviz-foldbar text { font: 11px "DejaVu Sans", sans-serif; fill: #5b3fa0; cursor: pointer; text-decoration: underline; }
#nnviz-selftest { display: none; }
"""#

    /// The page's script. It reads the embedded JSON (`#nnviz-data`), wraps the drawing in one camera
    /// `<g>` (pan and zoom change its transform only, once a frame), and handles every event on the
    /// drawing's container (no listener per node): hover and click fill the panel, click highlights the
    /// paths through the node, a folded block expands into copies of its `<template>` step. The URL
    /// fragment `#search=…&select=…&expand=…` applies a search, a selection and expansions on load;
    /// `&selftest=1` writes a JSON report (node counts, missing nodes, matches, the panel's text, and
    /// times in milliseconds since navigation: `parsedMs` when the script starts, `loadMs` when it is
    /// done; `searchMs` for the last search) into `<pre id="nnviz-selftest">` for the browser tests.
    static let script = #"""
(function () {
  "use strict";
  var parsedMs = performance.now();
  var NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("nnviz-data").textContent);
  var view = document.getElementById("nnviz-view");
  var svg = view.querySelector("svg");
  var graph = svg.querySelector("g.graph");
  var panel = document.getElementById("nnviz-panel");
  var searchBox = document.getElementById("nnviz-search");
  var countLabel = document.getElementById("nnviz-count");
  var horizontal = data.direction === "LR";

  // Nodes by id, the drawn ones with their SVG elements; edges of the drawing by index.
  var nodeData = new Map();
  data.nodes.forEach(function (n) { nodeData.set(n.id, n); });
  var nodeElement = new Map();
  svg.querySelectorAll("g.node").forEach(function (el) { nodeElement.set(el.id.slice(5), el); });
  var drawnEdges = data.edges.filter(function (e) { return !e.fold; });
  var edgeElement = drawnEdges.map(function (e, i) { return document.getElementById("edge_" + i); });
  var outgoing = new Map(), incoming = new Map();
  drawnEdges.forEach(function (e, i) {
    if (!outgoing.has(e.from)) outgoing.set(e.from, []);
    if (!incoming.has(e.to)) incoming.set(e.to, []);
    outgoing.get(e.from).push(i);
    incoming.get(e.to).push(i);
  });
  var folds = new Map();
  data.folds.forEach(function (f) { folds.set(f.id, { data: f, expanded: false, copies: null }); });

  // ---- Camera: one transform on one <g>, applied at most once a frame.
  var box = svg.viewBox.baseVal;
  var width = box && box.width ? box.width : 100, height = box && box.height ? box.height : 100;
  svg.removeAttribute("viewBox");
  svg.setAttribute("width", "100%");
  svg.setAttribute("height", "100%");
  var camera = document.createElementNS(NS, "g");
  camera.id = "nnviz-camera";
  svg.insertBefore(camera, graph);
  camera.appendChild(graph);
  var cam = { x: 0, y: 0, k: 1 }, framePending = false;
  function applyCamera() {
    framePending = false;
    camera.setAttribute("transform", "translate(" + cam.x + " " + cam.y + ") scale(" + cam.k + ")");
  }
  function schedule() {
    if (!framePending) { framePending = true; requestAnimationFrame(applyCamera); }
  }
  function fit() {
    var r = view.getBoundingClientRect();
    var b = graph.getBBox();
    var k = Math.min(r.width / (b.width + 40), r.height / (b.height + 40), 2);
    var m = graph.transform.baseVal.consolidate();
    var t = m ? m.matrix : { a: 1, d: 1, e: 0, f: 0 };
    var cx = t.a * (b.x + b.width / 2) + t.e, cy = t.d * (b.y + b.height / 2) + t.f;
    cam.k = k;
    cam.x = r.width / 2 - k * cx;
    cam.y = r.height / 2 - k * cy;
    applyCamera();
  }
  function zoomAt(factor, px, py) {
    var k = Math.max(0.01, Math.min(40, cam.k * factor));
    cam.x = px - (px - cam.x) * (k / cam.k);
    cam.y = py - (py - cam.y) * (k / cam.k);
    cam.k = k;
    schedule();
  }
  function centre(el) {
    var r = view.getBoundingClientRect(), e = el.getBoundingClientRect();
    if (e.width < 4 || e.height < 4 || e.width > r.width * 0.8) {
      var k = Math.max(cam.k, Math.min(1.5, 0.5 * r.width / Math.max(e.width / cam.k, 1)));
      zoomAt(k / cam.k, e.left + e.width / 2 - r.left, e.top + e.height / 2 - r.top);
      applyCamera();
      e = el.getBoundingClientRect();
    }
    cam.x += r.left + r.width / 2 - (e.left + e.width / 2);
    cam.y += r.top + r.height / 2 - (e.top + e.height / 2);
    applyCamera();
  }
  view.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var r = view.getBoundingClientRect();
    zoomAt(Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015)), ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  var drag = null;
  view.addEventListener("pointerdown", function (ev) {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, cx: cam.x, cy: cam.y, moved: false };
  });
  window.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!drag.moved) { drag.moved = true; view.classList.add("nnviz-dragging"); }
    cam.x = drag.cx + dx;
    cam.y = drag.cy + dy;
    schedule();
  });
  window.addEventListener("pointerup", function () {
    if (drag && drag.moved) { view.classList.remove("nnviz-dragging"); suppressClick = true; }
    drag = null;
  });
  var suppressClick = false;

  // ---- Panel: built with text nodes only, so no data can become markup.
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function num(v) {
    if (v === undefined || v === null) return "–";
    if (typeof v === "string") return v;
    if (v === 0) return "0";
    var a = Math.abs(v);
    return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(5))) : v.toExponential(3);
  }
  function shape(s) { return "(" + s.join(", ") + ")"; }
  function row(table, key, value, cls) {
    var tr = el("tr");
    tr.appendChild(el("th", null, key));
    tr.appendChild(el("td", cls || null, value));
    table.appendChild(tr);
  }
  var kindNames = { parameter: "parameter", input: "input (requires grad)", function: "backward function",
    output: "output", saved: "saved tensor", viewBase: "base of a view", folded: "folded steps", other: "node" };
  function showPanel(n, pinned) {
    panel.textContent = "";
    panel.classList.toggle("nnviz-pinned", !!pinned);
    if (!n) {
      panel.appendChild(el("p", "nnviz-hint", "Hover or click a node. Click highlights what feeds it (blue) and what it feeds (green). Drag to pan, wheel to zoom, F fits, / searches."));
      return;
    }
    var head = el("div", "nnviz-head");
    head.appendChild(el("span", "nnviz-kind nnviz-kind-" + n.kind, kindNames[n.kind] || n.kind));
    head.appendChild(el("h2", null, n.op || n.name || n.label.split("\n")[0] || n.id));
    panel.appendChild(head);
    if (n.anomaly) panel.appendChild(el("p", "nnviz-alert", "First NaN/Inf appears here" + (n.firstNonFinite ? " (in " + n.firstNonFinite + ")" : "")));
    var t = el("table", "nnviz-props");
    if (n.op) row(t, "operation", n.op);
    if (n.name) row(t, n.kind === "parameter" ? "parameter" : "name", n.name);
    if (n.shape) row(t, "shape", shape(n.shape));
    if (n.dtype) row(t, "dtype", n.dtype);
    if (n.gradNorm !== undefined) row(t, "‖grad‖", num(n.gradNorm), "nnviz-num");
    if (n.module) row(t, "module", n.module);
    if (n.fold) row(t, "folded step", (n.step + 1) + " of " + folds.get(n.fold).data.repeats);
    if (n.source) row(t, "source", n.source, "nnviz-source");
    row(t, "id", n.id, "nnviz-id");
    panel.appendChild(t);
    if (n.stats) {
      panel.appendChild(el("h3", null, n.kind === "function" ? "Values it produced" : "Values"));
      var s = el("table", "nnviz-props nnviz-stats");
      row(s, "count", String(n.stats.count), "nnviz-num");
      row(s, "min", num(n.stats.min), "nnviz-num");
      row(s, "max", num(n.stats.max), "nnviz-num");
      row(s, "mean", num(n.stats.mean), "nnviz-num");
      row(s, "std", num(n.stats.std), "nnviz-num");
      row(s, "NaN", String(n.stats.nan), n.stats.nan ? "nnviz-num nnviz-bad" : "nnviz-num");
      row(s, "±Inf", String(n.stats.inf), n.stats.inf ? "nnviz-num nnviz-bad" : "nnviz-num");
      panel.appendChild(s);
    }
    [["saved", "Saved tensors"], ["attributes", "Saved attributes"]].forEach(function (p) {
      if (!n[p[0]]) return;
      panel.appendChild(el("h3", null, p[1]));
      var a = el("table", "nnviz-props");
      n[p[0]].forEach(function (e) { row(a, e.name, e.value, "nnviz-mono"); });
      panel.appendChild(a);
    });
    if (n.kind === "folded" || n.fold) {
      var f = folds.get(n.kind === "folded" ? n.id : n.fold);
      var b = el("button", "nnviz-button", f.expanded ? "Fold back ×" + f.data.repeats : "Expand ×" + f.data.repeats + " steps");
      b.addEventListener("click", function () { toggleFold(f.data.id); });
      panel.appendChild(b);
    }
    if (n.label && n.label !== n.op) {
      panel.appendChild(el("h3", null, "Label"));
      panel.appendChild(el("pre", "nnviz-label", n.label));
    }
  }

  // ---- Selection and path highlighting (upstream: what feeds the node; downstream: what it feeds).
  var selected = null, marked = [];
  function clearMarks() {
    marked.forEach(function (m) { m.classList.remove("nnviz-up", "nnviz-down", "nnviz-selected"); });
    marked = [];
    svg.classList.remove("nnviz-focus");
  }
  function mark(e, cls) {
    if (!e) return;
    e.classList.add(cls);
    marked.push(e);
    var f = folds.get(e.id.slice(5));
    if (f && f.copies) mark(f.copies, cls);
  }
  function walk(start, edges, end, cls) {
    var seen = new Set([start]), stack = [start];
    while (stack.length) {
      var id = stack.pop();
      (edges.get(id) || []).forEach(function (i) {
        var next = drawnEdges[i][end];
        mark(edgeElement[i], cls);
        if (!seen.has(next)) { seen.add(next); stack.push(next); mark(nodeElement.get(next), cls); }
      });
    }
  }
  function select(id) {
    clearMarks();
    selected = id;
    var n = nodeData.get(id);
    if (!n) { showPanel(null); return; }
    var own = nodeElement.get(id) || document.getElementById("node_" + id);
    if (nodeElement.has(id)) {
      walk(id, incoming, "from", "nnviz-up");
      walk(id, outgoing, "to", "nnviz-down");
      svg.classList.add("nnviz-focus");
    }
    mark(own, "nnviz-selected");
    showPanel(n, true);
  }
  function nodeOf(target) {
    var g = target.closest ? target.closest("g.node") : null;
    return g && g.id.indexOf("node_") === 0 ? g.id.slice(5) : null;
  }
  view.addEventListener("click", function (ev) {
    if (suppressClick) { suppressClick = false; return; }
    var bar = ev.target.closest ? ev.target.closest("g.nnviz-foldbar") : null;
    if (bar) { toggleFold(bar.getAttribute("data-fold")); return; }
    var id = nodeOf(ev.target);
    if (!id) { clearMarks(); selected = null; showPanel(null); return; }
    var n = nodeData.get(id);
    if (n && n.kind === "folded") toggleFold(id);
    select(id);
  });
  view.addEventListener("mouseover", function (ev) {
    if (selected || drag) return;
    var id = nodeOf(ev.target);
    if (id) showPanel(nodeData.get(id), false);
  });

  // ---- Search: by label, operation, name, module or id; Enter / Shift+Enter step through matches.
  var searchIndex = [];
  nodeElement.forEach(function (e, id) {
    var n = nodeData.get(id);
    if (n) searchIndex.push({ id: id, text: [n.label, n.op, n.name, n.module, n.id].join("\n").toLowerCase() });
  });
  var matches = [], current = -1, matchMarked = [], lastSearchMs = 0;
  function search(query) {
    var t = performance.now();
    matchMarked.forEach(function (m) { m.classList.remove("nnviz-match", "nnviz-current"); });
    matchMarked = [];
    matches = [];
    current = -1;
    var q = query.trim().toLowerCase();
    if (q) {
      for (var i = 0; i < searchIndex.length; i++) if (searchIndex[i].text.indexOf(q) >= 0) matches.push(searchIndex[i].id);
      matches.forEach(function (id) { var e = nodeElement.get(id); e.classList.add("nnviz-match"); matchMarked.push(e); });
    }
    countLabel.textContent = q ? (matches.length ? "1 of " + matches.length : "no match") : "";
    if (matches.length) step(1);
    lastSearchMs = performance.now() - t;
  }
  function step(direction) {
    if (!matches.length) return;
    if (current >= 0) nodeElement.get(matches[current]).classList.remove("nnviz-current");
    current = (current + direction + matches.length) % matches.length;
    var e = nodeElement.get(matches[current]);
    e.classList.add("nnviz-current");
    countLabel.textContent = (current + 1) + " of " + matches.length;
    centre(e);
    if (!selected) showPanel(nodeData.get(matches[current]), false);
  }
  var searchTimer = 0;
  searchBox.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () { search(searchBox.value); }, 120);
  });
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); clearTimeout(searchTimer); if (!matches.length) search(searchBox.value); else step(ev.shiftKey ? -1 : 1); }
    if (ev.key === "Escape") { searchBox.value = ""; search(""); searchBox.blur(); }
  });
  document.getElementById("nnviz-next").addEventListener("click", function () { step(1); });
  document.getElementById("nnviz-prev").addEventListener("click", function () { step(-1); });
  document.getElementById("nnviz-fit").addEventListener("click", fit);
  document.addEventListener("keydown", function (ev) {
    if (ev.target === searchBox || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var r = view.getBoundingClientRect();
    if (ev.key === "f" || ev.key === "F") fit();
    else if (ev.key === "/") { ev.preventDefault(); searchBox.focus(); searchBox.select(); }
    else if (ev.key === "n") step(1);
    else if (ev.key === "N") step(-1);
    else if (ev.key === "+" || ev.key === "=") zoomAt(1.25, r.width / 2, r.height / 2);
    else if (ev.key === "-") zoomAt(0.8, r.width / 2, r.height / 2);
    else if (ev.key === "Escape") { clearMarks(); selected = null; showPanel(null); }
  });

  // ---- Folds. Each block expands in place into N translated copies of one step, laid out once by
  // Graphviz (the <template> of the fold); what lies beyond the block moves along the rank axis by the
  // extra length, point by point for edges and cluster boxes, so edges stay attached.
  var GAP = 14, geometry = null;
  function axisOf(b) { return horizontal ? { start: b.x, size: b.width, cross: b.y + b.height / 2 } : { start: b.y, size: b.height, cross: b.x + b.width / 2 }; }
  function remember() {
    if (geometry) return;
    geometry = { nodes: [], shapes: [] };
    nodeElement.forEach(function (e) {
      var b = e.getBBox(), a = axisOf(b);
      geometry.nodes.push({ el: e, at: a.start + a.size / 2 });
    });
    svg.querySelectorAll("g.edge path, g.edge polygon, g.edge text, g.cluster polygon, g.cluster path, g.cluster text").forEach(function (e) {
      geometry.shapes.push({ el: e, d: e.getAttribute("d"), points: e.getAttribute("points"), x: e.getAttribute("x"), y: e.getAttribute("y") });
    });
    folds.forEach(function (f) {
      var b = nodeElement.get(f.data.id).getBBox(), a = axisOf(b);
      f.start = a.start; f.end = a.start + a.size; f.cross = a.cross;
    });
  }
  function shiftAt(v) {
    var s = 0;
    folds.forEach(function (f) { if (f.expanded && v > f.end) s += f.delta; });
    return s;
  }
  function movePairs(text) {
    return text.replace(/(-?[\d.]+),(-?[\d.]+)/g, function (_, x, y) {
      var px = parseFloat(x), py = parseFloat(y);
      return horizontal ? (px + shiftAt(px)).toFixed(2) + "," + y : x + "," + (py + shiftAt(py)).toFixed(2);
    });
  }
  function arrowMarker() {
    if (document.getElementById("nnviz-arrow")) return;
    var defs = document.createElementNS(NS, "defs");
    defs.innerHTML = '<marker id="nnviz-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#444"/></marker>';
    svg.insertBefore(defs, svg.firstChild);
  }
  function buildCopies(f) {
    arrowMarker();
    var tpl = document.getElementById("nnviz-fold-" + f.data.id);
    var body = tpl.content.querySelector("g.graph");
    var index = new Map();
    f.data.steps[0].forEach(function (id, i) { index.set(id, i); });
    var group = document.createElementNS(NS, "g");
    group.setAttribute("class", "nnviz-copies");
    graph.appendChild(group);
    var first = document.createElementNS(NS, "g");
    for (var c = body.firstElementChild; c; c = c.nextElementSibling) {
      if (c.tagName === "title" || (c.tagName === "polygon" && c === body.querySelector(":scope > polygon"))) continue;
      first.appendChild(c.cloneNode(true));
    }
    group.appendChild(first);
    var tb = first.getBBox();
    var entry = first.querySelector("#node_" + CSS.escape(f.data.steps[0][f.data.entry])).getBBox();
    var exit = first.querySelector("#node_" + CSS.escape(f.data.steps[0][f.data.exit])).getBBox();
    var ta = axisOf(tb), ea = axisOf(entry), xa = axisOf(exit);
    var pitch = ta.size + GAP, n = f.data.repeats;
    group.removeChild(first);
    var frag = document.createDocumentFragment();
    for (var k = 0; k < n; k++) {
      var copy = k === n - 1 ? first : first.cloneNode(true);
      var along = f.start - ta.start + k * pitch, across = f.cross - ea.cross;
      copy.setAttribute("transform", horizontal ? "translate(" + along + " " + across + ")" : "translate(" + across + " " + along + ")");
      copy.querySelectorAll("g.node").forEach(function (g) {
        var i = index.get(g.id.slice(5));
        g.id = i === undefined ? "" : "node_" + f.data.steps[k][i];
      });
      copy.querySelectorAll("[id]:not(g.node)").forEach(function (g) { g.removeAttribute("id"); });
      frag.appendChild(copy);
      if (k + 1 < n) {
        var from = xa.start + xa.size + along, to = ea.start + along + pitch;
        var link = document.createElementNS(NS, "path");
        link.setAttribute("class", "nnviz-link");
        var x1 = xa.cross + across, x2 = ea.cross + across;
        link.setAttribute("d", horizontal ? "M" + from + "," + x1 + "L" + (to - 4) + "," + x2 : "M" + x1 + "," + from + "L" + x2 + "," + (to - 4));
        frag.appendChild(link);
      }
    }
    group.appendChild(frag);
    var bar = document.createElementNS(NS, "g");
    bar.setAttribute("class", "nnviz-foldbar");
    bar.setAttribute("data-fold", f.data.id);
    var label = document.createElementNS(NS, "text");
    label.textContent = "▴ fold back ×" + n;
    var bx = horizontal ? f.start : f.cross + tb.width / 2 + 8, by = horizontal ? f.cross - tb.height / 2 - 8 : f.start + 10;
    label.setAttribute("x", bx);
    label.setAttribute("y", by);
    bar.appendChild(label);
    group.appendChild(bar);
    f.delta = n * pitch - GAP - (f.end - f.start);
    f.copies = group;
  }
  function relayout() {
    geometry.nodes.forEach(function (g) {
      var s = shiftAt(g.at);
      if (s) g.el.setAttribute("transform", horizontal ? "translate(" + s + " 0)" : "translate(0 " + s + ")");
      else g.el.removeAttribute("transform");
    });
    geometry.shapes.forEach(function (g) {
      if (g.d) g.el.setAttribute("d", movePairs(g.d));
      if (g.points) g.el.setAttribute("points", movePairs(g.points));
      if (g.x !== null && g.y !== null) {
        var v = parseFloat(horizontal ? g.x : g.y);
        g.el.setAttribute(horizontal ? "x" : "y", (v + shiftAt(v)).toFixed(2));
      }
    });
    folds.forEach(function (f) {
      var block = nodeElement.get(f.data.id);
      block.style.display = f.expanded ? "none" : "";
      if (f.copies) {
        f.copies.style.display = f.expanded ? "" : "none";
        var s = shiftAt(f.start);
        f.copies.setAttribute("transform", horizontal ? "translate(" + s + " 0)" : "translate(0 " + s + ")");
      }
    });
  }
  function toggleFold(id) {
    var f = folds.get(id);
    if (!f) return;
    remember();
    f.expanded = !f.expanded;
    if (f.expanded && !f.copies) buildCopies(f);
    relayout();
    if (selected) select(selected);
  }
  // ---- Start: fit, then apply the URL fragment (#search=…&select=…&expand=…&selftest=1).
  var params = new URLSearchParams(location.hash.slice(1));
  if (params.get("expand")) params.get("expand").split(",").forEach(toggleFold);
  fit();
  showPanel(null);
  if (params.get("select")) {
    select(params.get("select"));
    var chosen = document.getElementById("node_" + params.get("select"));
    if (chosen) { var r0 = view.getBoundingClientRect(); zoomAt(Math.max(1, cam.k) / cam.k, r0.width / 2, r0.height / 2); applyCamera(); centre(chosen); }
  }
  if (params.get("search")) { searchBox.value = params.get("search"); search(searchBox.value); }
  var loadMs = performance.now();
  if (params.get("selftest")) {
    var missing = [];
    data.nodes.forEach(function (n) { if (!n.fold && !nodeElement.has(n.id)) missing.push(n.id); });
    var report = {
      dataNodes: data.nodes.filter(function (n) { return !n.fold; }).length,
      svgNodes: nodeElement.size, missing: missing,
      svgEdges: edgeElement.filter(function (e) { return e; }).length, dataEdges: drawnEdges.length,
      matches: matches.slice(), current: current >= 0 ? matches[current] : null,
      selected: selected, highlighted: marked.length,
      panel: panel.textContent,
      copies: document.querySelectorAll("g.nnviz-copies g.node").length,
      parsedMs: Math.round(parsedMs), loadMs: Math.round(loadMs), searchMs: Math.round(lastSearchMs * 10) / 10
    };
    var out = document.createElement("pre");
    out.id = "nnviz-selftest";
    out.textContent = JSON.stringify(report);
    document.body.appendChild(out);
  }
})();
"""#
}
