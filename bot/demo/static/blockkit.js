// Block Kit, drawn with DOM APIs (createElement, textContent): header, section (text, fields,
// accessory), context, divider, actions (buttons, overflow menus, static selects, date/time
// pickers, checkboxes, radio buttons), image, input blocks of modals; anything else is named.
//
// ``ctx``: { tz, now, names, surface, channel, ts, viewId, errors, onAction(where, value), confirm(obj) }
// ``where`` of an element = { surface, channel, ts, view_id, block, element } (element -1: accessory).

import { buildPicker, buildSelect, el, plainText } from "./dom.js";
import { renderInput } from "./forms.js";
import { renderText, safeUrl } from "./mrkdwn.js";

export { checkRequired, collectValues, restoreValues } from "./forms.js";

function whereOf(ctx, block, element) {
  return { surface: ctx.surface, channel: ctx.channel, ts: ctx.ts, view_id: ctx.viewId, block, element };
}

/** Render a list of blocks into a container element. */
export function renderBlocks(blocks, ctx) {
  const container = el("div", "bk");
  (Array.isArray(blocks) ? blocks : []).forEach((block, index) => {
    const node = renderBlock(block, index, ctx);
    if (node) container.appendChild(node);
  });
  return container;
}

function renderBlock(block, index, ctx) {
  if (!block || typeof block !== "object") return null;
  switch (block.type) {
    case "header":
      return el("h3", "bk-header", plainText(block.text));
    case "divider":
      return el("hr", "bk-divider");
    case "section":
      return renderSection(block, index, ctx);
    case "context":
      return renderContext(block, ctx);
    case "actions":
      return renderActions(block, index, ctx);
    case "image":
      return renderImage(block, true);
    case "input":
      return renderInput(block, index, ctx);
    case "markdown": {
      const node = el("div", "bk-markdown");
      node.appendChild(renderText({ type: "mrkdwn", text: block.text }, ctx));
      return node;
    }
    case "rich_text":
      return el("div", "bk-rich", richText(block));
    default:
      return el("p", "bk-unsupported", `[a ${String(block.type)} block the demo page doesn't draw]`);
  }
}

function renderSection(block, index, ctx) {
  const section = el("div", "bk-section");
  const body = el("div", "bk-section-body");
  if (block.text) {
    const text = el("div", "bk-text");
    text.appendChild(renderText(block.text, ctx));
    body.appendChild(text);
  }
  if (Array.isArray(block.fields) && block.fields.length) {
    const fields = el("div", "bk-fields");
    for (const field of block.fields) {
      const cell = el("div", "bk-field");
      cell.appendChild(renderText(field, ctx));
      fields.appendChild(cell);
    }
    body.appendChild(fields);
  }
  section.appendChild(body);
  if (block.accessory) {
    const accessory = el("div", "bk-accessory");
    accessory.appendChild(renderElement(block.accessory, whereOf(ctx, index, -1), ctx));
    section.appendChild(accessory);
  }
  return section;
}

function renderContext(block, ctx) {
  const context = el("div", "bk-context");
  for (const element of block.elements || []) {
    if (element && element.type === "image") {
      context.appendChild(renderImage(element, false));
    } else {
      const span = el("span", "bk-context-text");
      span.appendChild(renderText(element, ctx));
      context.appendChild(span);
    }
  }
  return context;
}

function renderActions(block, index, ctx) {
  const actions = el("div", "bk-actions");
  (block.elements || []).forEach((element, position) => {
    actions.appendChild(renderElement(element, whereOf(ctx, index, position), ctx));
  });
  return actions;
}

