/*
 * Waardecoach chat widget. Embed it on any site with one line:
 *
 *   <script src="https://HOST/static/widget.js" data-rasa-url="https://RASA-HOST" defer></script>
 *
 * Optional: data-open="true" opens the chat panel when the page loads.
 * The widget loads widget.css and ../vendor/socket.io.min.js next to its own URL, talks to Rasa's
 * socket.io channel (events session_request/session_confirm, user_uttered, bot_uttered) and keeps
 * the session id and the shown messages in localStorage so that a reload continues the conversation.
 * A message counts as delivered only when the server acknowledges its user_uttered event with
 * {delivered: true}; otherwise it is marked as not delivered, with a button that sends it again.
 * Every text is shown with textContent: nothing from the bot or the user is ever parsed as HTML.
 */
(function () {
  "use strict";

  var script =
    document.currentScript || document.querySelector("script[src*='widget.js'][data-rasa-url]");
  if (!script || window.__waardecoachWidget) {
    return;
  }
  window.__waardecoachWidget = true;

  var RASA_URL = (script.getAttribute("data-rasa-url") || "").replace(/\/+$/, "");
  var START_OPEN = script.getAttribute("data-open") === "true";
  var CSS_URL = new URL("widget.css", script.src).href;
  var SOCKET_IO_URL = new URL("../vendor/socket.io.min.js", script.src).href;
  var MAX_LENGTH = 2000;
  var LENGTH_HINT_FROM = 1800;
  var MAX_HISTORY = 300;
  var TYPING_TIMEOUT_MS = 45000;
  // The server acknowledges a message once the bot has handled it; after this long without an
  // acknowledgement (or when the connection drops first) the message counts as not delivered.
  var ACK_TIMEOUT_MS = 90000;
  var STORAGE_PREFIX = "waardecoach.";
  var GREETING_PAYLOAD = "/greet";

  var TEXT = {
    title: "Waardecoach",
    subtitle: "Oefen je waardegesprek",
    region: "Chat met de Waardecoach",
    open: "Open de chat met de Waardecoach",
    close: "Chat minimaliseren",
    placeholder: "Typ je bericht…",
    inputLabel: "Je bericht aan de Waardecoach",
    send: "Bericht versturen",
    messages: "Berichten",
    replies: "Antwoordopties",
    you: "Jij",
    bot: "Waardecoach",
    typing: "De Waardecoach typt…",
    connecting: "Verbinden met de Waardecoach…",
    offline: "Geen verbinding met de Waardecoach, ik probeer het opnieuw…",
    pending: "Wordt verstuurd zodra er weer verbinding is",
    sending: "Wordt verstuurd",
    notDelivered: "Niet bezorgd",
    resend: "Opnieuw versturen",
    notConfigured: "De chat is niet goed ingesteld (data-rasa-url ontbreekt).",
    atMaximum: "Je bericht heeft het maximum van " + MAX_LENGTH + " tekens bereikt.",
    tooLong: "Je bericht is te lang: maximaal " + MAX_LENGTH + " tekens.",
    unread: "Nieuw bericht van de Waardecoach",
    charsLeft: function (n) {
      return n === 1 ? "Nog 1 teken" : "Nog " + n + " tekens";
    },
  };

  // ---- storage (localStorage when allowed, otherwise only for this page view) ------------------
  var memoryStore = {};
  var store = {
    get: function (key) {
      try {
        return window.localStorage.getItem(STORAGE_PREFIX + key);
      } catch (e) {
        return Object.prototype.hasOwnProperty.call(memoryStore, key) ? memoryStore[key] : null;
      }
    },
    set: function (key, value) {
      memoryStore[key] = value;
      try {
        window.localStorage.setItem(STORAGE_PREFIX + key, value);
      } catch (e) {
        /* storage full or blocked: the conversation still works, it is just not kept */
      }
    },
  };

  function isSessionId(value) {
    return typeof value === "string" && /^widget-[0-9a-f]{32}$/.test(value);
  }

  function loadHistory(sessionId) {
    try {
      var saved = JSON.parse(store.get("history." + sessionId) || "null");
      if (saved && Array.isArray(saved.items)) {
        return { greeted: saved.greeted === true, items: saved.items.filter(isValidItem) };
      }
    } catch (e) {
      /* unreadable history: start empty */
    }
    return { greeted: false, items: [] };
  }

  function isValidItem(item) {
    return item && (item.from === "user" || item.from === "bot") && typeof item.text === "string";
  }

  // ---- DOM helpers (textContent only) ----------------------------------------------------------
  function el(tag, className, attributes, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var SVG_NS = "http://www.w3.org/2000/svg";
  function icon(paths) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    paths.forEach(function (d) {
      var path = document.createElementNS(SVG_NS, "path");
      path.setAttribute("d", d);
      svg.appendChild(path);
    });
    return svg;
  }
  var ICON_CHAT = ["M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"];
  var ICON_MINIMISE = ["M6 9l6 6 6-6"];
  var ICON_SEND = ["M4 12l16-8-6 16-2.5-6.5z", "M11.5 13.5L20 4"];

  // ---- state ------------------------------------------------------------------------------------
  var sessionId = isSessionId(store.get("session")) ? store.get("session") : null;
  var history = sessionId ? loadHistory(sessionId) : { greeted: false, items: [] };
  var socket = null;
  var ready = false; // connected and this socket's session_request confirmed
  var typingTimer = null;
  var isOpen = false;

  // ---- build the widget inside a shadow root so the host page's CSS cannot reach it ------------
  var host = el("div", "", { id: "waardecoach-widget" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var stylesheet = el("link", "", { rel: "stylesheet", href: CSS_URL });
  var frame = el("div", "wc", { hidden: "" });
  function reveal() {
    frame.removeAttribute("hidden");
    scrollToEnd();
  }
  stylesheet.addEventListener("load", reveal);
  stylesheet.addEventListener("error", reveal);

  var launcher = el("button", "wc-launcher", {
    type: "button",
    "aria-label": TEXT.open,
    "aria-expanded": "false",
    "aria-controls": "wc-panel",
  });
  launcher.appendChild(icon(ICON_CHAT));
  var badge = el("span", "wc-badge", { hidden: "" });
  badge.appendChild(el("span", "wc-sr-only", {}, TEXT.unread));
  launcher.appendChild(badge);

  var panel = el("section", "wc-panel", { id: "wc-panel", role: "region", "aria-label": TEXT.region });
  var header = el("header", "wc-header");
  var mark = el("span", "wc-mark", { "aria-hidden": "true" }, "W");
  var titles = el("div", "wc-titles");
  titles.appendChild(el("h2", "wc-title", {}, TEXT.title));
  titles.appendChild(el("p", "wc-subtitle", {}, TEXT.subtitle));
  var closeButton = el("button", "wc-icon-button", { type: "button", "aria-label": TEXT.close });
  closeButton.appendChild(icon(ICON_MINIMISE));
  header.appendChild(mark);
  header.appendChild(titles);
  header.appendChild(closeButton);

  var status = el("p", "wc-status", { role: "status", hidden: "" });
  var scroller = el("div", "wc-scroller");
  var list = el("ol", "wc-messages", { "aria-live": "polite", "aria-label": TEXT.messages, role: "log" });
  var typing = el("div", "wc-typing", { hidden: "" });
  typing.appendChild(el("span", "wc-dot", { "aria-hidden": "true" }));
  typing.appendChild(el("span", "wc-dot", { "aria-hidden": "true" }));
  typing.appendChild(el("span", "wc-dot", { "aria-hidden": "true" }));
  typing.appendChild(el("span", "wc-sr-only", {}, TEXT.typing));
  scroller.appendChild(list);
  scroller.appendChild(typing);

  var form = el("form", "wc-form", { novalidate: "" });
  var input = el("textarea", "wc-input", {
    rows: "1",
    maxlength: String(MAX_LENGTH),
    placeholder: TEXT.placeholder,
    "aria-label": TEXT.inputLabel,
    "aria-describedby": "wc-hint",
    autocomplete: "off",
    enterkeyhint: "send",
  });
  var sendButton = el("button", "wc-send", { type: "submit", "aria-label": TEXT.send });
  sendButton.appendChild(icon(ICON_SEND));
  var hint = el("p", "wc-hint", { id: "wc-hint" });
  form.appendChild(input);
  form.appendChild(sendButton);
  form.appendChild(hint);

  panel.appendChild(header);
  panel.appendChild(status);
  panel.appendChild(scroller);
  panel.appendChild(form);
  frame.appendChild(panel);
  frame.appendChild(launcher);
  root.appendChild(stylesheet);
  root.appendChild(frame);

  // ---- rendering -------------------------------------------------------------------------------
  function renderItem(item) {
    var row = el("li", "wc-message wc-from-" + item.from);
    row.appendChild(el("span", "wc-sr-only", {}, (item.from === "user" ? TEXT.you : TEXT.bot) + ": "));
    row.appendChild(el("p", "wc-bubble", {}, item.text));
    if (item.pending) {
      row.classList.add("wc-pending");
      row.appendChild(el("p", "wc-note", {}, TEXT.pending));
    } else if (item.sending) {
      row.classList.add("wc-sending");
      row.appendChild(el("span", "wc-sr-only", {}, " (" + TEXT.sending + ")"));
    } else if (item.failed) {
      row.classList.add("wc-failed");
      var note = el("p", "wc-note", {}, TEXT.notDelivered + " ");
      var again = el("button", "wc-resend", { type: "button" }, TEXT.resend);
      again.addEventListener("click", function () {
        resend(item);
      });
      note.appendChild(again);
      row.appendChild(note);
    }
    if (item.replies && item.replies.length) {
      var group = el("div", "wc-replies", { role: "group", "aria-label": TEXT.replies });
      item.replies.forEach(function (reply, index) {
        var button = el("button", "wc-reply", { type: "button" }, reply.title);
        if (item.used) {
          button.disabled = true;
          if (item.chosen === index) button.classList.add("wc-chosen");
        }
        button.addEventListener("click", function () {
          chooseReply(item, index);
        });
        group.appendChild(button);
      });
      row.appendChild(group);
    }
    item.node = row;
    return row;
  }

  function redraw() {
    while (list.firstChild) list.removeChild(list.firstChild);
    history.items.forEach(function (item) {
      list.appendChild(renderItem(item));
    });
    scrollToEnd();
  }

  function rerender(item) {
    var old = item.node;
    if (old && old.parentNode === list) {
      list.replaceChild(renderItem(item), old);
    }
  }

  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
    window.requestAnimationFrame(function () {
      scroller.scrollTop = scroller.scrollHeight;
    });
  }

  function save() {
    if (!sessionId) return;
    var items = history.items.slice(-MAX_HISTORY).map(function (item) {
      var copy = { from: item.from, text: item.text };
      ["payload", "replies", "used", "chosen", "pending", "failed"].forEach(function (key) {
        if (item[key] !== undefined && item[key] !== false) copy[key] = item[key];
      });
      // Not acknowledged before the page went away: it may not have arrived.
      if (item.sending) copy.failed = true;
      return copy;
    });
    store.set("history." + sessionId, JSON.stringify({ greeted: history.greeted, items: items }));
  }

  function addItem(item) {
    history.items.push(item);
    list.appendChild(renderItem(item));
    save();
    scrollToEnd();
    return item;
  }

  function closeOpenReplies() {
    history.items.forEach(function (item) {
      if (item.replies && item.replies.length && !item.used) {
        item.used = true;
        rerender(item);
      }
    });
  }

  // ---- connection status and typing indicator -------------------------------------------------
  function showStatus(text) {
    if (text) {
      status.textContent = text;
      status.removeAttribute("hidden");
    } else {
      status.textContent = "";
      status.setAttribute("hidden", "");
    }
  }

  function setTyping(on) {
    window.clearTimeout(typingTimer);
    if (on) {
      typing.removeAttribute("hidden");
      typingTimer = window.setTimeout(function () {
        setTyping(false);
      }, TYPING_TIMEOUT_MS);
      scrollToEnd();
    } else {
      typing.setAttribute("hidden", "");
    }
  }

  // ---- sending ---------------------------------------------------------------------------------
  // Sends a text; ``item`` is the shown message it belongs to (none for the greeting payload).
  function emitMessage(text, item) {
    if (item) {
      item.pending = false;
      item.failed = false;
      item.sending = true;
      rerender(item);
    }
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emit("user_uttered", { message: text, session_id: sessionId }, function (error, ack) {
        var delivered = !error && !!ack && ack.delivered === true;
        if (!delivered) setTyping(false);
        if (item) {
          item.sending = false;
          item.failed = !delivered;
          rerender(item);
        } else if (!delivered) {
          history.greeted = false; // greet again at the next confirmed session
        }
        save();
      });
    setTyping(true);
  }

  function send(payload, shownText) {
    closeOpenReplies();
    var item = { from: "user", text: shownText, pending: !ready };
    if (payload !== shownText) item.payload = payload;
    addItem(item);
    if (ready) emitMessage(payload, item);
  }

  function resend(item) {
    if (!item.failed) return;
    item.failed = false;
    // It goes after what was said meanwhile, as a new message would.
    history.items.splice(history.items.indexOf(item), 1);
    history.items.push(item);
    if (ready) {
      redraw();
      emitMessage(item.payload || item.text, item);
    } else {
      item.pending = true;
      redraw();
    }
    save();
    input.focus();
  }

  function flushPending() {
    history.items.forEach(function (item) {
      if (item.pending) emitMessage(item.payload || item.text, item);
    });
    save();
  }

  function chooseReply(item, index) {
    if (item.used) return;
    var reply = item.replies[index];
    item.used = true;
    item.chosen = index;
    rerender(item);
    send(reply.payload, reply.title);
    input.focus();
  }

  function updateHint() {
    var left = MAX_LENGTH - input.value.length;
    if (left < 0) {
      hint.textContent = TEXT.tooLong;
    } else if (left === 0) {
      hint.textContent = TEXT.atMaximum;
    } else if (input.value.length >= LENGTH_HINT_FROM) {
      hint.textContent = TEXT.charsLeft(left);
    } else {
      hint.textContent = "";
    }
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 140) + "px";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) {
      input.value = "";
      updateHint();
      input.focus();
      return;
    }
    if (text.length > MAX_LENGTH) {
      hint.textContent = TEXT.tooLong;
      return;
    }
    input.value = "";
    updateHint();
    send(text, text);
    input.focus();
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit();
      else form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  input.addEventListener("input", updateHint);

  // ---- receiving -------------------------------------------------------------------------------
  function repliesOf(message) {
    var raw = Array.isArray(message.quick_replies)
      ? message.quick_replies
      : Array.isArray(message.buttons)
        ? message.buttons
        : [];
    return raw
      .filter(function (reply) {
        return reply && typeof reply.title === "string" && typeof reply.payload === "string";
      })
      .map(function (reply) {
        return { title: reply.title, payload: reply.payload };
      });
  }

  function onBotMessage(message) {
    if (!message || typeof message !== "object") return;
    var text = typeof message.text === "string" ? message.text : "";
    var replies = repliesOf(message);
    if (!text && !replies.length) return;
    setTyping(false);
    var item = { from: "bot", text: text };
    if (replies.length) item.replies = replies;
    addItem(item);
    if (!isOpen) badge.removeAttribute("hidden");
  }

  function onSessionConfirm(confirmed) {
    if (!isSessionId(confirmed)) return;
    if (confirmed !== sessionId) {
      // A new visitor, or the server did not accept the stored id: a new conversation.
      var unsent = history.items.filter(function (item) {
        return item.pending || item.failed;
      });
      sessionId = confirmed;
      store.set("session", sessionId);
      history = loadHistory(sessionId);
      history.items = history.items.concat(unsent);
      redraw();
    }
    ready = true;
    showStatus("");
    var botHasSpoken = history.items.some(function (item) {
      return item.from === "bot";
    });
    if (!history.greeted && !botHasSpoken) {
      history.greeted = true;
      save();
      emitMessage(GREETING_PAYLOAD);
    }
    flushPending();
  }

  function connect(io) {
    if (!RASA_URL) {
      showStatus(TEXT.notConfigured);
      return;
    }
    socket = io(RASA_URL, {
      path: "/socket.io",
      // Websocket first; long-polling when a proxy on the way does not pass websocket upgrades.
      transports: ["websocket", "polling"],
      reconnectionDelayMax: 10000,
    });
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", onSessionConfirm);
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function () {
      ready = false;
      setTyping(false);
      showStatus(TEXT.offline);
    });
    socket.on("connect_error", function () {
      ready = false;
      setTyping(false);
      showStatus(TEXT.offline);
    });
  }

  // ---- socket.io client: loaded once, without replacing a window.io the host page may have -----
  function loadSocketIo(attempt) {
    var previous = Object.prototype.hasOwnProperty.call(window, "io") ? window.io : undefined;
    var tag = document.createElement("script");
    tag.src = SOCKET_IO_URL;
    tag.async = true;
    tag.onload = function () {
      var io = window.io;
      if (previous === undefined) delete window.io;
      else window.io = previous;
      if (typeof io === "function") connect(io);
      else showStatus(TEXT.offline);
    };
    tag.onerror = function () {
      tag.remove();
      showStatus(TEXT.offline);
      window.setTimeout(function () {
        loadSocketIo(attempt + 1);
      }, Math.min(30000, 2000 * Math.pow(2, attempt)));
    };
    document.head.appendChild(tag);
  }

  // ---- open and close --------------------------------------------------------------------------
  function setOpen(open, moveFocus) {
    isOpen = open;
    frame.classList.toggle("wc-open", open);
    frame.classList.toggle("wc-animate", open && moveFocus);
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      badge.setAttribute("hidden", "");
      scrollToEnd();
      if (moveFocus) input.focus();
    } else if (moveFocus) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", function () {
    setOpen(!isOpen, true);
  });
  closeButton.addEventListener("click", function () {
    setOpen(false, true);
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") setOpen(false, true);
  });

  function start() {
    document.body.appendChild(host);
    redraw();
    setOpen(START_OPEN, false);
    if (!RASA_URL) {
      showStatus(TEXT.notConfigured);
      return;
    }
    window.setTimeout(function () {
      if (!ready && status.hasAttribute("hidden")) showStatus(TEXT.connecting);
    }, 1500);
    loadSocketIo(0);
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
