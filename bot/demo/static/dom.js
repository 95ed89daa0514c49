// Small DOM helpers the page's modules share, and the controls that Block Kit's selects and pickers
// become (in messages and in modals alike). Text is only ever set with textContent.

import { localParts } from "./mrkdwn.js";

let uid = 0;
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

export function plainText(object) {
  return object && typeof object.text === "string" ? object.text : "";
}

export function optionsOf(element) {
  const found = [...(element.options || [])];
  for (const group of element.option_groups || []) found.push(...(group.options || []));
  return found;
}

export function buildSelect(element) {
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

export function buildPicker(element, ctx) {
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
