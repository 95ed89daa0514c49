// Block Kit, drawn with DOM APIs (createElement, textContent): header, section (text, fields,
// accessory), context, divider, actions (buttons, overflow menus, static selects, date/time
// pickers, checkboxes, radio buttons), image, input blocks of modals; anything else is named.
//
// ``ctx``: { tz, now, names, surface, channel, ts, viewId, errors, onAction(where, value), confirm(obj) }
// ``where`` of an element = { surface, channel, ts, view_id, block, element } (element -1: accessory).

import { localParts, renderPlain, renderText, safeUrl } from "./mrkdwn.js";

let uid = 0;
function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function plainText(object) {
  return object && typeof object.text === "string" ? object.text : "";
}

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

function optionsOf(element) {
  const found = [...(element.options || [])];
  for (const group of element.option_groups || []) found.push(...(group.options || []));
  return found;
}

function buildSelect(element) {
  const select = el("select", "bk-select");
  const placeholder = el("option", "", plainText(element.placeholder) || "Select an item");
  placeholder.value = "";
  select.appendChild(placeholder);
  const initial = element.initial_option && element.initial_option.value;
  for (const option of optionsOf(element)) {
    const node = el("option", "", plainText(option.text));
    node.value = option.value;
    if (option.value === initial) node.selected = true;
    select.appendChild(node);
  }
  return select;
}

/** ``YYYY-MM-DDTHH:MM`` of an instant in ``tz`` (a datetime-local input's value). */
export function localInputValue(epoch, tz) {
  const p = localParts(epoch, tz);
  const pad = (n) => String(n).padStart(2, "0");
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

function buildPicker(element, ctx) {
  const input = el("input", "bk-picker");
  if (element.type === "datepicker") {
    input.type = "date";
    if (element.initial_date) input.value = element.initial_date;
  } else if (element.type === "timepicker") {
    input.type = "time";
    if (element.initial_time) input.value = element.initial_time;
  } else {
    input.type = "datetime-local";
    if (element.initial_date_time) input.value = localInputValue(element.initial_date_time, ctx.tz);
  }
  return input;
}

// Input blocks (modals) ---------------------------------------------------------------------------

const TEXT_TYPES = { plain_text_input: "text", email_text_input: "email", url_text_input: "url", number_input: "number" };

function renderInput(block, index, ctx) {
  const element = block.element || {};
  const blockId = block.block_id || `demo-block-${index}`;
  const field = el("div", "bk-input");
  field.dataset.blockId = blockId;
  field.dataset.type = element.type || "";
  if (!block.optional) field.dataset.required = "true";
  const labelText = plainText(block.label) + (block.optional ? " (optional)" : "");
  const id = nextId("field");
  const described = [];
  const hintId = nextId("hint");
  const errorId = nextId("error");
  const error = (ctx.errors || {})[blockId];
  let control;
  if (element.type === "radio_buttons" || element.type === "checkboxes") {
    control = el("fieldset", "bk-choices");
    control.appendChild(el("legend", "bk-label", labelText));
    const kind = element.type === "radio_buttons" ? "radio" : "checkbox";
    const initial = new Set(
      element.type === "radio_buttons"
        ? [element.initial_option && element.initial_option.value]
        : (element.initial_options || []).map((o) => o.value),
    );
    for (const option of element.options || []) {
      const row = el("div", "bk-choice");
      const input = el("input");
      input.type = kind;
      input.name = id;
      input.value = option.value;
      input.id = nextId("choice");
      input.checked = initial.has(option.value);
      const label = el("label");
      label.htmlFor = input.id;
      label.appendChild(renderText(option.text, ctx));
      row.append(input, label);
      control.appendChild(row);
    }
    field.appendChild(control);
  } else {
    const label = el("label", "bk-label", labelText);
    label.htmlFor = id;
    field.appendChild(label);
    if (element.type === "static_select") {
      control = buildSelect(element);
    } else if (["datepicker", "timepicker", "datetimepicker"].includes(element.type)) {
      control = buildPicker(element, ctx);
    } else if (element.type in TEXT_TYPES) {
      control = el(element.multiline ? "textarea" : "input", "bk-text-input");
      if (!element.multiline) control.type = TEXT_TYPES[element.type];
      if (element.initial_value) control.value = element.initial_value;
      if (element.max_length) control.maxLength = element.max_length;
      if (element.placeholder) control.placeholder = plainText(element.placeholder);
    } else {
      control = el("span", "bk-unsupported", `[${String(element.type)} input]`);
    }
    control.id = id;
    field.appendChild(control);
  }
  if (block.hint) {
    const hint = el("p", "bk-hint", plainText(block.hint));
    hint.id = hintId;
    field.appendChild(hint);
    described.push(hintId);
  }
  const errorNode = el("p", "bk-error", error || "");
  errorNode.id = errorId;
  errorNode.hidden = !error;
  field.appendChild(errorNode);
  described.unshift(errorId);
  control.setAttribute("aria-describedby", described.join(" "));
  if (error) control.setAttribute("aria-invalid", "true");
  return field;
}

/** The values of a modal's inputs: { block_id: raw } as the demo's API takes them. */
export function collectValues(root) {
  const values = {};
  for (const field of root.querySelectorAll(".bk-input")) {
    values[field.dataset.blockId] = fieldValue(field);
  }
  return values;
}

function fieldValue(field) {
  const type = field.dataset.type;
  if (type === "radio_buttons") {
    const checked = field.querySelector("input:checked");
    return checked ? checked.value : null;
  }
  if (type === "checkboxes") return [...field.querySelectorAll("input:checked")].map((i) => i.value);
  const control = field.querySelector("input, select, textarea");
  return control && control.value !== "" ? control.value : null;
}

/** Put back values typed before a redraw, where the same input is still there. */
export function restoreValues(root, values) {
  for (const field of root.querySelectorAll(".bk-input")) {
    const value = values[field.dataset.blockId];
    if (value === undefined) continue;
    const type = field.dataset.type;
    if (type === "radio_buttons" || type === "checkboxes") {
      const chosen = new Set(Array.isArray(value) ? value : [value]);
      for (const input of field.querySelectorAll("input")) input.checked = chosen.has(input.value);
    } else {
      const control = field.querySelector("input, select, textarea");
      if (control) control.value = value === null ? "" : value;
    }
  }
}

/** Mark required inputs left empty, as Slack's client does before sending; true when all are filled. */
export function checkRequired(root) {
  let ok = true;
  for (const field of root.querySelectorAll(".bk-input[data-required]")) {
    const value = fieldValue(field);
    if (value === null || (Array.isArray(value) && value.length === 0)) {
      const error = field.querySelector(".bk-error");
      error.textContent = "Please complete this required field.";
      error.hidden = false;
      const control = field.querySelector("fieldset, input, select, textarea");
      if (control) control.setAttribute("aria-invalid", "true");
      ok = false;
    }
  }
  return ok;
}

export { renderPlain };
