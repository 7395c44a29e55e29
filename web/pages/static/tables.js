// Sorting of every <table class="sortable"> by a click on a column's header (or Enter or
// Space on it: each header becomes a button). The header sorted by says so in aria-sort.
// A column whose every filled cell is a number sorts as numbers; a cell's data-sort, when
// present, is what it sorts by. Without this script the table reads as the server sent it.
"use strict";

(function () {
  const EMPTY = new Set(["", "—", "-"]);
  const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

  function keyOf(cell) {
    if (!cell) return "";
    const given = cell.dataset.sort;
    return (given !== undefined ? given : cell.textContent).trim();
  }

  function numeric(keys) {
    const filled = keys.filter((key) => !EMPTY.has(key));
    return filled.length > 0 && filled.every((key) => NUMBER.test(key.replace(/,/g, "")));
  }

  function comparer(isNumber) {
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    return function (a, b) {
      const emptyA = EMPTY.has(a), emptyB = EMPTY.has(b);
      if (emptyA || emptyB) return emptyA === emptyB ? 0 : emptyA ? 1 : -1;
      if (isNumber) return Number(a.replace(/,/g, "")) - Number(b.replace(/,/g, ""));
      return collator.compare(a, b);
    };
  }

  function sortBy(table, header, column) {
    const body = table.tBodies[0];
    if (!body) return;
    const rows = Array.from(body.rows).filter((row) => row.cells.length > column);
    if (rows.length < 2) return;
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    const keyed = rows.map((row, index) => ({ row, index, key: keyOf(row.cells[column]) }));
    const compare = comparer(numeric(keyed.map((item) => item.key)));
    keyed.sort((a, b) => {
      const order = compare(a.key, b.key);
      if (order !== 0) {
        const emptyFirst = EMPTY.has(a.key) || EMPTY.has(b.key);
        return ascending || emptyFirst ? order : -order;
      }
      return a.index - b.index;
    });
    keyed.forEach((item) => body.appendChild(item.row));
    table.querySelectorAll("thead th").forEach((th) => th.removeAttribute("aria-sort"));
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function enhance(table) {
    const headers = table.tHead ? Array.from(table.tHead.rows[0].cells) : [];
    headers.forEach((header, column) => {
      if (header.classList.contains("nosort") || header.textContent.trim() === "") return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", () => sortBy(table, header, column));
    });
  }

  function start() {
    document.querySelectorAll("table.sortable").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
