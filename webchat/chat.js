// The /chat page: get a signed session token from the accounts API, then start the rasa-webchat
// widget against Rasa's webchat channel with that token in the socket URL (the widget cannot set
// socket.io's `auth`). The token and the widget's history live in sessionStorage: a reload keeps
// the conversation, closing the tab forgets it (phones and computers are often shared).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("webchat-config").textContent);
  var STORE = "acme-webchat-session";
  var RENEW_MARGIN_MS = 60 * 1000;
  var status = document.getElementById("chat-status");
  // A personal link (/chat?link=...) binds the chat to the debtor's account, still to be verified: the
  // token rides in every message's metadata (the widget's customData) and Rasa's channel checks it. A link
  // the API refused never reaches the page's config: the page shows a notice and the chat opens unbound.
  var customData = config.link ? { channel: "webchat", link: config.link } : { channel: "webchat" };
  // Inside the embed snippet's panel, the host page's Close button sits over our header's corner.
  if (window.self !== window.top) document.body.classList.add("in-frame");

  function stored() {
    try {
      var session = JSON.parse(window.sessionStorage.getItem(STORE) || "null");
      if (session && Date.parse(session.expires_at) - Date.now() > RENEW_MARGIN_MS) return session;
    } catch (error) { /* unreadable storage: start a new session */ }
    return null;
  }

  function requestSession() {
    var previous = stored();
    return fetch(config.sessionUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(previous ? { token: previous.token } : {}),
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) throw new Error("session " + response.status);
      return response.json();
    }).then(function (session) {
      window.sessionStorage.setItem(STORE, JSON.stringify(session));
      return session;
    });
  }

  function showReconnect() {
    document.getElementById("chat-reconnect").hidden = false;
  }

  function mount(session) {
    var container = document.getElementById("webchat");
    container.textContent = "";
    window.WebChat.default({
      socketUrl: config.socketUrl.replace(/\/+$/, "") + "/?token=" + encodeURIComponent(session.token),
      socketPath: config.socketPath,
      embedded: true,
      title: config.title,
      subtitle: config.company,
      inputTextFieldHint: "Type your message…",
      connectingText: "Connecting securely…",
      showFullScreenButton: false,
      showMessageDate: false,
      displayUnreadCount: false,
      hideWhenNotConnected: false,
      customData: customData,
      params: { storage: "session" },
      // The widget's default paces each reply like typing, up to 3 s: an answer of seven messages took 15 s
      // and debtors typed over it. A short pause keeps the order readable.
      customMessageDelay: function (message) {
        return Math.min(1200, Math.max(300, message.length * 6));
      },
      onSocketEvent: { connect_error: showReconnect }
    }, container);
  }

  document.getElementById("chat-reconnect-button").addEventListener("click", function () {
    window.location.reload();
  });

  requestSession().then(mount).catch(function () {
    status.textContent = "We could not start a secure chat right now. Please try again in a minute, or call us at " +
      config.support + ".";
  });
})();
