/* gongyi: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  // Ask before a form that is marked data-confirm is sent.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // Filters that apply as soon as they change: <select data-autosubmit>.
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-autosubmit") && event.target.form) {
      event.target.form.submit();
    }
  });
  // Print buttons: <button data-print>.
  document.addEventListener("click", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-print")) { window.print(); }
  });
  // Background jobs: <div data-job-url> polls the job's progress and reloads the page at the end.
  var job = document.querySelector("[data-job-url]");
  if (job && window.fetch) {
    var poll = function () {
      fetch(job.getAttribute("data-job-url"), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          job.querySelector("[data-job-label]").textContent = s.status_label;
          job.querySelector("[data-job-count]").textContent = s.total ? s.done + " / " + s.total : s.done;
          job.querySelector("progress").value = s.percent;
          if (s.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 500);
  }
})();
