// feltsense: small enhancements only; every page works without this file.
(function () {
  "use strict";
  // Guided practice: count the step's time down, then go on by itself.
  var step = document.getElementById("step"), next = document.getElementById("next");
  if (step && next && step.dataset.seconds) {
    var left = Number(step.dataset.seconds);
    var clock = document.createElement("p");
    clock.className = "hint";
    step.after(clock);
    var tick = function () {
      clock.textContent = left + " s (the next step comes by itself; you can also go on now)";
      if (left-- <= 0) { window.location.href = next.href; return; }
      window.setTimeout(tick, 1000);
    };
    tick();
  }
  // The check-in: "I can't feel much" and feeling words exclude each
  // other; the body map opens the region tapped.
  var form = document.getElementById("checkin-form");
  if (!form) return;
  var nothing = document.getElementById("nothing");
  form.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t === nothing && nothing.checked) {
      form.querySelectorAll('input[name="feel"]').forEach(function (w) { w.checked = false; });
    }
    if (t.name === "feel" && t.checked && nothing) nothing.checked = false;
  });
  form.querySelectorAll(".region-link").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      var choices = document.getElementById("body-" + a.dataset.region);
      if (!choices) return;
      ev.preventDefault();
      var region = choices.closest("details");
      if (region) region.open = true;
      choices.scrollIntoView({ block: "center" });
      var first = choices.querySelector("select");
      if (first) first.focus();
    });
  });
})();
