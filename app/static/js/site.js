/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  // Registration: show the organisation fields only when "an organisation" is chosen.
  var type = document.getElementById("applicant_type");
  if (type) {
    var fields = ["organisation_kind", "organisation_name"].map(function (id) {
      var input = document.getElementById(id);
      return input && input.closest(".field");
    }).filter(Boolean);
    var sync = function () {
      fields.forEach(function (field) { field.hidden = type.value !== "organisation"; });
    };
    type.addEventListener("change", sync);
    sync();
  }
  // A step that closes a request for good (withdraw) asks first.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
