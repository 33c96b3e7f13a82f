// Progressive enhancement shared by evalsum pages. Everything here is optional: the page is
// complete without it. Data comes from <script type="application/json"> blocks through
// JSON.parse, and text goes into the page through textContent only, never innerHTML.
"use strict";

function evalsumData(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

// Sortable tables: <table class="sortable" data-keys="ID"> where block ID holds
// {"columns": [null | k, ...], "rows": [[number or null, ...], ...]}: a column with a number k
// sorts by rows[i][k] (full precision; rows in the table's initial order), a null column by
// its cell text.
function evalsumSortable(table) {
  const data = evalsumData(table.dataset.keys);
  const body = table.tBodies[0];
  if (!data || !body || data.rows.length !== body.rows.length) {
    return;
  }
  const keys = new Map();
  Array.from(body.rows).forEach((tr, i) => keys.set(tr, data.rows[i]));
  const keyOf = (tr, column) => {
    const k = data.columns[column];
    return k === null || k === undefined ? tr.cells[column].textContent.trim() : keys.get(tr)[k];
  };
  const headers = Array.from(table.tHead.rows[0].cells);
  headers.forEach((th, column) => {
    const button = document.createElement("button");
    button.type = "button";
    while (th.firstChild) {
      button.appendChild(th.firstChild);
    }
    th.appendChild(button);
    th.setAttribute("aria-sort", "none");
    button.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach((other) => other.setAttribute("aria-sort", "none"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = keyOf(a, column);
        const y = keyOf(b, column);
        // Unknown values (null) sort last in either direction.
        if (x === null || y === null) {
          return (x === null) - (y === null);
        }
        const order = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
        return ascending ? order : -order;
      });
      const fragment = document.createDocumentFragment();
      rows.forEach((tr) => fragment.appendChild(tr));
      body.appendChild(fragment);
    });
  });
}

// Following a link to a closed <details> opens it.
function evalsumOpenTarget() {
  const id = decodeURIComponent(location.hash.slice(1));
  const target = id ? document.getElementById(id) : null;
  if (target && target.tagName === "DETAILS") {
    target.open = true;
  }
}

// Filters hide what they exclude with the hidden attribute; reading layout here instead
// (offsetParent) would force a relayout per section on a 10,000-article page.
function evalsumSetAll(selector, open) {
  document.querySelectorAll(selector).forEach((node) => {
    if (!node.hidden) {
      node.open = open;
    }
  });
}

function evalsumInit() {
  document.querySelectorAll("table.sortable[data-keys]").forEach(evalsumSortable);
  document.querySelectorAll("[data-open-all]").forEach((button) => {
    button.addEventListener("click", () => evalsumSetAll(button.dataset.openAll, true));
  });
  document.querySelectorAll("[data-close-all]").forEach((button) => {
    button.addEventListener("click", () => evalsumSetAll(button.dataset.closeAll, false));
  });
  document.querySelectorAll(".controls[hidden]").forEach((node) => {
    node.hidden = false;
  });
  window.addEventListener("hashchange", evalsumOpenTarget);
  evalsumOpenTarget();
}
