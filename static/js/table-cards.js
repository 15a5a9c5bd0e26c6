// On a narrow screen each table row reads as a card: every cell is labelled
// with its column's header. This labels the cells (data-label, shown by the
// stylesheet) and marks the table ready; without it a table keeps its columns
// and scrolls inside its own box. Applies to every table in a .table-wrap.
(function () {
  "use strict";
  function headerLabels(table) {
    var labels = [];
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) { return labels; }
    Array.prototype.forEach.call(row.cells, function (cell) {
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var span = 0; span < (cell.colSpan || 1); span += 1) { labels.push(text); }
    });
    return labels;
  }
  function label(table) {
    var labels = headerLabels(table);
    if (!labels.length) { return; }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (labels[column] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", labels[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("cards");
  }
  Array.prototype.forEach.call(document.querySelectorAll(".table-wrap > table"), label);
})();
