// Sandbox index: the chat lists follow new messages by long-poll; the 「提醒」 panel's
// buttons run the bot's reminder tick. All HTML inserted here comes from the server,
// which escapes every piece of content.
(function () {
  "use strict";
  var seq = parseInt(document.body.dataset.seq, 10) || 0;
  var lists = document.getElementById("lists");
  var panel = document.getElementById("remind");

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  async function poll() {
    for (;;) {
      try {
        var r = await fetch("api/index?after=" + seq + "&wait=20", { cache: "no-store" });
        if (r.ok) {
          var data = await r.json();
          seq = Math.max(seq, data.seq);
          if (lists.innerHTML !== data.html) { lists.innerHTML = data.html; }
        } else {
          await sleep(2000);
        }
      } catch (e) {
        await sleep(2000);
      }
    }
  }

  function say(text, isError) {
    var line = panel.querySelector(".panel-result");
    if (line) {
      line.textContent = text;
      line.classList.toggle("error", !!isError);
    }
  }

  if (panel) {
    panel.addEventListener("click", async function (ev) {
      var btn = ev.target.closest("button.remind-btn");
      if (!btn || btn.disabled) { return; }
      var buttons = panel.querySelectorAll("button.remind-btn");
      buttons.forEach(function (b) { b.disabled = true; });
      say("正在运行提醒…");
      try {
        var r = await fetch("api/remind", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ action: btn.dataset.action })
        });
        var data = {};
        try { data = await r.json(); } catch (e) { data = { error: "HTTP " + r.status }; }
        if (r.ok && data.html) {
          panel.innerHTML = data.html;
        } else {
          buttons.forEach(function (b) { b.disabled = false; });
          say(data.error || "HTTP " + r.status, true);
        }
      } catch (e) {
        buttons.forEach(function (b) { b.disabled = false; });
        say("连不上沙箱：" + e, true);
      }
    });
  }

  poll();
})();
