// The CMDB graph view: the CIs around one CI, drawn with ECharts from GET /api/v1/cis/{id}/graph?depth=N.
// Everything it needs comes from data- attributes on #cmdb-graph (the CSP allows no inline script).
(function () {
  'use strict';
  var el = document.getElementById('cmdb-graph');
  if (!el || !window.echarts) {
    return;
  }
  var current = el.dataset.current;
  var depthSelect = document.getElementById(el.dataset.depthSelect);
  var layoutSelect = document.getElementById(el.dataset.layoutSelect);
  var list = document.createElement('ul');
  list.className = 'visually-hidden';
  list.setAttribute('data-testid', 'graph-nodes');
  el.insertAdjacentElement('afterend', list);
  var chart = null;
  var data = null;

  // ECharts 6.1 throws from its view transform when a graph is laid out in a zero-sized box
  // (apache/echarts#21706), so the chart is created, drawn and resized only while the box has a size.
  function sized() {
    return el.clientWidth > 0 && el.clientHeight > 0;
  }

  function ensureChart() {
    if (!chart && sized()) {
      chart = window.echarts.init(el, null, { renderer: 'canvas' });
      chart.on('click', function (p) {
        if (p.dataType === 'node' && p.data.name !== current) {
          window.location.href = el.dataset.ciUrl + p.data.name;
        }
      });
    }
    return chart;
  }

  function message(text) {
    if (!ensureChart()) {
      return;
    }
    chart.clear();
    chart.setOption({ title: { text: text, left: 'center', top: 'middle', textStyle: { color: '#667382', fontSize: 14, fontWeight: 'normal' } } });
  }

  function draw() {
    if (!data) {
      return;
    }
    list.replaceChildren.apply(list, data.nodes.map(function (n) {
      var item = document.createElement('li');
      item.textContent = n.identifier + ' ' + n.name + ' (' + n.className + ')';
      return item;
    }));
    el.dataset.nodes = String(data.nodes.length);
    if (!ensureChart()) {
      return;
    }
    var classes = [];
    data.nodes.forEach(function (n) {
      if (classes.indexOf(n.className) < 0) {
        classes.push(n.className);
      }
    });
    var circular = layoutSelect && layoutSelect.value === 'circular';
    var nodes = data.nodes.map(function (n) {
      var self = n.id === current;
      return {
        name: n.id,
        caption: n.identifier + '\n' + n.name,
        detail: n.identifier + ' · ' + n.name + '<br>' + n.className,
        category: classes.indexOf(n.className),
        symbolSize: self ? 54 : Math.max(26, 40 - n.depth * 6),
        itemStyle: self ? { borderColor: '#1d273b', borderWidth: 3 } : undefined,
      };
    });
    var links = data.links.map(function (l) {
      return { source: l.source, target: l.target, caption: l.label };
    });
    if (data.nodes.length <= 1 && data.links.length === 0) {
      message(el.dataset.empty);
      return;
    }
    chart.clear();
    chart.setOption({
      tooltip: {
        formatter: function (p) {
          return p.dataType === 'node' ? p.data.detail : p.data.caption;
        },
      },
      legend: [{ data: classes, top: 8, type: 'scroll' }],
      animationDurationUpdate: 500,
      series: [{
        type: 'graph',
        layout: circular ? 'circular' : 'force',
        circular: { rotateLabel: false },
        force: { repulsion: 420, edgeLength: [90, 160], gravity: 0.08 },
        top: 48,
        roam: true,
        draggable: !circular,
        categories: classes.map(function (c) { return { name: c }; }),
        data: nodes,
        links: links,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 8,
        label: { show: true, position: 'bottom', fontSize: 11, formatter: function (p) { return p.data.caption; } },
        edgeLabel: { show: true, fontSize: 10, color: '#667382', formatter: function (p) { return p.data.caption; } },
        lineStyle: { color: 'source', opacity: 0.7, width: 1.5, curveness: 0.1 },
        emphasis: { focus: 'adjacency', lineStyle: { width: 3 } },
      }],
    });
  }

  function load() {
    var depth = depthSelect ? depthSelect.value : '2';
    if (ensureChart()) {
      chart.showLoading();
    }
    fetch(el.dataset.graphUrl + '?depth=' + encodeURIComponent(depth), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (json) {
        data = json;
        if (chart) {
          chart.hideLoading();
        }
        draw();
      })
      .catch(function () {
        if (chart) {
          chart.hideLoading();
        }
        message(el.dataset.failed);
      });
  }

  if (depthSelect) {
    depthSelect.addEventListener('change', load);
  }
  if (layoutSelect) {
    layoutSelect.addEventListener('change', draw);
  }
  new ResizeObserver(function () {
    if (!sized()) {
      return;
    }
    if (chart) {
      chart.resize();
    } else {
      draw();
    }
  }).observe(el);
  load();
})();
