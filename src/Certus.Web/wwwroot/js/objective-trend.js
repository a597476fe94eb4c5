// An objective's trend: its value per period against the target, from the data-trend attribute of #objective-trend
// (the CSP allows no inline script).
(function () {
  'use strict';
  var el = document.getElementById('objective-trend');
  if (!el || !window.echarts) {
    return;
  }
  var trend = JSON.parse(el.dataset.trend || '{}');
  var unit = trend.unit ? (trend.unit === '%' ? '%' : ' ' + trend.unit) : '';
  var chart = window.echarts.init(el, null, { renderer: 'canvas' });
  chart.setOption({
    tooltip: { trigger: 'axis', valueFormatter: function (v) { return v === null || v === undefined ? '—' : v + unit; } },
    legend: { bottom: 0 },
    grid: { left: 48, right: 16, top: 16, bottom: 40 },
    xAxis: { type: 'category', data: trend.labels || [] },
    yAxis: { type: 'value', scale: true },
    series: [
      { name: trend.name, type: 'line', connectNulls: false, symbolSize: 8, itemStyle: { color: '#206bc4' }, data: trend.values || [] },
      { name: trend.targetName, type: 'line', step: 'middle', symbol: 'none', lineStyle: { type: 'dashed' }, itemStyle: { color: '#d63939' }, data: trend.targets || [] }
    ]
  });
  window.addEventListener('resize', function () { chart.resize(); });
})();
