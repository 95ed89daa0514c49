// Slack's mrkdwn, the subset infoint uses, rendered with DOM nodes only: every piece of text becomes a
// text node (never HTML), so nothing the app or a user wrote can become markup or script.
//
// Supported: *bold*, _italics_, ~strike~, `code`, ```preformatted```, > quotes at a line's start,
// <url|label> links (http, https and mailto only), <@U…> and <#C…> mentions, <!here>/<!channel>/
// <!everyone>, <!date^epoch^format|fallback> in the viewer's timezone, and &amp; &lt; &gt;.

const ATOM_BASE = 0xe000; // private-use characters stand for pieces already rendered (links, code…)
const ATOM_LIMIT = 0xf8ff;
const ATOM_CHARS = /[\ue000-\uf8ff]/g;
const ATOMS = /```([\s\S]*?)```|`([^`\n]+)`|<([^<>\n]+)>/g;
const FORMATTING =
  /(?<![\p{L}\p{N}*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\p{L}\p{N}])|(?<![\p{L}\p{N}_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\p{L}\p{N}])|(?<![\p{L}\p{N}~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\p{L}\p{N}])/u;
const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/** Decode the three entities Slack escapes; anything else stays as written. */
export function decodeEntities(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** A link's target when it is one a page may follow (http, https, mailto), else null. */
export function safeUrl(url) {
  if (typeof url !== "string") return null;
  const trimmed = url.trim();
  return SAFE_URL.test(trimmed) ? trimmed : null;
}

/**
 * Render mrkdwn ``text`` into a DocumentFragment.
 * ``ctx``: { tz, now (epoch seconds), names: {id: name} } for dates and mentions.
 */
export function renderMrkdwn(text, ctx) {
  const fragment = document.createDocumentFragment();
  if (typeof text !== "string" || text === "") return fragment;
  const atoms = [];
  const marked = text.replace(ATOM_CHARS, "\ufffd").replace(ATOMS, (whole, pre, code, angle) => {
    if (atoms.length > ATOM_LIMIT - ATOM_BASE) return whole;
    atoms.push(renderAtom(pre, code, angle, ctx));
    return String.fromCharCode(ATOM_BASE + atoms.length - 1);
  });
  const lines = marked.split("\n");
  let quote = null;
  lines.forEach((line, index) => {
    if (line.startsWith(">")) {
      if (quote === null) {
        quote = document.createElement("blockquote");
        fragment.appendChild(quote);
      } else {
        quote.appendChild(document.createElement("br"));
      }
      quote.appendChild(renderInline(line.slice(1).replace(/^ /, ""), atoms));
      return;
    }
    quote = null;
    if (index > 0 && !(lines[index - 1].startsWith(">"))) fragment.appendChild(document.createElement("br"));
    fragment.appendChild(renderInline(line, atoms));
  });
  return fragment;
}

/** Plain text (plain_text objects): only entities are decoded; no formatting at all. */
export function renderPlain(text) {
  return document.createTextNode(typeof text === "string" ? text : "");
}

/** A text object ({type: mrkdwn|plain_text, text}) rendered. */
export function renderText(object, ctx) {
  if (!object || typeof object !== "object") return document.createDocumentFragment();
  if (object.type === "mrkdwn" && !object.verbatim) return renderMrkdwn(object.text, ctx);
  if (object.type === "mrkdwn") return document.createTextNode(decodeEntities(object.text || ""));
  return renderPlain(object.text);
}

function renderInline(text, atoms) {
  const fragment = document.createDocumentFragment();
  let rest = text;
  while (rest.length > 0) {
    const match = FORMATTING.exec(rest);
    if (!match) {
      appendText(fragment, rest, atoms);
      break;
    }
    appendText(fragment, rest.slice(0, match.index), atoms);
    const tag = match[1] !== undefined ? "strong" : match[2] !== undefined ? "em" : "s";
    const inner = match[1] ?? match[2] ?? match[3];
    const element = document.createElement(tag);
    element.appendChild(renderInline(inner, atoms));
    fragment.appendChild(element);
    rest = rest.slice(match.index + match[0].length);
  }
  return fragment;
}

function appendText(parent, text, atoms) {
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= ATOM_BASE && code - ATOM_BASE < atoms.length) {
      if (i > start) parent.appendChild(document.createTextNode(decodeEntities(text.slice(start, i))));
      parent.appendChild(atoms[code - ATOM_BASE].cloneNode(true));
      start = i + 1;
    }
  }
  if (start < text.length) parent.appendChild(document.createTextNode(decodeEntities(text.slice(start))));
}

function renderAtom(pre, code, angle, ctx) {
  if (pre !== undefined) {
    const block = document.createElement("pre");
    block.textContent = decodeEntities(pre.replace(/^\n/, ""));
    return block;
  }
  if (code !== undefined) {
    const element = document.createElement("code");
    element.textContent = decodeEntities(code);
    return element;
  }
  return renderAngle(angle, ctx);
}

function renderAngle(inner, ctx) {
  const bar = inner.indexOf("|");
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? null : decodeEntities(inner.slice(bar + 1));
  const names = (ctx && ctx.names) || {};
  if (target.startsWith("!date^")) return renderDate(target, label, ctx);
  if (target.startsWith("!")) {
    const special = target.slice(1).split("^")[0];
    return mention(label ? (label.startsWith("@") ? label : `@${label}`) : `@${special}`);
  }
  if (target.startsWith("@")) return mention(`@${label || names[target.slice(1)] || target.slice(1)}`);
  if (target.startsWith("#")) return mention(`#${label || names[target.slice(1)] || target.slice(1)}`);
  const url = safeUrl(decodeEntities(target));
  if (url === null) return document.createTextNode(label || decodeEntities(target));
  const link = document.createElement("a");
  link.href = url;
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  link.textContent = label || url.replace(/^mailto:/i, "");
  return link;
}

