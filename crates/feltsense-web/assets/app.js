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
  keepOffline();
  // The check-in: "I can't feel much" and feeling words exclude each
  // other; the body map opens the region tapped.
  var form = document.getElementById("checkin-form");
  if (!form) return;
  // Its id is made here, so that one kept offline and sent twice is
  // stored once; and the moment of Save, so it keeps its time.
  var id = form.querySelector('input[name="checkin_id"]');
  if (id && !id.value && window.crypto && crypto.randomUUID) id.value = crypto.randomUUID();
  form.addEventListener("submit", function () {
    var made = form.querySelector('input[name="made_at"]');
    if (made) made.value = new Date().toISOString();
  });
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

  // On `feltsense server` only (the local app's server is this computer,
  // and what it keeps stays in its encrypted store): the service worker
  // keeps the app shell and check-ins made without a connection (sw.js).
  function keepOffline() {
    var sw = navigator.serviceWorker;
    if (!sw || !window.isSecureContext || /\.localhost$/.test(location.hostname)) return;
    sw.register("/sw.js").catch(function () {});
    // Asks the worker; answers within 5 s whatever happens.
    var ask = function (type) {
      return new Promise(function (resolve) {
        window.setTimeout(resolve, 5000);
        sw.ready.then(function (reg) {
          var channel = new MessageChannel();
          channel.port1.onmessage = function (ev) { resolve(ev.data); };
          if (reg.active) reg.active.postMessage({ type: type }, [channel.port2]);
        });
      });
    };
    var send = function () { ask("flush"); };
    send();
    window.addEventListener("online", send);
    sw.addEventListener("message", function (ev) {
      var status = document.getElementById("kept-status");
      if (status && ev.data && ev.data.type === "sent") {
        status.textContent = "Sent: this check-in is saved with your others now.";
      }
    });
    // Signing out: what was kept is sent first, then nothing of this
    // account stays on the phone.
    document.querySelectorAll('form[action="/logout"]').forEach(function (f) {
      f.addEventListener("submit", function (ev) {
        if (f.dataset.forgotten) return;
        ev.preventDefault();
        ask("forget").then(function () { f.dataset.forgotten = "1"; f.submit(); });
      });
    });
  }
})();
