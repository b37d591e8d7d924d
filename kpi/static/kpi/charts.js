/* Dashboard charts (Chart.js, vendored). Data comes from the json_script element "chart-data". */
(function () {
  const el = document.getElementById("chart-data");
  if (!el || typeof Chart === "undefined") return;
  const data = JSON.parse(el.textContent);
  const names = data.names || {};
  const colours = { customer: "#0d6efd", warranty: "#198754", insurance: "#fd7e14", internal: "#6c757d" };
  const targetLine = (value, n) => ({
    type: "line", label: names.target || "target", data: Array(n).fill(value), borderColor: "#dc3545",
    borderDash: [6, 4], pointRadius: 0, fill: false,
  });
  const byId = (id) => document.getElementById(id);

  if (byId("chart-revenue") && data.payers) {
    new Chart(byId("chart-revenue"), {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: Object.keys(data.payers).map((p) => ({ label: names[p] || p, data: data.payers[p], backgroundColor: colours[p] })),
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true } }, animation: false },
    });
  }
  if (byId("chart-cars") && data.cars_in) {
    new Chart(byId("chart-cars"), {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: names.cars_in || "in", data: data.cars_in, borderColor: "#0d6efd" },
          { label: names.cars_out || "out", data: data.cars_out, borderColor: "#198754" },
        ],
      },
      options: { animation: false },
    });
  }
  if (byId("chart-trend") && data.trend) {
    const sets = [{ label: data.trend.label, data: data.trend.values, borderColor: "#6610f2", spanGaps: true }];
    if (data.trend.target !== null) sets.push(targetLine(data.trend.target, data.labels.length));
    new Chart(byId("chart-trend"), { type: "line", data: { labels: data.labels, datasets: sets }, options: { animation: false } });
  }
  if (byId("chart-group") && data.values) {
    const sets = [{ type: "bar", label: data.rank_label, data: data.values, backgroundColor: "#0d6efd" }];
    if (data.target !== null) sets.push(targetLine(data.target, data.labels.length));
    new Chart(byId("chart-group"), { data: { labels: data.labels, datasets: sets }, options: { animation: false } });
  }
})();
