/* Study guide front-end: one namespace, no framework, works with Material's instant navigation. */
(function () {
  "use strict";

  // A link to #q-N (or a search result) must land on an open answer, not a closed box.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    var details = target.closest("details");
    while (details) {
      details.open = true;
      details = details.parentElement && details.parentElement.closest("details");
    }
    target.scrollIntoView({ block: "start" });
  }

  function init() {
    openTarget();
  }

  window.addEventListener("hashchange", openTarget);
  // Material re-renders pages without reloading; its document$ observable tells us when.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
