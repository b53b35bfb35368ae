/* Sorting a table by clicking a column header: <table class="sortable">.
   A cell's data-sort (a number or text) is what it sorts by, else its text; empty values go last.
   A table with several <tbody> sorts them as groups (a row and its details stay together).
   No dependencies: the product works in a closed school network. */
(function () {
  "use strict";
  var collator = new Intl.Collator("ru", { numeric: true, sensitivity: "base" });

  function valueOf(cell) {
    if (!cell) return null;
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    raw = raw.trim();
    if (raw === "" || raw === "—") return null;
    var number = raw.replace(/\s| /g, "").replace(",", ".").replace(/%$/, "");
    return /^-?\d+(\.\d+)?$/.test(number) ? parseFloat(number) : raw;
  }

  function compare(a, b) {
    if (a === null && b === null) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    if (typeof a === "number" && typeof b === "number") return a - b;
    return collator.compare(String(a), String(b));
  }

  function sortBy(table, header, index) {
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var bodies = table.tBodies.length > 1 ? Array.prototype.slice.call(table.tBodies) : null;
    var groups = bodies || Array.prototype.slice.call(table.tBodies[0].rows);
    var keyed = groups.map(function (group, position) {
      var row = bodies ? group.rows[0] : group;
      return { group: group, key: valueOf(row && row.cells[index]), position: position };
    });
    keyed.sort(function (x, y) {
      var order = compare(x.key, y.key);
      if (x.key !== null && y.key !== null && !ascending) order = -order;
      return order || x.position - y.position;
    });
    var parent = bodies ? table : table.tBodies[0];
    var before = bodies ? (table.tFoot || null) : null;
    keyed.forEach(function (item) { parent.insertBefore(item.group, before); });
    Array.prototype.forEach.call(header.parentNode.cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function prepare(table) {
    if (!table.tHead || !table.tBodies.length || table.hasAttribute("data-sortable")) return;
    table.setAttribute("data-sortable", "");
    var headers = table.tHead.rows[table.tHead.rows.length - 1].cells;
    Array.prototype.forEach.call(headers, function (header, index) {
      if (header.hasAttribute("data-nosort")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, header, index); });
    });
  }

  function init() { Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), prepare); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
