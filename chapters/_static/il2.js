/* The book's small scripts: working sidebar toggles, and a filter for long tables.  No server needed. */
"use strict";

/* The theme (pydata-sphinx-theme 0.17 under sphinx-book-theme 1.3) wires only the first element of each
   toggle class, a hidden copy in the header; the visible buttons did nothing.  Forward their clicks. */
function il2WireToggles() {
  for (const kind of ["primary", "secondary"]) {
    const toggles = Array.from(document.querySelectorAll(`.${kind}-toggle`));
    const wired = toggles[0];
    for (const toggle of toggles.slice(1)) {
      toggle.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopImmediatePropagation();
        wired.click();
      }, true);
    }
  }
}

/* Long tables (class il2-long): a text box and one menu per "study" or "verdict" column filter the rows. */
function il2AddFilter(table) {
  const headers = Array.from(table.querySelectorAll("thead tr:last-child th")).map((th) => th.textContent.trim());
  const rows = Array.from(table.querySelectorAll("tbody tr"));
  const form = document.createElement("form");
  form.className = "il2-filter";
  form.setAttribute("role", "search");
  form.addEventListener("submit", (event) => event.preventDefault());
  const text = document.createElement("input");
  text.type = "search";
  text.placeholder = "Filter rows by any text";
  text.setAttribute("aria-label", "Filter the table's rows by text");
  form.append(text);
  const menus = [];
  headers.forEach((header, column) => {
    if (header !== "study" && header !== "verdict") return;
    const values = [...new Set(rows.map((row) => il2CellKey(row.cells[column], header)))].sort();
    const menu = document.createElement("select");
    menu.setAttribute("aria-label", `Show only one ${header}`);
    menu.append(new Option(`every ${header}`, ""));
    values.forEach((value) => menu.append(new Option(value, value)));
    menu.dataset.column = column;
    menu.dataset.header = header;
    menus.push(menu);
    form.append(menu);
  });
  const count = document.createElement("output");
  form.append(count);
  const update = () => {
    const wanted = text.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const visible = (!wanted || row.textContent.toLowerCase().includes(wanted)) && menus.every((menu) =>
        !menu.value || il2CellKey(row.cells[Number(menu.dataset.column)], menu.dataset.header) === menu.value);
      row.hidden = !visible;
      shown += visible;
    }
    count.textContent = `${shown} of ${rows.length} rows`;
  };
  text.addEventListener("input", update);
  menus.forEach((menu) => menu.addEventListener("change", update));
  table.before(form);
  update();
}

/* A cell's value for a menu: the first line of the cell (a verdict cell also says what it rests on). */
function il2CellKey(cell, header) {
  const first = cell.querySelector("p");
  return (first ? first.textContent : cell.textContent).trim();
}

document.addEventListener("DOMContentLoaded", () => {
  il2WireToggles();
  document.querySelectorAll("table.il2-long").forEach(il2AddFilter);
});
