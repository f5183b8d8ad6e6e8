// pat serve: the live results dashboard asks for news every few seconds and, when the
// figures shown have changed, puts the new ones in place without reloading the page.
// The page works without this script: its Refresh link reloads it.
"use strict";
(function () {
  var live = document.getElementById("live");
  var status = document.getElementById("live-status");
  if (!live || !status || !window.fetch) { return; }
  var source = live.getAttribute("data-source");
  var every = 1000 * (parseInt(live.getAttribute("data-every") || "", 10) || 5);

  function clock() {
    var now = new Date();
    return [now.getHours(), now.getMinutes(), now.getSeconds()]
      .map(function (n) { return (n < 10 ? "0" : "") + n; }).join(":");
  }

  // The page's words, in its language (the server puts them in a hidden list).
  function said(name) {
    var word = document.querySelector("#live-words [data-word=" + name + "]");
    return word ? word.textContent.trim() : "";
  }

  function check() {
    fetch(source, { credentials: "same-origin", cache: "no-store",
                    headers: { accept: "application/json" } })
      .then(function (response) {
        var json = (response.headers.get("content-type") || "").indexOf("json") >= 0;
        if (!response.ok || response.redirected || !json) { throw new Error("signed out"); }
        return response.json();
      })
      .then(function (data) {
        if (data.version !== live.getAttribute("data-version")) {
          live.innerHTML = data.html;
          live.setAttribute("data-version", data.version);
          status.textContent = said("updated") + " " + clock() + ": " + data.said;
        }
        status.classList.remove("failed");
        window.setTimeout(check, every);
      })
      .catch(function () {
        status.textContent = clock() + " " + said("failed");
        status.classList.add("failed");
        window.setTimeout(check, every * 6);
      });
  }

  window.setTimeout(check, every);
}());
