// The specgen docs site, on top of mkdocs-material (mkdocs.yml: extra_javascript).
// Search needs the site served (`mkdocs serve`, or `make docs` in specgen's repository): opened
// from disk (file://), the browser will not start its worker. Rather than a search box that never
// answers, the page says so where the box would be.
(function () {
  "use strict";
  if (window.location.protocol !== "file:") {
    return;
  }
  document.documentElement.classList.add("sg-from-disk");
  function note() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".sg-search-note")) {
      return;
    }
    var element = document.createElement("div");
    element.className = "sg-search-note";
    element.setAttribute("role", "note");
    element.innerHTML =
      '<span class="sg-long">Search needs the site served: run <code>mkdocs serve</code></span>' +
      '<span class="sg-short">No search from disk</span>';
    var source = header.querySelector(".md-header__source");
    header.insertBefore(element, source);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", note);
  } else {
    note();
  }
})();