function mention(text) {
  const element = document.createElement("span");
  element.className = "mention";
  element.textContent = text;
  return element;
}

function renderDate(target, fallback, ctx) {
  const parts = target.split("^");
  const epoch = Number(parts[1]);
  const format = parts[2] || "{date}";
  const span = document.createElement("time");
  if (!Number.isFinite(epoch) || !ctx || !ctx.tz) {
    span.textContent = fallback || "";
    return span;
  }
  span.dateTime = new Date(epoch * 1000).toISOString();
  span.textContent = formatSlackDate(epoch, decodeEntities(format), ctx.tz, ctx.now);
  return span;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** The wall-clock parts of an instant in ``tz``. */
export function localParts(epoch, tz) {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: tz, year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric",
    second: "numeric", weekday: "short", hourCycle: "h23",
  });
  const parts = {};
  for (const part of format.formatToParts(new Date(epoch * 1000))) parts[part.type] = part.value;
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday);
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour) % 24, minute: Number(parts.minute), second: Number(parts.second), weekday,
  };
}

function ordinal(n) {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] || "th"}`;
}

function pad(n) {
  return String(n).padStart(2, "0");
}

function dayNumber(p) {
  return Date.UTC(p.year, p.month - 1, p.day) / 86400000;
}

/** Slack's date tokens ({date_num}, {date}, {date_short}, {date_long}, their _pretty forms, {time},
 *  {time_secs}, {ago}) for ``epoch`` as seen in ``tz``, "today" being ``now``'s day there. */
export function formatSlackDate(epoch, format, tz, now) {
  const p = localParts(epoch, tz);
  const today = localParts(now || epoch, tz);
  const year = p.year === today.year ? "" : `, ${p.year}`;
  const month = MONTHS[p.month - 1];
  const date = `${month} ${ordinal(p.day)}${year}`;
  const short = `${month.slice(0, 3)} ${p.day}${year}`;
  const long = `${DAYS[p.weekday]}, ${date}`;
  const offset = dayNumber(p) - dayNumber(today);
  const relative = { 0: "today", 1: "tomorrow", "-1": "yesterday" }[offset];
  const values = {
    date_num: `${p.year}-${pad(p.month)}-${pad(p.day)}`,
    date, date_short: short, date_long: long,
    date_pretty: relative || date, date_short_pretty: relative || short, date_long_pretty: relative || long,
    time: `${pad(p.hour)}:${pad(p.minute)}`,
    time_secs: `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`,
    ago: ago(epoch, now || epoch),
  };
  return format.replace(/\{([a-z_]+)\}/g, (whole, name) => (name in values ? values[name] : whole));
}

function ago(epoch, now) {
  const seconds = Math.round(now - epoch);
  const size = Math.abs(seconds);
  const [amount, unit] = size < 3600 ? [Math.max(1, Math.round(size / 60)), "minute"]
    : size < 86400 ? [Math.round(size / 3600), "hour"] : [Math.round(size / 86400), "day"];
  const words = `${amount} ${unit}${amount === 1 ? "" : "s"}`;
  return seconds >= 0 ? `${words} ago` : `in ${words}`;
}
