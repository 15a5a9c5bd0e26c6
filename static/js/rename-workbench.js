// The rename workbench: a selection that holds across every page of the preview's
// filters, select all / none (per group and over every page), keyboard use, and
// "Apply the selected" with the count on the button.
//
// Without this script the page still works: each page's ticked renames, or Apply all.
// The selection lives in sessionStorage under the library, the plan's digest and the
// filters, so a new plan or other filters start a new selection. It is either "every
// rename matching the filters but these ids" or "only these ids": the server resolves
// it against the stored plan the digest names, so 100,000 renames need no checkbox.
(function () {
  "use strict";
  var bar = document.getElementById("workbench");
  if (!bar) { return; }
  var rows = document.querySelector(".workbench-rows");
  var form = bar.querySelector(".workbench-apply");
  var button = form.querySelector("button[type=submit]");
  var counter = bar.querySelector(".workbench-count");
  var matching = parseInt(bar.getAttribute("data-matching"), 10) || 0;
  var key = "rename-selection:" + bar.getAttribute("data-library") + ":" +
    bar.getAttribute("data-digest") + ":" + bar.getAttribute("data-filters");
  var boxes = Array.prototype.slice.call(rows.querySelectorAll("input[name=media]"));
  var lines = Array.prototype.slice.call(rows.querySelectorAll("tr[data-row]"));

  // {all: true, ids: [...]} is every match but ids; {all: false, ids: [...]} only ids.
  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(key));
      if (saved && typeof saved.all === "boolean" && Array.isArray(saved.ids)) {
        return { all: saved.all, ids: new Set(saved.ids.map(String)) };
      }
    } catch (ignored) { /* no storage, or not ours: start afresh */ }
    return { all: true, ids: new Set() };
  }
  var selection = load();

  function save() {
    try {
      window.sessionStorage.setItem(key, JSON.stringify({
        all: selection.all, ids: Array.from(selection.ids)
      }));
    } catch (ignored) { /* private mode: the selection lasts as long as the page */ }
  }

  function isSelected(id) { return selection.all !== selection.ids.has(id); }

  function select(id, on) {
    if (on === selection.all) { selection.ids.delete(id); } else { selection.ids.add(id); }
  }

  function count() { return selection.all ? matching - selection.ids.size : selection.ids.size; }

  function render() {
    boxes.forEach(function (box) { box.checked = isSelected(box.value); });
    Array.prototype.forEach.call(rows.querySelectorAll("section"), function (section) {
      var toggle = section.querySelector(".group-toggle");
      var own = section.querySelectorAll("input[name=media]");
      var ticked = section.querySelectorAll("input[name=media]:checked").length;
      toggle.hidden = own.length === 0;
      toggle.checked = own.length > 0 && ticked === own.length;
      toggle.indeterminate = ticked > 0 && ticked < own.length;
    });
    var n = count();
    var shown = n.toLocaleString("en");
    counter.textContent = shown + " of " + matching.toLocaleString("en") + " selected";
    button.textContent = "Apply the " + shown + " selected rename" + (n === 1 ? "" : "s");
    button.disabled = n === 0;
  }

  function change() { save(); render(); }

  bar.addEventListener("click", function (event) {
    var choice = event.target.getAttribute("data-select");
    if (!choice) { return; }
    selection = { all: choice === "all", ids: new Set() };
    change();
  });

  rows.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name === "media") {
      select(box.value, box.checked);
    } else if (box.classList.contains("group-toggle")) {
      box.closest("section").querySelectorAll("input[name=media]").forEach(function (own) {
        select(own.value, box.checked);
      });
    } else {
      return;
    }
    change();
  });

  form.addEventListener("submit", function (event) {
    if (count() === 0) { event.preventDefault(); return; }
    form.elements.selection.value = selection.all ? "matching" : "ids";
    form.elements.ids.value = Array.from(selection.ids).join(",");
    window.sessionStorage.removeItem(key);
  });

  // Keyboard: j/k or the arrows move between rows, space ticks the row's checkbox.
  lines.forEach(function (line) { line.tabIndex = -1; });
  function focusRow(index) {
    var line = lines[Math.max(0, Math.min(lines.length - 1, index))];
    if (!line) { return; }
    line.focus();
    line.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    var typing = target.matches("input[type=text], input[type=search], select, textarea");
    if (typing) { return; }
    var current = target.closest ? target.closest("tr[data-row]") : null;
    var at = current ? lines.indexOf(current) : -1;
    // The arrows move between rows only from a row: elsewhere they scroll the page.
    if (!current && event.key.indexOf("Arrow") === 0) { return; }
    if (event.key === "j" || event.key === "ArrowDown") {
      event.preventDefault();
      focusRow(at + 1);
    } else if (event.key === "k" || event.key === "ArrowUp") {
      event.preventDefault();
      focusRow(at < 0 ? 0 : at - 1);
    } else if (event.key === " " && current && target === current) {
      var box = current.querySelector("input[name=media]");
      event.preventDefault();
      if (box) { box.click(); }
    }
  });

  // With the script, the selection bar replaces the per-page and apply-all buttons.
  document.querySelectorAll("[data-page-apply], [data-apply-all]").forEach(function (node) {
    node.hidden = true;
  });
  bar.hidden = false;
  render();
})();
