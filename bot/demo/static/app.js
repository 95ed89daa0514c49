// The demo page: plays Slack's client for the demo's people. It polls what the current person sees
// (/api/state, every second, so several tabs stay in step) and sends what they do to the demo's
// API, which turns it into real signed Slack requests to the app. Text is only ever set with
// textContent or built by renderMrkdwn from DOM nodes: never innerHTML.

import { collectValues, renderBlocks, restoreValues } from "./blockkit.js";
import { el } from "./dom.js";
import { buildModal, confirmDialog, focusFirst } from "./modal.js";
import { localParts, renderMrkdwn } from "./mrkdwn.js";

const STORE = "infoint-demo";
const POLL_MS = 1000;
const page = {
  user: sessionStorage.getItem(`${STORE}-user`),
  view: sessionStorage.getItem(`${STORE}-view`) || "messages", // "home", "messages" or a channel id
  snap: null,
  drawn: {},
};

const $ = (id) => document.getElementById(id);

// Talking to the demo ------------------------------------------------------------------------------

async function call(verb, body) {
  let data;
  try {
    const response = await fetch(`/api/${verb}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    data = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
    if (!response.ok && data.ok !== false) data = { ok: false, error: `HTTP ${response.status}` };
  } catch (error) {
    data = { ok: false, error: "the demo is not answering: is `infoint demo` still running?" };
  }
  return data;
}

async function refresh() {
  if (!page.user) return;
  try {
    const response = await fetch(`/api/state?user=${encodeURIComponent(page.user)}`);
    const snap = await response.json();
    if (!response.ok) {
      if (response.status === 400) {
        page.user = null; // a person this demo doesn't know: start over with the first one
        sessionStorage.removeItem(`${STORE}-user`);
        await start();
      }
      return;
    }
    page.snap = snap;
    draw(snap);
  } catch (error) {
    status("The demo is not answering: is `infoint demo` still running?", true);
  }
}

async function loop() {
  await refresh();
  setTimeout(loop, POLL_MS);
}

function status(text, isError = false) {
  const node = $("status");
  node.textContent = text;
  node.classList.toggle("error", isError);
}

function currentChannel(snap) {
  return page.view === "home" || page.view === "messages" ? snap.me.dm : page.view;
}

// Drawing ------------------------------------------------------------------------------------------

function changed(part, key) {
  if (page.drawn[part] === key) return false;
  page.drawn[part] = key;
  return true;
}

function draw(snap) {
  const conversations = new Map(snap.conversations.map((c) => [c.id, c]));
  if (!["home", "messages"].includes(page.view) && !conversations.has(page.view)) page.view = "messages";
  drawPeople(snap);
  drawClock(snap);
  drawSidebar(snap);
  drawMain(snap, conversations);
  drawModal(snap);
  if (changed("commands", JSON.stringify(snap.commands))) {
    const list = $("command-list");
    list.replaceChildren();
    for (const [usage, what] of snap.commands) {
      const option = el("option", "", what);
      option.value = usage.replace(/\s*[[<].*$/, "");
      list.appendChild(option);
    }
  }
}

function drawPeople(snap) {
  if (!changed("people", JSON.stringify([snap.users, snap.me.id]))) return;
  const select = $("user-switch");
  select.replaceChildren();
  for (const user of snap.users) {
    const option = el("option", "", `${user.name} (${user.role})`);
    option.value = user.id;
    option.selected = user.id === snap.me.id;
    select.appendChild(option);
  }
}

function drawClock(snap) {
  const p = localParts(snap.epoch, snap.tz);
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (n) => String(n).padStart(2, "0");
  const clock = $("clock-now");
  clock.textContent = `${days[p.weekday]} ${p.day} ${months[p.month - 1]} ${p.year}, ${pad(p.hour)}:${pad(p.minute)}`;
  clock.dateTime = new Date(snap.epoch * 1000).toISOString();
  clock.title = snap.tz;
  const note = snap.window.open ? ""
    : `Outside ${snap.me.name}'s working hours (${snap.window.hours}, ${snap.tz}): reminders wait until then.`;
  $("window-note").textContent = note;
}

function drawSidebar(snap) {
  const channels = snap.conversations.filter((c) => c.kind === "channel");
  $("nav-app").setAttribute("aria-current", ["home", "messages"].includes(page.view) ? "page" : "false");
  if (!changed("sidebar", JSON.stringify([channels.map((c) => [c.id, c.name]), page.view]))) return;
  const list = $("channel-list");
  list.replaceChildren();
  for (const channel of channels) {
    const item = el("li");
    const button = el("button", "nav-item", `# ${channel.name}`);
    button.type = "button";
    button.setAttribute("aria-current", page.view === channel.id ? "page" : "false");
    button.addEventListener("click", () => show(channel.id));
    item.appendChild(button);
    list.appendChild(item);
  }
}

function context(snap, extra) {
  const names = {};
  for (const user of snap.users) names[user.id] = user.name;
  for (const c of snap.conversations) names[c.id] = c.name;
  const ctx = { tz: snap.tz, now: snap.epoch, names, onAction, ...extra };
  ctx.confirm = (object) => confirmDialog($("confirm-root"), object, ctx);
  return ctx;
}

function drawMain(snap, conversations) {
  const inApp = page.view === "home" || page.view === "messages";
  const conversation = conversations.get(currentChannel(snap));
  $("main-title").textContent = inApp ? "infoint" : `# ${conversation.name}`;
  $("tabs").hidden = !inApp;
  $("tab-home").setAttribute("aria-selected", String(page.view === "home"));
  $("tab-messages").setAttribute("aria-selected", String(page.view === "messages"));
  $("home").hidden = page.view !== "home";
  $("timeline").hidden = page.view === "home";
  $("composer").hidden = page.view === "home";
  $("composer-label").textContent = inApp ? "Message infoint" : `Message #${conversation.name}`;
  const today = localParts(snap.epoch, snap.tz).day;
  if (page.view === "home") {
    if (changed("home", JSON.stringify([snap.me.id, snap.home, today]))) drawHome(snap);
  } else if (changed("timeline", JSON.stringify([snap.me.id, conversation, today]))) {
    drawTimeline(snap, conversation);
  }
}

function drawHome(snap) {
  const home = $("home");
  home.replaceChildren();
  if (!snap.home) {
    home.appendChild(el("p", "empty", "Opening the App Home…"));
    return;
  }
  home.appendChild(renderBlocks(snap.home.blocks, context(snap, { surface: "home", viewId: snap.home.id })));
  fileImages(home, snap);
}

function drawTimeline(snap, conversation) {
  const timeline = $("timeline");
  const atBottom = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 40;
  timeline.replaceChildren();
  if (conversation.items.length === 0) {
    const empty = el("div", "empty");
    empty.appendChild(el("p", "", conversation.kind === "dm"
      ? "Nothing here yet. Type /infoint log below to log your first contact (or /infoint help), "
        + "or press “Reset with example” for a journey already under way."
      : "No messages in this channel yet."));
    timeline.appendChild(empty);
  }
  for (const item of conversation.items) timeline.appendChild(drawItem(snap, conversation, item));
  fileImages(timeline, snap);
  if (atBottom || page.drawn.scrolledFor !== conversation.id) {
    timeline.scrollTop = timeline.scrollHeight;
    page.drawn.scrolledFor = conversation.id;
  }
}

function when(snap, ts) {
  const p = localParts(Number(ts), snap.tz);
  const pad = (n) => String(n).padStart(2, "0");
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

function drawItem(snap, conversation, item) {
  const article = el("article", `msg msg-${item.kind}`);
  const author = item.kind === "notice" ? "Slackbot" : item.from;
  article.setAttribute("aria-label", `${author}, ${when(snap, item.ts)}`);
  article.appendChild(el("div", "avatar", item.kind === "notice" ? "S" : "i"));
  const body = el("div", "msg-body");
  const header = el("div", "msg-header");
  header.appendChild(el("span", "msg-author", author));
  if (item.kind !== "notice") header.appendChild(el("span", "app-badge", "APP"));
  header.appendChild(el("time", "msg-time", when(snap, item.ts)));
  if (item.edited) header.appendChild(el("span", "msg-edited", "(edited)"));
  body.appendChild(header);
  if (item.kind === "file") {
    body.appendChild(drawFile(item.file));
  } else if (item.kind === "notice") {
    body.appendChild(el("p", "", item.text));
  } else if (item.blocks && item.blocks.length) {
    const surface = item.kind === "ephemeral" ? "ephemeral" : "message";
    body.appendChild(renderBlocks(item.blocks, context(snap, { surface, channel: conversation.id, ts: item.ts })));
  } else {
    const text = el("div", "bk-text");
    text.appendChild(renderMrkdwn(item.text, context(snap, {})));
    body.appendChild(text);
  }
  if (item.kind === "ephemeral" || item.kind === "notice") body.appendChild(el("p", "only-you", "Only visible to you"));
  article.appendChild(body);
  return article;
}

function drawFile(file) {
  const box = el("div", "file");
  if (file.image) {
    const img = el("img", "file-image");
    img.alt = file.title || file.name;
    img.src = `${file.url}&inline=1`;
    box.appendChild(img);
  }
  box.appendChild(el("span", "file-title", file.title || file.name));
  const link = el("a", "file-link", `Download ${file.name}`);
  link.href = file.url;
  link.download = file.name;
  box.appendChild(link);
  box.appendChild(el("span", "file-size", `${Math.max(1, Math.round(file.size / 1024))} KB`));
  return box;
}

function fileImages(root, snap) {
  for (const img of root.querySelectorAll("img[data-file-id]")) {
    img.src = `/api/file?user=${encodeURIComponent(snap.me.id)}&id=${encodeURIComponent(img.dataset.fileId)}&inline=1`;
  }
}

// Modals -------------------------------------------------------------------------------------------

function drawModal(snap) {
  const top = snap.modals[snap.modals.length - 1];
  if (!changed("modal", JSON.stringify(top ? [snap.me.id, top.id, top.hash, top.errors] : null))) return;
  const root = $("modal-root");
  const old = root.querySelector("form.modal");
  const kept = top && old && old.dataset.viewId === top.id ? collectValues(old) : null;
  root.replaceChildren();
  if (!top) {
    if (old) $("composer-input").focus();
    return;
  }
  const ctx = context(snap, { surface: "modal", viewId: top.id, errors: top.errors || {} });
  const { overlay, form, alert } = buildModal(top, ctx, {
    async close() {
      const result = await call("close", { user: page.user, view_id: top.id });
      if (!result.ok) alert.textContent = result.error;
      await refresh();
    },
    async submit(values) {
      const result = await call("submit", { user: page.user, view_id: top.id, values });
      if (!result.ok) alert.textContent = result.error;
      await refresh();
    },
  });
  root.appendChild(overlay);
  if (kept) restoreValues(form, kept);
  focusFirst(form, Object.keys(top.errors || {}).length > 0);
}

// What the person does -----------------------------------------------------------------------------

async function onAction(where, value, source) {
  const body = { user: page.user, where, value };
  if (where.surface === "modal") body.values = collectValues($("modal-root").querySelector("form.modal"));
  if (source) source.disabled = true;
  const result = await call("action", body);
  if (source) source.disabled = false;
  if (!result.ok) status(result.error, true);
  await refresh();
}

async function show(view) {
  page.view = view;
  sessionStorage.setItem(`${STORE}-view`, view);
  page.drawn.timeline = page.drawn.home = null;
  if (view === "home" || view === "messages") {
    if (page.snap) draw(page.snap);
    await call("tab", { user: page.user, tab: view });
  }
  await refresh();
}

async function moveClock(move) {
  status("Moving the clock and running the sweep…");
  const result = await call("clock", { move });
  status(result.ok ? result.message : result.error, !result.ok);
  if (page.view === "home") await call("tab", { user: page.user, tab: "home" });
  await refresh();
}

async function reset(seed) {
  status(seed ? "Resetting, then playing the example journey…" : "Resetting…");
  const result = await call("reset", { seed });
  status(result.ok ? (seed ? "Reset, with an example journey." : "Everything was reset.") : result.error, !result.ok);
  page.drawn = {};
  if (page.view === "home") await call("tab", { user: page.user, tab: "home" });
  await refresh();
}

async function switchUser(userId) {
  page.user = userId;
  sessionStorage.setItem(`${STORE}-user`, userId);
  page.drawn = {};
  await show("messages");
}

function wire() {
  $("user-switch").addEventListener("change", (event) => switchUser(event.target.value));
  for (const button of document.querySelectorAll("[data-move]")) {
    button.addEventListener("click", () => moveClock(button.dataset.move));
  }
  $("reset").addEventListener("click", () => reset(false));
  $("reset-seed").addEventListener("click", () => reset(true));
  $("nav-app").addEventListener("click", () => show("messages"));
  $("tab-home").addEventListener("click", () => show("home"));
  $("tab-messages").addEventListener("click", () => show("messages"));
  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("composer-input");
    const text = input.value.trim();
    if (!page.snap) await refresh();
    if (!text || !page.snap) return;
    const result = await call("command", { user: page.user, channel: currentChannel(page.snap), text });
    $("composer-error").textContent = result.ok ? "" : result.error;
    if (result.ok) input.value = "";
    await refresh();
  });
}

async function start() {
  if (!page.user) {
    const response = await fetch("/api/people");
    const people = await response.json();
    page.user = people.users[0].id;
    sessionStorage.setItem(`${STORE}-user`, page.user);
  }
  await call("tab", { user: page.user, tab: page.view === "home" ? "home" : "messages" });
  await refresh();
}

wire();
start().then(() => setTimeout(loop, POLL_MS));
