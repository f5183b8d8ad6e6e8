// pat serve: save each answer and comment as it changes, and say whether it was saved.
// The pages work without this script; it only saves sooner.
"use strict";
(function () {
  var form = document.querySelector("form.answers");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var csrf = form.querySelector("input[name=csrf]").value;
  var page = form.getAttribute("data-page");
  var timers = {};
  // The page's words, in its language (the server puts them in a hidden list).
  function said(name, english) {
    var word = document.querySelector("#words [data-word=" + name + "]");
    return (word && word.textContent) || english;
  }

  function itemOf(name) { return name.replace(/^(answer|comment)-/, ""); }

  function show(item, text, failed) {
    var status = document.getElementById("status-" + item);
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("failed", !!failed);
  }

  function countAnswered() {
    var answered = form.querySelectorAll("fieldset.item input[type=radio]:checked").length;
    var shown = document.getElementById("answered");
    var bar = document.querySelector(".progress progress");
    if (!shown || !bar) { return; }
    var before = parseInt(shown.getAttribute("data-base") || "", 10);
    if (isNaN(before)) {
      before = parseInt(shown.textContent, 10) - answered;
      shown.setAttribute("data-base", String(before));
    }
    shown.textContent = String(before + answered);
    bar.value = before + answered;
  }
  countAnswered();

  function save(field) {
    var item = itemOf(field.name);
    // URL-encoded, like the page's own form: the cheapest body for the server to read.
    var body = new URLSearchParams();
    body.append("csrf", csrf);
    body.append("page", page);
    body.append("name", field.name);
    body.append("value", field.value);
    show(item, said("saving", "Saving…"), false);
    fetch("/r/save", { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (result.ok && result.data.saved) {
          var done = field.type === "textarea" ? said("comment-saved", "Comment saved") : said("saved", "Saved");
          show(item, done, false);
        } else {
          var why = result.data.error || said("try-again", "try again");
          show(item, said("not-saved", "Not saved:") + " " + why, true);
        }
      })
      .catch(function () {
        show(item, said("offline", "Not saved: no connection. Your answer is kept on this page; try again."), true);
      });
  }

  form.addEventListener("change", function (event) {
    var field = event.target;
    if (field.type === "radio") { countAnswered(); save(field); }
    if (field.tagName === "TEXTAREA") { clearTimeout(timers[field.name]); save(field); }
  });
  form.addEventListener("input", function (event) {
    var field = event.target;
    if (field.tagName !== "TEXTAREA") { return; }
    clearTimeout(timers[field.name]);
    timers[field.name] = setTimeout(function () { save(field); }, 1500);
  });
})();
