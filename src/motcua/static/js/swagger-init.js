// Starts Swagger UI on /api/v1/docs from the settings the page carries as JSON data
// (a static file, so the Content-Security-Policy needs no 'unsafe-inline' for scripts).
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrfToken = document.body.dataset.csrfToken;
  settings.dom_id = "#swagger-ui";
  settings.presets = [window.SwaggerUIBundle.presets.apis];
  // "Try it out" with the officer's session: Django wants the CSRF token on unsafe methods
  settings.requestInterceptor = function (req) {
    if (csrfToken) {
      req.headers["X-CSRFToken"] = csrfToken;
    }
    return req;
  };
  window.ui = window.SwaggerUIBundle(settings);
})();
