// The phone page: long-polls /api/messages for the thread of the chosen number, posts texts to /api/send.
// Every message is put in the page with textContent, never as HTML.
"use strict";

(() => {
  const WAIT_SECONDS = 20;
  const RETRY_MS = 2000;
  const thread = document.getElementById("thread");
  const problem = document.getElementById("problem");
  const composer = document.getElementById("composer");
  const body = document.getElementById("body");
  const send = document.getElementById("send");
  const numberForm = document.getElementById("number-form");
  const numberInput = document.getElementById("number");
  const current = document.getElementById("current-number");
  const bubbles = new Map();
  let number = thread.dataset.number;
  let revision = 0;
  let generation = 0; // bumped on a number switch: answers of an older poll are dropped

  const LABELS = {
    inbound: { sending: "sending…", received: "delivered to the bot", failed: "not delivered" },
    outbound: { accepted: "queued", queued: "queued", sent: "sent", delivered: "delivered" },
  };

  function setProblem(text) {
    problem.textContent = text;
    problem.hidden = !text;
  }

  function show(message) {
    let item = bubbles.get(message.sid);
    if (!item) {
      item = document.createElement("li");
      bubbles.set(message.sid, item);
      thread.append(item);
    }
    item.className = `message ${message.direction}${message.status === "failed" ? " failed" : ""}`;
    item.dataset.status = message.status;
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = message.body;
    const meta = document.createElement("span");
    meta.className = "meta";
    const time = new Date(message.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    meta.textContent = `${time} · ${LABELS[message.direction][message.status] || message.status}`;
    item.replaceChildren(text, meta);
    if (message.error) setProblem(message.error);
  }

  async function poll(mine) {
    while (mine === generation) {
      try {
        const query = new URLSearchParams({ number, since: revision, wait: WAIT_SECONDS });
        const response = await fetch(`/api/messages?${query}`);
        if (!response.ok) throw new Error(`status ${response.status}`);
        const data = await response.json();
        if (mine !== generation) return;
        data.messages.forEach(show);
        revision = data.revision;
        if (data.messages.length) thread.scrollTop = thread.scrollHeight;
        if (problem.dataset.kind === "offline") { setProblem(""); delete problem.dataset.kind; }
      } catch (error) {
        setProblem("The sink is not answering; trying again…");
        problem.dataset.kind = "offline";
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  function switchTo(next) {
    number = next;
    generation += 1;
    revision = 0;
    bubbles.clear();
    thread.replaceChildren();
    thread.dataset.number = next;
    current.textContent = next;
    setProblem("");
    poll(generation);
  }

  async function textBot(text) {
    send.disabled = true;
    try {
      const response = await fetch("/api/send", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ from: number, body: text }),
      });
      const data = await response.json().catch(() => ({}));
      if (data.message) show(data.message);
      if (response.ok) {
        body.value = "";
        setProblem("");
      } else if (!data.message) {
        setProblem(data.error || `The sink answered ${response.status}`);
      }
    } catch (error) {
      setProblem("The sink is not answering.");
    } finally {
      send.disabled = false;
      body.focus();
      thread.scrollTop = thread.scrollHeight;
    }
  }

  function useTypedNumber() {
    const typed = numberInput.value.trim();
    if (typed && typed !== number) switchTo(typed);
  }

  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    useTypedNumber(); // a number typed but not switched to yet is the one texting
    const text = body.value.trim();
    if (text) textBot(text);
  });
  body.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  numberForm.addEventListener("submit", (event) => {
    event.preventDefault();
    useTypedNumber();
  });
  numberInput.addEventListener("change", useTypedNumber);

  poll(generation);
})();
