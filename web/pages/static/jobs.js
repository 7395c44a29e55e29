// A job's page: poll its status and move the progress bar; reload the page once the job
// ended, so that the server writes the result. Without this script the page refreshes itself.
"use strict";

(function () {
  const POLL_MS = 500;

  function show(section, job) {
    const bar = section.querySelector("progress");
    const count = section.querySelector("[data-job-count]");
    if (bar && job.total) {
      bar.max = job.total;
      bar.value = job.done;
    }
    if (count) count.textContent = job.done + " of " + (job.total === null ? "…" : job.total) + " " + job.unit + "s";
  }

  function poll(section) {
    fetch(section.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((job) => {
        show(section, job);
        if (job.state === "running") setTimeout(() => poll(section), POLL_MS);
        else window.location.reload();
      })
      .catch(() => setTimeout(() => poll(section), POLL_MS * 4));
  }

  document.addEventListener("DOMContentLoaded", () => {
    const section = document.querySelector("[data-job-state='running'][data-status-url]");
    if (section) poll(section);
  });
})();
