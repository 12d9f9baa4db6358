/* Admin behaviour that Flask-Admin writes as inline handlers, which our CSP forbids. */
(function () {
  "use strict";
  // Flask-Admin's menus and tabs link to "javascript:void(0)", which the CSP blocks when the
  // link is followed from the keyboard. "#" with the default prevented does the same job.
  document.querySelectorAll('a[href^="javascript:"]').forEach(function (link) {
    link.setAttribute("href", "#");
    if (link.hasAttribute("data-toggle")) {
      link.setAttribute("role", "button");
      link.setAttribute("aria-haspopup", "true");
    }
  });
  document.addEventListener("click", function (event) {
    var action = event.target.closest("[data-model-action]");
    if (action && window.modelActions) {
      event.preventDefault();
      window.modelActions.execute(action.getAttribute("data-model-action"));
      return;
    }
    var placeholder = event.target.closest('a[href="#"]');
    if (placeholder) {
      event.preventDefault();
    }
    var confirmButton = event.target.closest("button[data-confirm]");
    if (confirmButton && !window.confirm(confirmButton.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();

/* Requests → Exports: while a job runs, ask for its progress every two seconds and update the
   bar, the text (a polite live region) and, when done, the download link. */
(function () {
  "use strict";
  var rows = document.querySelectorAll("tr[data-export-status][data-export-done=false]");
  rows.forEach(function (row) {
    var timer = window.setInterval(function () {
      fetch(row.getAttribute("data-export-status"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) {
          if (!job) { window.clearInterval(timer); return; }
          row.querySelector("progress").value = job.percent;
          row.querySelector("progress").textContent = job.percent + "%";
          row.querySelector(".export-text").textContent = job.text;
          if (job.download) {
            var link = document.createElement("a");
            link.href = job.download;
            link.textContent = job.filename;
            var cell = row.querySelector(".export-download");
            cell.textContent = "";
            cell.appendChild(link);
          }
          if (job.status === "done" || job.status === "failed") { window.clearInterval(timer); }
        })
        .catch(function () { window.clearInterval(timer); });
    }, 2000);
  });
})();
