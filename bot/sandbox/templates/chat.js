// Chat simulator: long-polls for new messages, sends typed replies, posts card clicks.
// All HTML inserted here comes from the server, which escapes every piece of content.
(function () {
  "use strict";
  var body = document.body;
  var kind = body.dataset.kind;            // "chat" | "group" | "appchat"
  var peer = encodeURIComponent(body.dataset.peer);
  var seq = parseInt(body.dataset.seq, 10) || 0;
  var box = document.getElementById("messages");
  var statusLine = document.getElementById("status");
  var lastHtml = null;
  var feed = kind === "chat" ? "../api/conversation/" + peer : "../api/" + kind + "/" + peer;

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  function setStatus(text, isError) {
    statusLine.textContent = text || "";
    statusLine.className = "status" + (isError ? " error" : "");
  }

  function scrollToEnd() { window.scrollTo(0, document.body.scrollHeight); }

  function show(data) {
    seq = Math.max(seq, data.seq);
    if (data.html !== lastHtml) {
      lastHtml = data.html;
      box.innerHTML = data.html;
      scrollToEnd();
    }
  }

  async function refresh() {
    var r = await fetch(feed + "?after=0&wait=0", { cache: "no-store" });
    if (r.ok) { show(await r.json()); }
  }

  async function poll() {
    for (;;) {
      try {
        var r = await fetch(feed + "?after=" + seq + "&wait=20", { cache: "no-store" });
        if (r.ok) {
          show(await r.json());
          if (statusLine.classList.contains("offline")) { setStatus(""); }
        } else {
          await sleep(2000);
        }
      } catch (e) {
        setStatus("与沙箱的连接中断，正在重试…", true);
        statusLine.classList.add("offline");
        await sleep(2000);
      }
    }
  }

  async function postJson(url, payload) {
    var r = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload)
    });
    var data = {};
    try { data = await r.json(); } catch (e) { data = { error: "HTTP " + r.status }; }
    if (!r.ok && !data.error) { data.error = "HTTP " + r.status; }
    return data;
  }

  function describe(data) {
    if (data.error) { return data.error; }
    if (data.status && data.status !== 200) { return "机器人回调返回 HTTP " + data.status; }
    return "";
  }

  var form = document.getElementById("composer");
  if (form) {
    var input = document.getElementById("text");
    var send = document.getElementById("send");
    form.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      var text = input.value;
      if (!text.trim()) { return; }
      send.disabled = true;
      setStatus("发送中…");
      try {
        var data = await postJson("../api/chat/" + peer, { text: text });
        var problem = describe(data);
        setStatus(problem, !!problem);
        if (!data.error) { input.value = ""; }
        await refresh();
      } catch (e) {
        setStatus("发送失败：" + e, true);
      } finally {
        send.disabled = false;
        input.focus();
      }
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        form.requestSubmit();
      }
    });
  }

  box.addEventListener("click", async function (ev) {
    var btn = ev.target.closest("button.card-btn");
    if (!btn || btn.disabled || kind !== "chat") { return; }
    btn.disabled = true;
    setStatus("已点击「" + btn.textContent + "」…");
    try {
      var data = await postJson("../api/click/" + peer, {
        response_code: btn.dataset.code,
        event_key: btn.dataset.key,
        task_id: btn.dataset.task,
        card_type: btn.dataset.type
      });
      var problem = describe(data);
      setStatus(problem, !!problem);
      await refresh();
    } catch (e) {
      setStatus("点击失败：" + e, true);
      btn.disabled = false;
    }
  });

  scrollToEnd();
  poll();
})();
