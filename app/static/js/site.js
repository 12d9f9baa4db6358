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
  // A service's field asked only on another answer (show_when) is hidden until that answer is
  // given; its inputs are disabled while hidden, so nothing the citizen cannot see is sent.
  document.querySelectorAll("[data-show-when]").forEach(function (box) {
    var form = box.closest("form");
    if (!form) { return; }
    var controls = form.querySelectorAll("[name='" + box.getAttribute("data-show-when") + "']");
    var sync = function () {
      var answer = "";
      controls.forEach(function (control) {
        answer = control.type === "checkbox" ? String(control.checked) : control.value;
      });
      var show = answer === box.getAttribute("data-show-equals");
      box.hidden = !show;
      box.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !show; });
    };
    controls.forEach(function (control) { control.addEventListener("change", sync); });
    sync();
  });
  // A file is checked when it is chosen (type and size), not only after the review step; the
  // server checks it again.
  document.querySelectorAll("input[type=file][data-max-kb]").forEach(function (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var message = "";
      if (file && input.accept && input.accept.split(",").indexOf(file.type) < 0) {
        message = input.getAttribute("data-wrong-type");
      } else if (file && file.size > Number(input.getAttribute("data-max-kb")) * 1024) {
        message = input.getAttribute("data-too-large");
      }
      input.setCustomValidity(message);
      var id = input.id + "-choose-error";
      var shown = document.getElementById(id);
      if (!shown && message) {
        shown = document.createElement("p");
        shown.id = id;
        shown.className = "field-error";
        shown.setAttribute("role", "alert");
        input.insertAdjacentElement("afterend", shown);
        var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        described.push(id);
        input.setAttribute("aria-describedby", described.join(" "));
      }
      if (shown) { shown.textContent = message; shown.hidden = !message; }
      input.setAttribute("aria-invalid", message ? "true" : "false");
      if (message) { input.value = ""; }
    });
  });
  // A signed-in citizen's answers are kept as they type (never the files: the server keeps
  // no file or Aadhaar number in a draft), two seconds after the last change.
  var draftForm = document.querySelector("form[data-draft-url]");
  if (draftForm && window.fetch && window.FormData) {
    var timer = null;
    var keep = function () {
      var body = new FormData();
      Array.prototype.forEach.call(draftForm.elements, function (el) {
        if (!el.name || el.type === "file" || el.disabled) { return; }
        if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
        body.append(el.name, el.value);
      });
      fetch(draftForm.getAttribute("data-draft-url"), {
        method: "POST", body: body, credentials: "same-origin"
      }).catch(function () { /* offline: the next change tries again */ });
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(keep, 2000); };
    draftForm.addEventListener("input", later);
    draftForm.addEventListener("change", later);
  }
  // A step that closes a request for good (withdraw) asks first.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
