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
