/* Site chrome (every page): the phone menu button and the language menu.
   Loaded in <head> without defer so <html class="js"> is set before the first paint: the CSS
   collapses the menu on narrow screens only then, and without JavaScript it stays open.
   No inline script or handler anywhere (the Content-Security-Policy forbids them). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setUp() {
    var toggle = document.getElementById("menu-toggle");
    var menu = document.getElementById("site-menu");
    if (toggle && menu) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        menu.classList.toggle("open", open);
      });
      document.addEventListener("keydown", function (evt) {
        if (evt.key === "Escape" && menu.classList.contains("open")) {
          toggle.setAttribute("aria-expanded", "false");
          menu.classList.remove("open");
          toggle.focus();
        }
      });
    }
    // the language menu applies the choice at once: js/autosubmit.js (select[data-autosubmit])
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
