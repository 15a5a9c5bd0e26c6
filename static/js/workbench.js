// The workbench of the rename and import previews: a selection that holds across every
// page of the preview's filters, select all / none (per group and over every page),
// keyboard use, and "Apply the selected" with the count on the button.
//
// Without this script the page still works: each page's ticked rows, or the whole plan.
// The bar says which checkboxes are the rows' (data-field), what the button does
// (data-action, data-noun) and where the selection is kept (data-key: the preview's
// plan and filters, so a new plan or other filters start a new selection). The
// selection lives in sessionStorage; it is either "every row matching the filters but
// these ids" or "only these ids", posted as one JSON list, and the server resolves it
// against the plan, so 100,000 rows need no checkbox. A select marked data-kept (an
// import's choice for a duplicate) keeps its value across pages and is posted too.
(function () {
  "use strict";
  var bar = document.getElementById("workbench");
  if (!bar) { return; }
  var rows = document.querySelector(".workbench-rows");
  var form = bar.querySelector(".workbench-apply");
  var button = form.querySelector("button[type=submit]");
  var counter = bar.querySelector(".workbench-count");
  var matching = parseInt(bar.getAttribute("data-matching"), 10) || 0;
  var key = "workbench:" + bar.getAttribute("data-key");
  var field = "input[name=" + bar.getAttribute("data-field") + "]";
  var action = bar.getAttribute("data-action");
  var noun = bar.getAttribute("data-noun");
  var boxes = Array.prototype.slice.call(rows.querySelectorAll(field));
  var kept = Array.prototype.slice.call(rows.querySelectorAll("select[data-kept]"));
  var lines = Array.prototype.slice.call(rows.querySelectorAll("tr[data-row]"));

  // {all: true, ids: [...]} is every match but ids; {all: false, ids: [...]} only ids;
  // fields: the kept selects' values by name.
  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(key));
      if (saved && typeof saved.all === "boolean" && Array.isArray(saved.ids)) {
        return { all: saved.all, ids: new Set(saved.ids.map(String)), fields: saved.fields || {} };
      }
    } catch (ignored) { /* no storage, or not ours: start afresh */ }
    return { all: true, ids: new Set(), fields: {} };
  }
  var selection = load();

  function save() {
    try {
      window.sessionStorage.setItem(key, JSON.stringify({
        all: selection.all, ids: Array.from(selection.ids), fields: selection.fields
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
    kept.forEach(function (select) {
      if (Object.prototype.hasOwnProperty.call(selection.fields, select.name)) {
        select.value = selection.fields[select.name];
      }
    });
    Array.prototype.forEach.call(rows.querySelectorAll("section"), function (section) {
      var toggle = section.querySelector(".group-toggle");
      if (!toggle) { return; }
      var own = section.querySelectorAll(field);
      var ticked = section.querySelectorAll(field + ":checked").length;
      toggle.hidden = own.length === 0;
      toggle.checked = own.length > 0 && ticked === own.length;
      toggle.indeterminate = ticked > 0 && ticked < own.length;
    });
    var n = count();
    var shown = n.toLocaleString("en");
    counter.textContent = shown + " of " + matching.toLocaleString("en") + " selected";
    button.textContent = action + " the " + shown + " selected " + noun + (n === 1 ? "" : "s");
    button.disabled = n === 0;
  }

  function change() { save(); render(); }

  bar.addEventListener("click", function (event) {
    var choice = event.target.getAttribute("data-select");
    if (!choice) { return; }
    selection = { all: choice === "all", ids: new Set(), fields: selection.fields };
    change();
  });

  rows.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches(field)) {
      select(box.value, box.checked);
    } else if (box.matches("select[data-kept]")) {
      selection.fields[box.name] = box.value;
    } else if (box.classList.contains("group-toggle")) {
      box.closest("section").querySelectorAll(field).forEach(function (own) {
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
    form.elements.ids.value = JSON.stringify(Array.from(selection.ids));
    Object.keys(selection.fields).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = selection.fields[name];
      form.appendChild(input);
    });
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
      var box = current.querySelector(field);
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
