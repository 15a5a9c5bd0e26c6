// Polls a job's status and reloads the page when it has finished. On the job's own
// page it also says how long it has run, its rate, and why a queued job waits.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var last = null;  // the previous poll: {done, message, at}, for the rate

  function text(selector, value) {
    var node = box.querySelector(selector);
    if (node) { node.textContent = value; }
    return node;
  }

  function rate(job) {
    var now = Date.now();
    var shown = "";
    var node = box.querySelector(".job-rate");
    var unit = node ? node.getAttribute("data-unit") : "";
    if (unit && last && last.message === job.message && job.status === "running") {
      var seconds = (now - last.at) / 1000;
      var perSecond = seconds > 0 ? (job.done - last.done) / seconds : 0;
      if (perSecond > 0) {
        shown = "· " + Math.round(perSecond).toLocaleString("en") + " " + unit + "/s";
        if (job.total && job.total > job.done) {
          shown += ", about " + Math.ceil((job.total - job.done) / perSecond) + " s left";
        }
      }
    }
    last = { done: job.done, message: job.message, at: now };
    if (node) { node.textContent = shown; }
  }

  function waiting(job) {
    var node = box.querySelector(".job-waiting");
    if (!node) { return; }
    node.hidden = !job.waiting;
    if (!job.waiting) { return; }
    var busy = node.querySelector(".job-busy");
    busy.hidden = !job.waiting.busy;
    node.querySelector(".job-no-worker").hidden = Boolean(job.waiting.busy);
    var link = busy.querySelector("a");
    link.textContent = job.waiting.busy;
    link.href = job.waiting.url;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (!job.active) { window.location.reload(); return; }
        var bar = box.querySelector("progress");
        bar.max = job.total || 1;
        bar.value = job.done;
        text(".job-count", job.done + (job.total ? " of " + job.total : ""));
        text(".job-message", job.message);
        text(".job-status", job.status.charAt(0).toUpperCase() + job.status.slice(1));
        text(".job-time", job.time || "");
        rate(job);
        waiting(job);
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
