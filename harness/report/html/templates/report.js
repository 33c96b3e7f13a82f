// report.html: filtering the article table and hiding matched rows. Runs after base.js.
"use strict";

function reportFilter() {
  const table = document.getElementById("article-table");
  const search = document.getElementById("article-search");
  const status = document.getElementById("article-status");
  const count = document.getElementById("article-count");
  if (!table || !search || !status || !count) {
    return;
  }
  const rows = Array.from(table.tBodies[0].rows);
  const text = new Map(rows.map((tr) => [tr, tr.textContent.toLowerCase()]));
  const apply = () => {
    const needle = search.value.trim().toLowerCase();
    const wanted = status.value;
    let shown = 0;
    rows.forEach((tr) => {
      const visible =
        (!needle || text.get(tr).includes(needle)) && (!wanted || tr.dataset.status === wanted);
      tr.hidden = !visible;
      shown += visible;
      // Keep the detail sections in step with the table, so "expand all" opens what is listed.
      const link = tr.querySelector("a[href^='#']");
      const detail = link ? document.getElementById(link.hash.slice(1)) : null;
      if (detail) {
        detail.hidden = !visible;
      }
    });
    count.textContent = shown + " of " + rows.length + " articles shown";
  };
  search.addEventListener("input", apply);
  status.addEventListener("change", apply);
}

function reportMatches() {
  const toggle = document.getElementById("hide-matches");
  if (toggle) {
    toggle.addEventListener("change", () => {
      document.body.classList.toggle("hide-matches", toggle.checked);
    });
  }
}

evalsumInit();
reportFilter();
reportMatches();
document.documentElement.dataset.js = "ready";
