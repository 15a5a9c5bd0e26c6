// Polls a job's status and reloads the page when it has finished.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (!job.active) { window.location.reload(); return; }
        var bar = box.querySelector("progress");
        bar.max = job.total || 1;
        bar.value = job.done;
        box.querySelector(".job-count").textContent = job.done + (job.total ? " of " + job.total : "");
        box.querySelector(".job-message").textContent = job.message;
        box.querySelector(".job-status").textContent = job.status;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
