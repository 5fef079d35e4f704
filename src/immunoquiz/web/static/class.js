// Progressive enhancement only: every page works without this file.
// Adds: a ticking countdown, choose-N limits on checkbox groups, saving a
// question's answer in the background when it changes, and on a waiting page
// asking the server again now and then (moving on once it no longer says "wait").
(function () {
  "use strict";

  function words(left) {
    var m = Math.floor(left / 60), s = left % 60;
    if (m >= 60) { return Math.floor(m / 60) + " h " + (m % 60) + " min left"; }
    return m ? m + " min " + s + " s left" : s + " s left";
  }

  function countdown() {
    var clock = document.getElementById("clock");
    if (!clock) { return; }
    var end = Date.now() + 1000 * parseInt(clock.getAttribute("data-left"), 10);
    function tick() {
      var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      clock.textContent = words(left);
      if (left <= 60) { clock.classList.add("low"); }
      if (left <= 0) {
        // The server has submitted the attempt: show its result page.
        window.setTimeout(function () { window.location.assign("/result"); }, 1500);
        return;
      }
      window.setTimeout(tick, 1000);
    }
    tick();
  }

  function chooseLimits() {
    var groups = document.querySelectorAll("fieldset[data-choose]");
    Array.prototype.forEach.call(groups, function (group) {
      var limit = parseInt(group.getAttribute("data-choose"), 10);
      var boxes = group.querySelectorAll("input[type=checkbox]");
      function apply() {
        var n = 0;
        Array.prototype.forEach.call(boxes, function (b) { if (b.checked) { n += 1; } });
        Array.prototype.forEach.call(boxes, function (b) { b.disabled = !b.checked && n >= limit; });
      }
      Array.prototype.forEach.call(boxes, function (b) { b.addEventListener("change", apply); });
      apply();
    });
  }

  function autosave() {
    var form = document.getElementById("answer-form");
    if (!form || form.getAttribute("data-autosave") !== "1") { return; }
    var status = document.getElementById("save-status");
    var timer = null;
    function save() {
      var data = new URLSearchParams(new FormData(form));
      data.set("go", "save");
      fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (r) { return r.json(); }).then(function (reply) {
        status.textContent = reply.message || "";
        status.className = "status" + (reply.ok ? "" : " notice");
        if (reply.redirect) { window.location.assign(reply.redirect); }
      }).catch(function () {
        status.textContent = "Not saved yet: check the connection, then press the button.";
        status.className = "status notice";
      });
    }
    form.addEventListener("change", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 400);
    });
  }

  function poll() {
    var seconds = parseInt(document.body.getAttribute("data-poll") || "0", 10);
    if (!seconds) { return; }
    function ask() {
      fetch(window.location.href, { credentials: "same-origin" }).then(function (r) {
        if (r.headers.get("X-Immunoquiz-Waiting")) {
          window.setTimeout(ask, 1000 * seconds);
        } else {
          window.location.assign(r.url);
        }
      }).catch(function () { window.setTimeout(ask, 1000 * seconds); });
    }
    window.setTimeout(ask, 1000 * seconds);
  }

  document.addEventListener("DOMContentLoaded", function () {
    poll();
    countdown();
    chooseLimits();
    autosave();
  });
}());
