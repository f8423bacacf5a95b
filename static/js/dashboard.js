/* The overview's charts (Apache ECharts, served by the app). No inline script (CSP):
 * the figures come from the json_script element #dashboard-data, which htmx swaps
 * with the rest of #dashboard-body when a filter changes; the charts are drawn
 * again after every swap. Every bar and slice opens the list behind it. */
(function () {
  "use strict";

  var COLORS = { red: "#dc3545", yellow: "#ffc107", green: "#198754", done: "#0d6efd" };
  var STATUS_COLORS = {
    not_started: "#adb5bd", in_progress: "#0d6efd", completed: "#198754", blocked: "#dc3545",
  };
  var STEP_COLORS = { done: "#198754", late: "#dc3545", open: "#adb5bd" };
  var LIGHTS = ["red", "yellow", "green", "done"];
  var charts = [];

  function drill(base, params) {
    var url = new URL(base, window.location.origin);
    Object.keys(params).forEach(function (key) {
      if (params[key] === null || params[key] === undefined || params[key] === "") {
        url.searchParams.delete(key);
      } else {
        url.searchParams.set(key, params[key]);
      }
    });
    return url.pathname + url.search;
  }

  function go(url) { window.location.assign(url); }

  function make(el, option, onClick) {
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(Object.assign({ animation: false, textStyle: { fontFamily: "inherit" } }, option));
    if (onClick) { chart.on("click", onClick); }
    charts.push(chart);
    return chart;
  }

  function pie(el, keys, labels, values, colors, onClick) {
    return make(el, {
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      series: [{
        type: "pie", radius: ["40%", "70%"], label: { formatter: "{b}\n{c}" },
        data: keys.map(function (k) {
          var shown = values[k] > 0;  // no label pile-up for empty slices
          return {
            name: labels[k], value: values[k], key: k, itemStyle: { color: colors[k] },
            label: { show: shown }, labelLine: { show: shown },
          };
        }),
      }],
    }, onClick);
  }

  function stacked(el, rows, nameOf, labels, onClick) {
    var names = rows.map(nameOf);
    el.style.height = Math.max(160, 26 * rows.length + 60) + "px";
    return make(el, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: 150, overflow: "truncate" } },
      series: LIGHTS.map(function (light) {
        return {
          name: labels[light], type: "bar", stack: "lights", barMaxWidth: 22,
          itemStyle: { color: COLORS[light] }, light: light,
          data: rows.map(function (r) { return { value: r[light], id: r.id, light: light }; }),
        };
      }),
    }, onClick);
  }

  function timeline(el, t) {
    var counties = t.counties;
    var milestones = t.milestones;
    var index = {};
    milestones.forEach(function (m, i) { index[m.id] = i; });
    var dues = milestones.map(function (m) { return m.due_date; });
    function startOf(i) {
      var due = dues[i];
      var earlier = dues.filter(function (d) { return d < due; });
      return earlier.length ? earlier[earlier.length - 1] : t.start;
    }
    var bars = [];
    var done = [];
    counties.forEach(function (c, row) {
      c.steps.forEach(function (s) {
        var i = index[s.milestone];
        bars.push({
          value: [row, startOf(i), dues[i], i], state: s.state, county: c.name,
          title: milestones[i].title, due: dues[i], done: s.done, total: s.total,
          completed: s.completed_on, department: c.department, milestone: s.milestone,
        });
        if (s.completed_on) { done.push({ value: [s.completed_on, row], county: c.name, title: milestones[i].title }); }
      });
    });
    var lanes = Math.max(1, milestones.length);
    el.style.height = Math.max(180, 44 * counties.length + 80) + "px";
    var max = new Date(t.today);
    max.setMonth(max.getMonth() + 3);
    return make(el, {
      tooltip: {
        formatter: function (p) {
          var d = p.data;
          if (p.seriesType === "scatter") { return d.county + " · " + d.title + "<br>完成于 " + d.value[0]; }
          var state = { done: "已完成", late: "逾期未完成", open: "未到期" }[d.state];
          return d.county + " · " + d.title + "<br>时限 " + d.due + " · " + state +
            "（" + d.done + "/" + d.total + "）" + (d.completed ? "<br>完成于 " + d.completed : "");
        },
      },
      grid: { left: 8, right: 24, top: 16, bottom: 30, containLabel: true },
      xAxis: { type: "time", min: t.start, max: max.toISOString().slice(0, 10) },
      yAxis: { type: "category", data: counties.map(function (c) { return c.name; }), inverse: true },
      series: [
        {
          type: "custom",
          renderItem: function (params, api) {
            var row = api.value(0);
            var lane = api.value(3);
            var start = api.coord([api.value(1), row]);
            var end = api.coord([api.value(2), row]);
            var band = api.size([0, 1])[1] * 0.8;
            var h = Math.max(2, band / lanes - 1);
            var y = start[1] - band / 2 + lane * (band / lanes);
            var state = bars[params.dataIndex].state;
            return {
              type: "rect",
              shape: { x: start[0], y: y, width: Math.max(3, end[0] - start[0]), height: h },
              style: { fill: STEP_COLORS[state], opacity: 0.85 },
            };
          },
          encode: { x: [1, 2], y: 0 },
          data: bars,
        },
        {
          type: "scatter", symbolSize: 7, itemStyle: { color: "#0b5132" }, data: done,
          markLine: {
            symbol: "none", label: { formatter: "今天", position: "start" }, lineStyle: { color: "#6f42c1", type: "solid" },
            data: [{ xAxis: t.today }],
          },
        },
      ],
    }, function (p) {
      if (p.seriesType === "custom") {
        go("/checklists/?milestone=" + p.data.milestone + "&department=" + p.data.department);
      }
    });
  }

  function draw() {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    var source = document.getElementById("dashboard-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var f = data.figures;
    var L = data.labels;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var kind = el.getAttribute("data-chart");
      if (kind === "status") {
        pie(el, ["completed", "in_progress", "not_started", "blocked"], L.status, f.status, STATUS_COLORS,
          function (p) { go(drill(data.drill, { status: p.data.key })); });
      } else if (kind === "lights") {
        pie(el, LIGHTS, L.lights, f.lights, COLORS,
          function (p) { go(drill(data.drill, { light: p.data.key })); });
      } else if (kind === "reporting") {
        var keys = ["approved", "submitted", "draft", "returned", "none"];
        make(el, {
          tooltip: {},
          grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
          xAxis: { type: "value", minInterval: 1 },
          yAxis: { type: "category", inverse: true, data: keys.map(function (k) { return L.reporting[k]; }) },
          series: [{
            type: "bar", barMaxWidth: 18,
            data: keys.map(function (k) { return { value: f.reporting[k], key: k }; }),
          }],
        }, function (p) { go(drill(data.reporting, { report_state: p.data.key })); });
      } else if (kind === "sections") {
        stacked(el, f.by_section, function (r) { return (r.code ? r.code + " " : "") + r.title; }, L.lights,
          function (p) { if (p.data.id) { go(drill(data.drill, { section: p.data.id, light: p.data.light })); } });
      } else if (kind === "counties") {
        stacked(el, f.by_county.rows, function (r) { return r.name; }, L.lights,
          function (p) { go(drill(data.drill, { county: p.data.id, light: p.data.light })); });
      } else if (kind === "bodies") {
        var role = el.getAttribute("data-role");
        var group = f.by_body[role];
        stacked(el, group.rows.slice(0, 15), function (r) { return r.name; }, L.lights,
          function (p) { go(drill(data.drill, { department: p.data.id, role: role, light: p.data.light })); });
      } else if (kind === "timeline") {
        timeline(el, f.timeline);
      }
    });
  }

  // Leave empty filters out of the URL (and the request): a bookmark stays short.
  document.addEventListener("htmx:configRequest", function (event) {
    var params = event.detail.parameters;
    if (!params) { return; }
    var names = typeof params.keys === "function" ? Array.from(params.keys()) : Object.keys(params);
    names.forEach(function (name) {
      var value = typeof params.get === "function" ? params.get(name) : params[name];
      if (value === "" || value === null) {
        if (typeof params.delete === "function") { params.delete(name); } else { delete params[name]; }
      }
    });
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "dashboard-body" || document.getElementById("dashboard-body")) { draw(); }
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
