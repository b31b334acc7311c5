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
  var form = document.getElementById("checkin-form");
  if (!form) return;
  var words = Array.prototype.slice.call(form.querySelectorAll(".word"));
  var box = document.getElementById("suggestions");
  var nothing = document.getElementById("nothing");

  function checkbox(word) { return document.getElementById("w-" + word); }
  function reveal(item) { var d = item.closest("details"); if (d) d.open = true; }

  // Words near the chosen point of the grid, as toggle buttons.
  function suggest(p, e) {
    var near = words.map(function (w) {
      var dp = Number(w.dataset.p) - p, de = Number(w.dataset.e) - e;
      return { item: w, d: dp * dp + de * de };
    }).sort(function (a, b) { return a.d - b.d; }).slice(0, 8);
    box.textContent = "";
    var intro = document.createElement("p");
    intro.className = "hint";
    intro.textContent = "Words that often sit near there:";
    box.appendChild(intro);
    near.forEach(function (n) {
      var word = n.item.dataset.word, input = checkbox(word);
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = word;
      b.setAttribute("aria-pressed", input.checked ? "true" : "false");
      b.addEventListener("click", function () {
        input.checked = !input.checked;
        b.setAttribute("aria-pressed", input.checked ? "true" : "false");
        input.dispatchEvent(new Event("change", { bubbles: true }));
        if (input.checked) reveal(n.item);
      });
      box.appendChild(b);
    });
  }

  form.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t.name === "affect") {
      if (t.value) {
        var pe = t.value.split(",");
        suggest(Number(pe[0]), Number(pe[1]));
      } else {
        box.textContent = "";
      }
    }
    if (t === nothing && nothing.checked) {
      words.forEach(function (w) { checkbox(w.dataset.word).checked = false; });
      box.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    }
    if (t.name === "feel" && t.checked && nothing) nothing.checked = false;
  });

  var search = document.getElementById("word-search");
  search.addEventListener("input", function () {
    var q = search.value.trim().toLowerCase();
    words.forEach(function (w) { w.hidden = q !== "" && w.dataset.word.indexOf(q) === -1; });
    form.querySelectorAll("details.family").forEach(function (d) {
      var any = d.querySelector(".word:not([hidden])");
      d.hidden = q !== "" && !any;
      if (q !== "") d.open = !!any;
    });
  });

  // The body map's links move focus to the region's first control.
  form.querySelectorAll(".region-link").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      var region = document.getElementById("body-" + a.dataset.region);
      if (!region) return;
      ev.preventDefault();
      region.scrollIntoView({ block: "center" });
      var first = region.querySelector("select");
      if (first) first.focus();
    });
  });
})();
