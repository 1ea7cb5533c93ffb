/* A <select data-autosubmit> submits its form when changed (the language menu, list filters).
   A static file, not an inline onchange="...": the Content-Security-Policy allows no inline
   script. Without JavaScript the form's own button does the same. */
(function () {
  "use strict";
  document.addEventListener("change", function (evt) {
    var field = evt.target;
    if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
      field.form.submit();
    }
  });
})();
