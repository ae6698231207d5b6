
// parity report: sortable tables and the drill-down's filters. Reads the
// page, never writes markup: every text stays as html/template escaped it.
(function () {
  "use strict";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  // Sorting: a header button sorts its table's body by that column, by
  // the cells' data-v numbers when they have them, else by their text;
  // cells without a number go last.
  var key = function (cell) {
    var v = cell ? cell.getAttribute("data-v") : null;
    if (v !== null && v !== "" && !isNaN(parseFloat(v))) { return parseFloat(v); }
    return cell ? cell.textContent.trim().toLowerCase() : "";
  };
  each(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead.rows[0].cells;
    each(heads, function (th, col) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        // First click: numbers largest first, text A to Z; then flip.
        var now = th.getAttribute("aria-sort");
        var dir = now === "ascending" ? -1 : now === "descending" ? 1 : th.classList.contains("n") ? -1 : 1;
        each(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          var nx = typeof x === "number", ny = typeof y === "number";
          if (nx !== ny) { return nx ? -1 : 1; }
          return dir * (nx ? x - y : x < y ? -1 : x > y ? 1 : 0);
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  // Drill-down filters: outcome, provider, and text in the suite or case.
  var cases = document.querySelectorAll("details.case");
  var status = document.getElementById("f-status");
  var provider = document.getElementById("f-provider");
  var text = document.getElementById("f-text");
  var count = document.getElementById("f-count");
  var apply = function () {
    var shown = 0;
    var want = text ? text.value.trim().toLowerCase() : "";
    each(cases, function (c) {
      var failingOn = (c.getAttribute("data-failing-on") || "").split(" ");
      var ok = (!status || status.value === "all" || c.getAttribute("data-status") === status.value) &&
        (!provider || provider.value === "" || failingOn.indexOf(provider.value) >= 0) &&
        (want === "" || (c.getAttribute("data-key") || "").toLowerCase().indexOf(want) >= 0);
      c.hidden = !ok;
      if (ok) { shown++; }
    });
    if (count) { count.textContent = shown + " of " + cases.length + " cases"; }
  };
  [status, provider].forEach(function (el) { if (el) { el.addEventListener("change", apply); } });
  if (text) { text.addEventListener("input", apply); }
  var setOpen = function (open) {
    return function () { each(cases, function (c) { if (!c.hidden) { c.open = open; } }); };
  };
  var expand = document.getElementById("expand");
  var collapse = document.getElementById("collapse");
  if (expand) { expand.addEventListener("click", setOpen(true)); }
  if (collapse) { collapse.addEventListener("click", setOpen(false)); }
  apply();
}());
