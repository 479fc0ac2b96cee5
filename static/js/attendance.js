// The month grid: arrow keys move between cells, Enter moves down, and a typed cell is selected
// on focus so that one key replaces it. No library; the page works without it.
(function () {
  "use strict";
  var grid = document.querySelector(".att-grid");
  if (!grid) { return; }
  var rows = Array.prototype.map.call(grid.tBodies[0].rows, function (tr) {
    return Array.prototype.map.call(tr.cells, function (td) { return td.querySelector("input"); });
  });
  function move(r, c, dr, dc) {
    for (var i = r + dr, j = c + dc; i >= 0 && i < rows.length && j >= 0 && j < rows[i].length; i += dr, j += dc) {
      if (rows[i][j]) { rows[i][j].focus(); return; }
    }
  }
  rows.forEach(function (cells, r) {
    cells.forEach(function (input, c) {
      if (!input) { return; }
      input.addEventListener("focus", function () { input.select(); });
      input.addEventListener("keydown", function (e) {
        var step = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0], Enter: [1, 0] }[e.key];
        if (!step) { return; }
        e.preventDefault();
        move(r, c, step[0], step[1]);
      });
    });
  });
})();
