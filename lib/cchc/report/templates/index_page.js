(function () {
  "use strict";
  // The index pages' one script: a filter by name and sorting by a column. Without it every row is shown, in
  // Vietnamese order. The page's Content-Security-Policy allows this script by its hash, and nothing else.
  var table = document.querySelector("table.stack");
  if (!table || !table.tBodies.length) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }
  var box = document.getElementById("filter");
  if (box) {
    var input = box.querySelector("input");
    box.hidden = false;
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);  // every word typed, in any order
      rows.forEach(function (r) {
        var name = fold(r.cells[0].textContent);
        r.hidden = !words.every(function (w) { return name.indexOf(w) >= 0; });
      });
    });
  }
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (th, col) {
    if (!th.hasAttribute("data-sortable")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var descending = th.getAttribute("aria-sort") === "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var keyed = rows.map(function (r, i) {
        var v = r.cells[col].getAttribute("data-sort");
        return { row: r, at: i, key: v === null || v === "" ? null : parseFloat(v) };
      });
      keyed.sort(function (a, b) {
        if (a.key === null || b.key === null) return (a.key === null) - (b.key === null) || a.at - b.at;
        return (descending ? b.key - a.key : a.key - b.key) || a.at - b.at;
      });
      keyed.forEach(function (k) { body.appendChild(k.row); });
    });
  });
})();
