// The room view: the arrow keys and Page Up / Page Down (what a presenter's clicker
// sends) follow the page's previous and next links. The links work without this script.
"use strict";
(function () {
  var keys = { ArrowLeft: "prev", PageUp: "prev", ArrowRight: "next", PageDown: "next" };
  document.addEventListener("keydown", function (event) {
    var rel = keys[event.key];
    var target = event.target;
    var typing = target && target.closest && target.closest("input, textarea, select, button, [contenteditable]");
    if (!rel || typing || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var link = document.querySelector(".room-pager a[rel=" + rel + "]");
    if (link) { event.preventDefault(); window.location.href = link.href; }
  });
})();
