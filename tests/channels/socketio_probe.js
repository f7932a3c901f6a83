// A socket.io-client 3 probe: the client library inside the rasa-webchat widget, driven the way the
// widget drives it (session_request on connect, user_uttered with the confirmed session id).
// Usage: node socketio_probe.js '<json config>'; prints one JSON line per event it sees, then exits
// after the server's "stub_done" broadcast, a connect_error, or its own time limit.
//   config: {url, path, token, tokenIn: "auth"|"query"|"none", requestSession, sendAs, message}
"use strict";
const path = require("path");

const config = JSON.parse(process.argv[2]);
const widget = path.join(__dirname, "..", "..", "webchat", "node_modules", "rasa-webchat");
const io = require(require.resolve("socket.io-client", { paths: [widget] }));
const report = (event, data) => process.stdout.write(JSON.stringify({ event, data }) + "\n");

const url = config.tokenIn === "query" ? `${config.url}/?token=${encodeURIComponent(config.token)}` : config.url;
const options = { path: config.path, transports: ["websocket"], reconnection: false };
if (config.tokenIn === "auth") options.auth = { token: config.token };
const socket = io(url, options);

const finish = (code) => { socket.close(); process.exit(code); };
setTimeout(() => { report("timeout", null); finish(2); }, config.timeoutMs || 10000);

socket.on("connect", () => {
  report("connect", null);
  socket.emit("session_request", { session_id: config.requestSession || null });
});
socket.on("connect_error", (error) => { report("connect_error", error.message); finish(0); });
socket.on("session_confirm", (sessionId) => {
  report("session_confirm", sessionId);
  const sendAs = config.sendAs || sessionId;
  socket.emit("user_uttered", { message: config.message || "hi", customData: {}, session_id: sendAs });
});
socket.on("bot_uttered", (message) => report("bot_uttered", message));
socket.on("stub_done", () => { report("stub_done", null); finish(0); });
