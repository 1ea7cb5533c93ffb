/* Portal behaviour on top of HTMX: upload progress bars and focus after partial updates.
   Everything also works without JavaScript (plain form posts). */
(function () {
  "use strict";
  document.addEventListener("htmx:xhr:progress", function (evt) {
    var form = evt.target.closest && evt.target.closest("form.upload-form");
    if (!form || !evt.detail.lengthComputable) return;
    var bar = form.querySelector("progress");
    if (bar) {
      bar.hidden = false;
      bar.value = Math.round((evt.detail.loaded / evt.detail.total) * 100);
    }
  });
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var form = evt.target.closest && evt.target.closest("form.upload-form");
    if (form) {
      var input = form.querySelector("input[type=file]");
      if (input && !input.files.length) { evt.preventDefault(); input.focus(); return; }
      form.setAttribute("aria-busy", "true");
    }
  });
  document.addEventListener("htmx:afterSwap", function (evt) {
    // keep keyboard users oriented: an error gets focus, otherwise the updated list does
    var error = evt.detail.target.querySelector("#upload-error");
    if (error) { error.setAttribute("tabindex", "-1"); error.focus(); }
  });
  // the places to submit a procedure (folded when many): a filter by name, accents ignored
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
      .replace(/Đ/g, "D").toLowerCase();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("agency-filter");
    var list = document.getElementById("agency-items");
    if (!input || !list) return;
    input.closest(".agency-filter").hidden = false;
    input.addEventListener("input", function () {
      var q = fold(input.value.trim());
      list.querySelectorAll("li").forEach(function (li) {
        li.hidden = q !== "" && fold(li.textContent).indexOf(q) === -1;
      });
    });
  });
})();