function renderImage(block, large) {
  const figure = el(large ? "figure" : "span", large ? "bk-image" : "bk-image-small");
  const alt = block.alt_text || "";
  const fileId = block.slack_file && (block.slack_file.id || null);
  const url = block.image_url || (block.slack_file && block.slack_file.url);
  if (fileId) {
    const img = el("img");
    img.alt = alt;
    img.dataset.fileId = fileId;
    figure.appendChild(img);
  } else if (safeUrl(url)) {
    const link = el("a", "bk-image-link", alt || url);
    link.href = safeUrl(url);
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    figure.appendChild(link);
  } else {
    figure.appendChild(el("span", "bk-image-alt", alt));
  }
  if (large && block.title) figure.appendChild(el("figcaption", "", plainText(block.title)));
  return figure;
}

function richText(block) {
  const parts = [];
  const walk = (node) => {
    if (!node || typeof node !== "object") return;
    if (typeof node.text === "string") parts.push(node.text);
    if (node.type === "link" && !node.text) parts.push(node.url || "");
    for (const child of node.elements || []) walk(child);
  };
  walk(block);
  return parts.join("");
}

// Interactive elements of messages, the App Home and modals' actions blocks -----------------------

function renderElement(element, where, ctx) {
  if (!element || typeof element !== "object") return el("span");
  switch (element.type) {
    case "button":
      return renderButton(element, where, ctx);
    case "overflow":
      return renderOverflow(element, where, ctx);
    case "static_select":
      return renderSelectAction(element, where, ctx);
    case "datepicker":
    case "timepicker":
    case "datetimepicker":
      return renderPickerAction(element, where, ctx);
    case "image":
      return renderImage(element, false);
    default:
      return el("span", "bk-unsupported", `[${String(element.type)}]`);
  }
}

function renderButton(element, where, ctx) {
  const button = el("button", `bk-button${element.style ? ` bk-${element.style}` : ""}`, plainText(element.text));
  button.type = "button";
  button.addEventListener("click", async () => {
    if (element.confirm && !(await ctx.confirm(element.confirm))) return;
    const url = safeUrl(element.url);
    if (url) {
      const link = el("a");
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.click();
    }
    ctx.onAction(where, null, button);
  });
  return button;
}

function renderOverflow(element, where, ctx) {
  const wrap = el("div", "bk-overflow");
  const toggle = el("button", "bk-overflow-toggle", "⋯");
  toggle.type = "button";
  const choices = (element.options || []).map((option) => plainText(option.text)).join(", ");
  toggle.setAttribute("aria-label", `More options: ${choices}`);
  toggle.setAttribute("aria-haspopup", "menu");
  toggle.setAttribute("aria-expanded", "false");
  const menu = el("div", "bk-menu");
  menu.setAttribute("role", "menu");
  menu.hidden = true;
  for (const option of element.options || []) {
    const item = el("button", "bk-menu-item", plainText(option.text));
    item.type = "button";
    item.setAttribute("role", "menuitem");
    item.addEventListener("click", async () => {
      menu.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      if (element.confirm && !(await ctx.confirm(element.confirm))) return;
      ctx.onAction(where, option.value, toggle);
    });
    menu.appendChild(item);
  }
  toggle.addEventListener("click", () => {
    menu.hidden = !menu.hidden;
    toggle.setAttribute("aria-expanded", String(!menu.hidden));
    if (!menu.hidden && menu.firstChild) menu.firstChild.focus();
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      menu.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }
  });
  wrap.append(toggle, menu);
  return wrap;
}

function renderSelectAction(element, where, ctx) {
  const select = buildSelect(element);
  select.setAttribute("aria-label", plainText(element.placeholder) || "Choose");
  select.addEventListener("change", () => {
    if (select.value !== "") ctx.onAction(where, select.value, select);
  });
  return select;
}

function renderPickerAction(element, where, ctx) {
  const input = buildPicker(element, ctx);
  input.setAttribute("aria-label", plainText(element.placeholder) || pickerLabel(element.type));
  input.addEventListener("change", () => {
    if (input.value !== "") ctx.onAction(where, input.value, input);
  });
  return input;
}

function pickerLabel(type) {
  return { datepicker: "Pick a date", timepicker: "Pick a time", datetimepicker: "Pick a date and time" }[type];
}
