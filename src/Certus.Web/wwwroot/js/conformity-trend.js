// The conformity trend: leaf clauses by verdict per day, from the data-trend attribute of #conformity-trend
// (the CSP allows no inline script).
(function () {
  'use strict';
  var el = document.getElementById('conformity-trend');
  if (!el || !window.echarts) {
    return;
  }
  var trend = JSON.parse(el.dataset.trend || '{}');
  var chart = window.echarts.init(el, null, { renderer: 'canvas' });
  chart.setOption({
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 40 },
    xAxis: { type: 'category', data: trend.days || [] },
    yAxis: { type: 'value', minInterval: 1 },
    series: (trend.series || []).map(function (s) {
      return { name: s.name, type: 'line', stack: 'clauses', areaStyle: {}, smooth: true, itemStyle: { color: s.color }, data: s.data };
    })
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
