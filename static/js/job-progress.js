// Polls a background job's status and updates its progress bar; reloads the
// page when the job ends so the results show. No framework, no build step.
(function () {
  "use strict";
  document.querySelectorAll("[data-job-url]").forEach(function (box) {
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-job-message]");
    function poll() {
      fetch(box.dataset.jobUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          if (job.total) { bar.max = job.total; bar.value = job.done; } else { bar.removeAttribute("value"); }
          text.textContent = job.message || (job.status === "queued" ? "Waiting to start…" : "Working…");
          if (job.active) { window.setTimeout(poll, 1000); } else { window.location.reload(); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    poll();
  });
})();
