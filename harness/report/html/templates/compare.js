// compare.html: filtering the per-article table by text and by change. Runs after base.js.
"use strict";

function compareFilter() {
  const table = document.getElementById("article-table");
  const search = document.getElementById("article-search");
  const change = document.getElementById("article-change");
  const count = document.getElementById("article-count");
  if (!table || !search || !change || !count) {
    return;
  }
  const rows = Array.from(table.tBodies[0].rows);
  const text = new Map(rows.map((tr) => [tr, tr.textContent.toLowerCase()]));
  const matches = (tr, wanted) => {
    if (wanted === "regressed") {
      return tr.hasAttribute("data-regressed");
    }
    if (wanted === "unpaired") {
      return tr.dataset.change === "only A" || tr.dataset.change === "only B";
    }
    return !wanted || tr.dataset.change === wanted;
  };
  const apply = () => {
    const needle = search.value.trim().toLowerCase();
    const wanted = change.value;
    let shown = 0;
    rows.forEach((tr) => {
      const visible = (!needle || text.get(tr).includes(needle)) && matches(tr, wanted);
      tr.hidden = !visible;
      shown += visible;
    });
    count.textContent = shown + " of " + rows.length + " articles shown";
  };
  search.addEventListener("input", apply);
  change.addEventListener("change", apply);
  apply();
}

evalsumInit();
compareFilter();
document.documentElement.dataset.js = "ready";
