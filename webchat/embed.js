// Embeddable chat for a creditor's site: a "Chat with us" button that opens our /chat page in a
// panel (an iframe on our origin, so tokens, the socket and the debtor's messages never touch the
// host page). Paste:  <script src="https://CHAT-HOST/chat/embed.js" async></script>
// The chat host must list the site in WEBCHAT_FRAME_ANCESTORS.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || document.getElementById("acme-chat-launcher")) return;
  var origin = new URL(script.src).origin;
  var label = script.getAttribute("data-label") || "Chat with Acme Recovery Services";

  var style = document.createElement("style");
  style.textContent =
    "#acme-chat-launcher{position:fixed;right:16px;bottom:16px;z-index:2147483647;font:600 17px/1.2 system-ui,sans-serif;" +
    "padding:14px 20px;border:0;border-radius:28px;background:#1d4f91;color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}" +
    "#acme-chat-panel{position:fixed;right:16px;bottom:84px;z-index:2147483646;width:380px;height:600px;max-height:calc(100vh - 100px);" +
    "border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff}" +
    "@media (max-width:480px){#acme-chat-panel{right:0;bottom:0;width:100vw;height:100dvh;max-height:none;border-radius:0}" +
    "#acme-chat-launcher.open{bottom:auto;top:8px;right:8px;padding:8px 14px;font-size:15px}}";
  document.head.appendChild(style);

  var panel = document.createElement("iframe");
  panel.id = "acme-chat-panel";
  panel.title = label;
  panel.hidden = true;
  panel.setAttribute("referrerpolicy", "no-referrer");

  var launcher = document.createElement("button");
  launcher.id = "acme-chat-launcher";
  launcher.type = "button";
  launcher.textContent = label;
  launcher.setAttribute("aria-expanded", "false");
  launcher.addEventListener("click", function () {
    if (!panel.src) panel.src = origin + "/chat";
    panel.hidden = !panel.hidden;
    launcher.classList.toggle("open", !panel.hidden);
    launcher.setAttribute("aria-expanded", String(!panel.hidden));
    launcher.textContent = panel.hidden ? label : "Close";
  });

  document.body.appendChild(panel);
  document.body.appendChild(launcher);
})();
