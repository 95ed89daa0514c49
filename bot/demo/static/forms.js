// Modals' input blocks as a form: labels, hints, the app's inline errors (aria-describedby,
// aria-invalid), and reading the values back as { block_id: raw value } for the demo's API.

import { renderText } from "./mrkdwn.js";
import { buildPicker, buildSelect, el, nextId, plainText } from "./dom.js";

const TEXT_TYPES = { plain_text_input: "text", email_text_input: "email", url_text_input: "url", number_input: "number" };

export function renderInput(block, index, ctx) {
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
