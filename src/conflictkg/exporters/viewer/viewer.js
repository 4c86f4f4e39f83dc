// conflictkg viewer: draws the embedded graph, filters it, shows a node's facts and sources.
// Self-contained: no library, no network. Data come from the JSON block #ckg-data.
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var MAX_DRAWN = 400;
  var MAX_NEIGHBOURS = 100;
  var data = JSON.parse(document.getElementById("ckg-data").textContent);
  var nodes = data.nodes;
  var edges = data.edges;
  var byId = {};
  var state = {
    types: {},
    statuses: {},
    query: "",
    selected: null,
    edgeLabels: edges.length <= 120,
    drawn: [],
    drawnEdges: [],
    view: null,
    scale: 1,
    labelled: {}
  };

  nodes.forEach(function (node) {
    node.out = [];
    node.inc = [];
    byId[node.id] = node;
  });
  edges.forEach(function (edge) {
    byId[edge.s].out.push(edge);
    byId[edge.t].inc.push(edge);
  });
  nodes.forEach(function (node) {
    node.degree = node.out.length + node.inc.length;
  });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    return node;
  }

  function colourOf(kind) {
    return data.kindColours[kind] || data.kindColours.other;
  }

  function statusStyle(status) {
    return data.statusStyles[status || ""] || data.statusStyles[""];
  }

  function dash(style) {
    if (style === "dashdot") return "6 2 1 2";
    return style === "dashed" ? "6 4" : style === "dotted" ? "2 3" : "none";
  }

  function shorten(text, size) {
    text = String(text);
    return text.length > size ? text.slice(0, size - 1) + "\u2026" : text;
  }

  // ---- filters -------------------------------------------------------------------------

  function counted(list, key) {
    var counts = {};
    list.forEach(function (item) {
      var value = item[key];
      if (value !== null && value !== undefined && value !== "") {
        counts[value] = (counts[value] || 0) + 1;
      }
    });
    return counts;
  }

  function buildFilters() {
    var typeBox = document.getElementById("type-filters");
    var kinds = {};
    nodes.forEach(function (node) {
      kinds[node.kind] = kinds[node.kind] || {};
      kinds[node.kind][node.type] = (kinds[node.kind][node.type] || 0) + 1;
    });
    Object.keys(kinds).sort(function (a, b) {
      return data.kindOrder.indexOf(a) - data.kindOrder.indexOf(b);
    }).forEach(function (kind) {
      var head = el("div", { "class": "kind" });
      var swatch = el("span", { "class": "swatch" });
      swatch.style.background = colourOf(kind);
      head.appendChild(swatch);
      head.appendChild(document.createTextNode(data.kindNames[kind] || kind));
      typeBox.appendChild(head);
      Object.keys(kinds[kind]).sort().forEach(function (type) {
        state.types[type] = true;
        typeBox.appendChild(checkbox("type", type, data.typeLabels[type] || type,
          kinds[kind][type]));
      });
    });
    var statusBox = document.getElementById("status-filters");
    var counts = counted(edges, "status");
    var nodeCounts = counted(nodes, "status");
    Object.keys(nodeCounts).forEach(function (status) {
      counts[status] = (counts[status] || 0) + nodeCounts[status];
    });
    Object.keys(counts).sort().forEach(function (status) {
      state.statuses[status] = true;
      var row = checkbox("status", status, data.statusLabels[status] || status, counts[status]);
      var style = statusStyle(status);
      var stroke = el("span", { "class": "stroke" });
      stroke.style.borderTopColor = style[0];
      stroke.style.borderTopStyle = style[1] === "dashdot" ? "dashed" : style[1];
      row.insertBefore(stroke, row.children[1]);
      statusBox.appendChild(row);
    });
    if (!Object.keys(counts).length) {
      statusBox.appendChild(el("p", { "class": "check" }, "no statuses in this view"));
    }
  }

  function checkbox(group, value, label, count) {
    var row = el("label", { "class": "check" });
    var input = el("input", { type: "checkbox", "data-group": group });
    input.checked = true;
    input.value = value;
    input.addEventListener("change", function () {
      (group === "type" ? state.types : state.statuses)[value] = input.checked;
      render(true);
    });
    row.appendChild(input);
    row.appendChild(document.createTextNode(" " + label));
    row.appendChild(el("span", { "class": "n" }, count));
    return row;
  }

  function passes(item) {
    return !item.status || state.statuses[item.status];
  }

  // ---- layout --------------------------------------------------------------------------

  // Fruchterman-Reingold with a linear pull to the centre that keeps loose components near.
  function layout(list, links, keep) {
    var count = list.length;
    if (!count) {
      return;
    }
    var k = 70;
    var spread = k * Math.sqrt(count);
    var golden = Math.PI * (3 - Math.sqrt(5));
    list.forEach(function (node, index) {
      if (!keep || node.x === undefined || isNaN(node.x)) {
        var r = spread * 0.6 * Math.sqrt((index + 0.5) / count);
        node.x = r * Math.cos(index * golden);
        node.y = r * Math.sin(index * golden);
      }
    });
    list.forEach(function (node) {
      node.mass = 1 + Math.log(1 + node.degree) * 0.6;
    });
    var rounds = count > 250 ? 180 : 320;
    var heat = keep ? spread / 12 : spread / 4;
    var gravity = count > 60 ? 0.25 : 0.6;
    for (var round = 0; round < rounds; round++) {
      var i, j, a, b, dx, dy, d2, d, f;
      for (i = 0; i < count; i++) {
        a = list[i];
        a.dx = -a.x * gravity;
        a.dy = -a.y * gravity;
      }
      for (i = 0; i < count; i++) {
        a = list[i];
        for (j = i + 1; j < count; j++) {
          b = list[j];
          dx = a.x - b.x;
          dy = a.y - b.y;
          d2 = dx * dx + dy * dy;
          if (d2 < 0.01) {
            dx = (i - j) * 0.1;
            dy = 0.1;
            d2 = dx * dx + dy * dy;
          }
          f = k * k * a.mass * b.mass / d2;
          a.dx += dx * f;
          a.dy += dy * f;
          b.dx -= dx * f;
          b.dy -= dy * f;
        }
      }
      links.forEach(function (edge) {
        var s = byId[edge.s];
        var t = byId[edge.t];
        if (s === t) {
          return;
        }
        var ex = s.x - t.x;
        var ey = s.y - t.y;
        var dist = Math.sqrt(ex * ex + ey * ey) || 0.01;
        var pull = dist / k;
        s.dx -= ex * pull;
        s.dy -= ey * pull;
        t.dx += ex * pull;
        t.dy += ey * pull;
      });
      for (i = 0; i < count; i++) {
        a = list[i];
        d = Math.sqrt(a.dx * a.dx + a.dy * a.dy) || 0.01;
        var step = Math.min(d, heat);
        a.x += a.dx / d * step;
        a.y += a.dy / d * step;
      }
      heat = Math.max(heat * 0.985, 1);
    }
  }

  // ---- drawing -------------------------------------------------------------------------

  var canvas = document.getElementById("canvas");
  var viewport = null;

  function radius(node) {
    return 5 + Math.min(12, Math.sqrt(node.degree) * 2);
  }

  function markers(defs) {
    var seen = {};
    edges.forEach(function (edge) {
      var key = edge.status || "none";
      if (seen[key]) {
        return;
      }
      seen[key] = true;
      var marker = svg("marker", {
        id: "arrow-" + key, viewBox: "0 0 10 10", refX: "10", refY: "5",
        markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse"
      });
      marker.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: statusStyle(edge.status)[0] }));
      defs.appendChild(marker);
    });
  }

  function fit(list) {
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    list.forEach(function (node) {
      minX = Math.min(minX, node.x);
      minY = Math.min(minY, node.y);
      maxX = Math.max(maxX, node.x);
      maxY = Math.max(maxY, node.y);
    });
    // Room for the labels right of the nodes: about 210 screen pixels.
    var box = canvas.getBoundingClientRect();
    var width = Math.max(box.width - 200, 200);
    maxX += (maxX - minX + 1) * 210 / width;
    if (!list.length) {
      minX = minY = -100;
      maxX = maxY = 100;
    }
    var pad = 0.04 * Math.max(maxX - minX, maxY - minY) + 20;
    state.view = { x: minX - pad, y: minY - pad, w: maxX - minX + 2 * pad, h: maxY - minY + 2 * pad };
    applyView();
  }

  // Keep nodes, labels and lines the same size on screen at every zoom level.
  function applyView() {
    var v = state.view;
    canvas.setAttribute("viewBox", [v.x, v.y, v.w, v.h].join(" "));
    var box = canvas.getBoundingClientRect();
    var scale = box.width && box.height ? Math.max(v.w / box.width, v.h / box.height) : 1;
    state.scale = scale;
    canvas.style.setProperty("--s", String(scale));
    state.drawn.forEach(function (node) {
      if (node.element) {
        moveNode(node);
      }
    });
    state.drawnEdges.forEach(function (edge) {
      if (edge.element) {
        place(edge);
      }
    });
  }

  function moveNode(node) {
    node.element.setAttribute("transform",
      "translate(" + node.x + "," + node.y + ") scale(" + state.scale + ")");
  }

  function render(relayout) {
    var visible = nodes.filter(function (node) {
      return state.types[node.type] && passes(node);
    });
    var shown = {};
    var notice = document.getElementById("notice");
    if (visible.length > MAX_DRAWN) {
      var passing = {};
      visible.forEach(function (node) {
        passing[node.id] = true;
      });
      visible = visible.slice().sort(function (a, b) {
        return b.degree - a.degree;
      }).slice(0, MAX_DRAWN);
      var selected = state.selected;
      if (selected && passing[selected.id]) {
        // The selected node (found by search or a link) is drawn with its neighbours.
        var drawnIds = {};
        visible.forEach(function (node) {
          drawnIds[node.id] = true;
        });
        var around = [selected];
        selected.out.concat(selected.inc).forEach(function (edge) {
          around.push(byId[edge.s === selected.id ? edge.t : edge.s]);
        });
        around.slice(0, MAX_NEIGHBOURS + 1).forEach(function (node) {
          if (passing[node.id] && !drawnIds[node.id]) {
            drawnIds[node.id] = true;
            visible.push(node);
          }
        });
      }
      notice.textContent = "Drawing the " + MAX_DRAWN + " most connected of the nodes that " +
        "pass the filters, and the selected node with its neighbours; narrow the filters, " +
        "or search (Enter) to draw any other.";
      notice.hidden = false;
    } else {
      notice.hidden = true;
    }
    visible.forEach(function (node) {
      shown[node.id] = true;
    });
    var links = edges.filter(function (edge) {
      return shown[edge.s] && shown[edge.t] && passes(edge);
    });
    if (relayout) {
      layout(visible, links, true);
    }
    state.drawn = visible;
    state.drawnEdges = links;
    chooseLabels(visible);
    draw(visible, links);
    if (relayout || !state.view) {
      fit(visible);
    }
    document.getElementById("counts").textContent = visible.length + " of " + nodes.length +
      " nodes, " + links.length + " of " + edges.length + " statements shown";
    highlight();
  }

  // Label only as many nodes as the canvas has room for, the most connected first; the others
  // show their label on hover, when selected or next to the selection, and when found.
  function chooseLabels(list) {
    var box = canvas.getBoundingClientRect();
    var room = Math.max(12, Math.floor((box.width * box.height) / (170 * 26 * 3)));
    state.labelled = {};
    list.slice().sort(function (a, b) {
      return b.degree - a.degree || (a.label < b.label ? -1 : 1);
    }).slice(0, room).forEach(function (node) {
      state.labelled[node.id] = true;
    });
  }

  function draw(list, links) {
    while (canvas.firstChild) {
      canvas.removeChild(canvas.firstChild);
    }
    var defs = svg("defs");
    markers(defs);
    canvas.appendChild(defs);
    viewport = svg("g", { id: "viewport" });
    canvas.appendChild(viewport);
    var edgeLayer = svg("g", { "class": "edges" });
    var nodeLayer = svg("g", { "class": "nodes" });
    viewport.appendChild(edgeLayer);
    viewport.appendChild(nodeLayer);
    links.forEach(function (edge) {
      var style = statusStyle(edge.status);
      var group = svg("g", { "class": "edge", "data-id": edge.id });
      var line = svg("line", {
        stroke: style[0], "stroke-dasharray": dash(style[1]),
        "marker-end": "url(#arrow-" + (edge.status || "none") + ")"
      });
      group.appendChild(line);
      var title = svg("title");
      title.textContent = byId[edge.s].label + " \u2192 " + edge.label + " \u2192 " +
        byId[edge.t].label + (edge.status ? " (" + (data.statusLabels[edge.status] || edge.status) + ")" : "");
      group.appendChild(title);
      if (state.edgeLabels) {
        var text = svg("text", { "text-anchor": "middle" });
        text.textContent = shorten(edge.label, 24);
        group.appendChild(text);
      }
      edge.element = group;
      edgeLayer.appendChild(group);
      place(edge);
    });
    list.forEach(function (node) {
      var group = svg("g", { "class": "node", "data-iri": node.iri, "data-id": node.id });
      var circle = svg("circle", { r: radius(node), fill: colourOf(node.kind) });
      group.appendChild(circle);
      var text = svg("text", { x: radius(node) + 3, y: 4 });
      text.textContent = shorten(node.label, 34);
      group.appendChild(text);
      var title = svg("title");
      title.textContent = node.label + " \u2014 " + (data.typeLabels[node.type] || node.type);
      group.appendChild(title);
      node.element = group;
      moveNode(node);
      group.addEventListener("pointerdown", function (event) {
        startDrag(event, node);
      });
      node.element = group;
      nodeLayer.appendChild(group);
    });
  }

  function place(edge) {
    var s = byId[edge.s];
    var t = byId[edge.t];
    var line = edge.element.firstChild;
    var dx = t.x - s.x;
    var dy = t.y - s.y;
    var d = Math.sqrt(dx * dx + dy * dy) || 1;
    var cut = (radius(t) + 2) * state.scale;
    line.setAttribute("x1", s.x);
    line.setAttribute("y1", s.y);
    line.setAttribute("x2", t.x - dx / d * cut);
    line.setAttribute("y2", t.y - dy / d * cut);
    var text = edge.element.querySelector("text");
    if (text) {
      text.setAttribute("x", (s.x + t.x) / 2);
      text.setAttribute("y", (s.y + t.y) / 2 - 3 * state.scale);
    }
  }

  // ---- selection and facts -------------------------------------------------------------

  function highlight() {
    var selected = state.selected;
    var query = state.query.toLowerCase();
    var near = {};
    if (selected) {
      near[selected.id] = true;
      selected.out.concat(selected.inc).forEach(function (edge) {
        near[edge.s] = true;
        near[edge.t] = true;
      });
    }
    state.drawn.forEach(function (node) {
      var classes = ["node"];
      var found = query && matches(node, query);
      if (selected && node === selected) {
        classes.push("selected");
      }
      if (selected && !near[node.id]) {
        classes.push("dimmed");
      }
      if (found) {
        classes.push("match");
      }
      if (!state.labelled[node.id] && !found && !(selected && near[node.id])) {
        classes.push("quiet");
      }
      node.element.setAttribute("class", classes.join(" "));
    });
    state.drawnEdges.forEach(function (edge) {
      var dim = selected && edge.s !== selected.id && edge.t !== selected.id;
      edge.element.setAttribute("class", dim ? "edge dimmed" : "edge");
    });
  }

  function matches(node, query) {
    return (node.label + " " + node.type + " " + node.iri).toLowerCase().indexOf(query) >= 0;
  }

  function select(node) {
    state.selected = node;
    if (state.drawn.indexOf(node) < 0) {
      render(true);
    }
    highlight();
    showFacts(node);
  }

  var FACT_NAMES = {
    date: "date", earliest: "earliest", latest: "latest", founded: "founded",
    ongoing_on: "ongoing on", time_precision: "time precision",
    geographic_precision: "geographic precision", place_label: "place",
    status_label: "status", asserted_by_label: "source", latitude: "latitude",
    longitude: "longitude"
  };

  function showFacts(node) {
    var panel = document.getElementById("facts");
    while (panel.firstChild) {
      panel.removeChild(panel.firstChild);
    }
    if (!node) {
      panel.appendChild(el("p", { "class": "empty" }, "No node selected."));
      return;
    }
    panel.appendChild(el("h2", {}, node.label));
    var type = el("p", { "class": "type" });
    var swatch = el("span", { "class": "swatch" });
    swatch.style.background = colourOf(node.kind);
    type.appendChild(swatch);
    type.appendChild(document.createTextNode((data.typeLabels[node.type] || node.type) +
      " \u00b7 " + (data.kindNames[node.kind] || node.kind)));
    panel.appendChild(type);
    panel.appendChild(el("p", { "class": "iri" }, node.iri));
    if (node.summary) {
      panel.appendChild(el("p", { "class": "summary" }, node.summary));
    }
    var list = el("dl");
    Object.keys(FACT_NAMES).forEach(function (key) {
      var value = node.a[key + "_label"] || node.a[key];
      if (key === "status_label" && !value && node.status) {
        value = data.statusLabels[node.status] || node.status;
      }
      if (value !== undefined && value !== null && value !== "") {
        list.appendChild(el("dt", {}, FACT_NAMES[key]));
        list.appendChild(el("dd", {}, value));
      }
    });
    if (list.children.length) {
      panel.appendChild(list);
    }
    var statements = node.out.concat(node.inc);
    panel.appendChild(el("h3", {}, "Statements (" + statements.length + ")"));
    var items = el("ul");
    statements.forEach(function (edge) {
      items.appendChild(statement(node, edge));
    });
    panel.appendChild(items);
  }

  function statement(node, edge) {
    var item = el("li");
    if (edge.status) {
      var badge = el("span", { "class": "badge" }, data.statusLabels[edge.status] || edge.status);
      badge.style.background = statusStyle(edge.status)[0];
      item.appendChild(badge);
    }
    var outgoing = edge.s === node.id;
    var other = byId[outgoing ? edge.t : edge.s];
    if (!outgoing) {
      item.appendChild(nodeLink(other));
      item.appendChild(document.createTextNode(" "));
    }
    item.appendChild(el("span", { "class": "rel" }, edge.label));
    if (outgoing) {
      item.appendChild(document.createTextNode(" "));
      item.appendChild(nodeLink(other));
    } else {
      item.appendChild(document.createTextNode(" this"));
    }
    var details = [];
    if (edge.a.asserted_by_label) {
      details.push("source: " + edge.a.asserted_by_label);
    }
    ["date", "start", "end", "earliest", "latest", "ongoing_on"].forEach(function (key) {
      if (edge.a[key]) {
        details.push((FACT_NAMES[key] || key) + " " + edge.a[key]);
      }
    });
    if (edge.a.record_label && edge.a.record_label !== node.label && edge.a.record_label !== other.label) {
      details.push("record: " + edge.a.record_label);
    }
    if (details.length) {
      item.appendChild(el("span", { "class": "source" }, details.join(" \u00b7 ")));
    }
    return item;
  }

  function nodeLink(node) {
    var button = el("button", { type: "button", "class": "link" }, node.label);
    button.addEventListener("click", function () {
      if (!state.types[node.type]) {
        state.types[node.type] = true;
        document.querySelectorAll("input[data-group=type]").forEach(function (input) {
          if (input.value === node.type) {
            input.checked = true;
          }
        });
        render(true);
      }
      select(node);
    });
    return button;
  }

  // ---- interaction ---------------------------------------------------------------------

  function toGraph(event) {
    var box = canvas.getBoundingClientRect();
    var v = state.view;
    var scale = Math.max(v.w / box.width, v.h / box.height);
    var offsetX = (box.width * scale - v.w) / 2;
    var offsetY = (box.height * scale - v.h) / 2;
    return {
      x: v.x - offsetX + (event.clientX - box.left) * scale,
      y: v.y - offsetY + (event.clientY - box.top) * scale,
      scale: scale
    };
  }

  var drag = null;

  function startDrag(event, node) {
    event.stopPropagation();
    var at = toGraph(event);
    drag = { node: node, x: at.x, y: at.y, moved: false };
    canvas.setPointerCapture(event.pointerId);
  }

  canvas.addEventListener("pointerdown", function (event) {
    var at = toGraph(event);
    drag = { pan: true, x: at.x, y: at.y, moved: false, clientX: event.clientX,
      clientY: event.clientY, view: Object.assign({}, state.view), scale: at.scale };
    canvas.classList.add("panning");
    canvas.setPointerCapture(event.pointerId);
  });

  canvas.addEventListener("pointermove", function (event) {
    if (!drag) {
      return;
    }
    if (drag.pan) {
      var dx = (event.clientX - drag.clientX) * drag.scale;
      var dy = (event.clientY - drag.clientY) * drag.scale;
      if (Math.abs(dx) + Math.abs(dy) > 2) {
        drag.moved = true;
      }
      state.view.x = drag.view.x - dx;
      state.view.y = drag.view.y - dy;
      applyView();
      return;
    }
    var at = toGraph(event);
    if (Math.abs(at.x - drag.x) + Math.abs(at.y - drag.y) > 1) {
      drag.moved = true;
    }
    drag.node.x += at.x - drag.x;
    drag.node.y += at.y - drag.y;
    drag.x = at.x;
    drag.y = at.y;
    moveNode(drag.node);
    state.drawnEdges.forEach(function (edge) {
      if (edge.s === drag.node.id || edge.t === drag.node.id) {
        place(edge);
      }
    });
  });

  canvas.addEventListener("pointerup", function () {
    if (drag && !drag.moved) {
      select(drag.pan ? null : drag.node);
    }
    drag = null;
    canvas.classList.remove("panning");
  });

  canvas.addEventListener("wheel", function (event) {
    event.preventDefault();
    var at = toGraph(event);
    var factor = event.deltaY > 0 ? 1.15 : 1 / 1.15;
    var v = state.view;
    v.x = at.x - (at.x - v.x) * factor;
    v.y = at.y - (at.y - v.y) * factor;
    v.w *= factor;
    v.h *= factor;
    applyView();
  }, { passive: false });

  document.getElementById("search").addEventListener("input", function (event) {
    state.query = event.target.value.trim();
    highlight();
  });
  document.getElementById("search").addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !state.query) {
      return;
    }
    var query = state.query.toLowerCase();
    var found = nodes.filter(function (node) {
      return matches(node, query);
    });
    if (found.length) {
      nodeLink(found[0]).click();
    }
  });
  document.getElementById("edge-labels").checked = state.edgeLabels;
  document.getElementById("edge-labels").addEventListener("change", function (event) {
    state.edgeLabels = event.target.checked;
    render(false);
  });
  document.getElementById("relayout").addEventListener("click", function () {
    state.drawn.forEach(function (node) {
      node.x = undefined;
    });
    render(true);
  });
  document.querySelectorAll("button[data-bulk]").forEach(function (button) {
    button.addEventListener("click", function () {
      var group = button.getAttribute("data-bulk") === "types" ? "type" : "status";
      var on = button.getAttribute("data-on") === "1";
      document.querySelectorAll("input[data-group=" + group + "]").forEach(function (input) {
        input.checked = on;
        (group === "type" ? state.types : state.statuses)[input.value] = on;
      });
      render(true);
    });
  });

  // A link to the page can name a node to select: viewer.html#select=<node id or IRI>.
  function selectFromHash() {
    var match = /^#select=(.+)$/.exec(window.location.hash);
    if (!match) {
      return;
    }
    var wanted = decodeURIComponent(match[1]);
    var found = nodes.filter(function (node) {
      return node.id === wanted || node.iri === wanted;
    });
    if (found.length) {
      select(found[0]);
    }
  }

  window.addEventListener("hashchange", selectFromHash);
  buildFilters();
  render(true);
  selectFromHash();
  document.body.setAttribute("data-ready", "true");
})();
