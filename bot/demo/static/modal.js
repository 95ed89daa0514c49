// Modals as Slack shows them: a dialog titled by the view's title, its blocks as a form, the app's
// inline errors by their inputs, an alert line for what went wrong with a submission; and the
// confirmation dialog of a button with a confirm object.

import { checkRequired, collectValues, renderBlocks } from "./blockkit.js";
import { el } from "./dom.js";
import { renderText } from "./mrkdwn.js";

/** The dialog of the view ``top``; ``on.close()`` and ``on.submit(values)`` do the talking. */
export function buildModal(top, ctx, on) {
  const overlay = el("div", "overlay");
  const form = el("form", "modal");
  form.noValidate = true;
  form.dataset.viewId = top.id;
  form.setAttribute("role", "dialog");
  form.setAttribute("aria-modal", "true");
  const titleId = `modal-title-${top.id}`;
  form.setAttribute("aria-labelledby", titleId);
  const head = el("div", "modal-head");
  const title = el("h2", "", (top.title && top.title.text) || "infoint");
  title.id = titleId;
  const close = el("button", "modal-x", "×");
  close.type = "button";
  close.setAttribute("aria-label", "Close");
  head.append(title, close);
  const alert = el("p", "modal-alert");
  alert.setAttribute("role", "alert");
  const body = el("div", "modal-body");
  body.appendChild(renderBlocks(top.blocks, ctx));
  const foot = el("div", "modal-foot");
  const cancel = el("button", "bk-button", (top.close && top.close.text) || "Cancel");
  cancel.type = "button";
  foot.appendChild(cancel);
  if (top.submit) {
    const submit = el("button", "bk-button bk-primary", top.submit.text || "Submit");
    submit.type = "submit";
    foot.appendChild(submit);
  }
  form.append(head, alert, body, foot);
  overlay.appendChild(form);

  close.addEventListener("click", () => on.close());
  cancel.addEventListener("click", () => on.close());
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented) on.close();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    alert.textContent = "";
    if (!checkRequired(form)) {
      focusFirst(form, true);
      return;
    }
    on.submit(collectValues(form));
  });
  return { overlay, form, alert };
}

/** Focus the first input with an error (``invalid``), else the first input of the form. */
export function focusFirst(form, invalid) {
  const target = (invalid && form.querySelector("[aria-invalid='true'] input, [aria-invalid='true']"))
    || form.querySelector(".modal-body input, .modal-body select, .modal-body textarea, .modal-body button")
    || form.querySelector("button");
  if (target) target.focus();
}

/** A confirm object's question in ``root``; resolves true when confirmed. */
export function confirmDialog(root, confirm, ctx) {
  return new Promise((resolve) => {
    const overlay = el("div", "overlay");
    const box = el("div", "modal confirm");
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-modal", "true");
    const title = el("h2", "", (confirm.title && confirm.title.text) || "Are you sure?");
    title.id = "confirm-title";
    box.setAttribute("aria-labelledby", title.id);
    const text = el("div", "modal-body");
    text.appendChild(renderText(confirm.text, ctx));
    const foot = el("div", "modal-foot");
    const deny = el("button", "bk-button", (confirm.deny && confirm.deny.text) || "Cancel");
    const yes = el("button", `bk-button ${confirm.style === "danger" ? "bk-danger" : "bk-primary"}`,
      (confirm.confirm && confirm.confirm.text) || "Yes");
    deny.type = "button";
    yes.type = "button";
    const done = (answer) => {
      root.replaceChildren();
      resolve(answer);
    };
    deny.addEventListener("click", () => done(false));
    yes.addEventListener("click", () => done(true));
    box.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        done(false);
      }
    });
    foot.append(deny, yes);
    box.append(title, text, foot);
    overlay.appendChild(box);
    root.replaceChildren(overlay);
    yes.focus();
  });
}
