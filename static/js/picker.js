// Search-as-you-type pickers (core/pickers.py, core/templates/core/widgets/picker.html).
// htmx fetches the suggestions into the listbox; this file adds the combobox behaviour: ArrowUp/ArrowDown move,
// Enter picks, Escape closes, a click picks; the chosen id goes into the hidden input (or a removable tag when the
// picker takes several). No inline script: the Content-Security-Policy allows only our own files.
(function () {
  "use strict";

  function parts(elt) {
    var root = elt.closest("[data-picker]");
    if (!root) return null;
    return {
      root: root,
      input: root.querySelector("[data-picker-input]"),
      list: root.querySelector("[role=listbox]"),
      value: root.querySelector("[data-picker-value]"),
      chips: root.querySelector("[data-picker-chips]"),
      multiple: root.hasAttribute("data-picker-multiple")
    };
  }

  function options(p) {
    return Array.prototype.slice.call(p.list.querySelectorAll("[role=option]"));
  }

  function open(p) {
    p.list.hidden = false;
    p.input.setAttribute("aria-expanded", "true");
  }

  function close(p) {
    p.list.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
    options(p).forEach(function (o) { o.setAttribute("aria-selected", "false"); o.classList.remove("active"); });
  }

  function highlight(p, index) {
    var opts = options(p);
    if (!opts.length) return;
    index = (index + opts.length) % opts.length;
    opts.forEach(function (o, i) {
      var on = i === index;
      o.setAttribute("aria-selected", on ? "true" : "false");
      o.classList.toggle("active", on);
      if (on) {
        p.input.setAttribute("aria-activedescendant", o.id);
        if (o.scrollIntoView) o.scrollIntoView({block: "nearest"});
      }
    });
  }

  function current(p) {
    var opts = options(p);
    for (var i = 0; i < opts.length; i++) {
      if (opts[i].getAttribute("aria-selected") === "true") return i;
    }
    return -1;
  }

  function chip(p, value, label) {
    var existing = p.chips.querySelector("input[value='" + String(value).replace(/[^0-9]/g, "") + "']");
    if (existing) return;
    var span = document.createElement("span");
    span.className = "badge text-bg-light border fw-normal picker-chip";
    span.setAttribute("data-picker-chip", "");
    var text = document.createElement("span");
    text.textContent = label;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn-close picker-remove";
    button.setAttribute("data-picker-remove", "");
    button.setAttribute("aria-label", (p.root.getAttribute("data-picker-remove-label") || "×") + " " + label);
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = p.root.getAttribute("data-picker-name");
    hidden.value = value;
    span.appendChild(text);
    span.appendChild(document.createTextNode(" "));
    span.appendChild(button);
    span.appendChild(hidden);
    p.chips.appendChild(span);
  }

  function pick(p, option) {
    var value = option.getAttribute("data-value");
    var label = option.getAttribute("data-label");
    if (p.multiple) {
      chip(p, value, label);
      p.input.value = "";
    } else {
      p.value.value = value;
      p.input.value = label;
    }
    p.input.classList.remove("is-invalid");
    p.root.classList.remove("is-invalid");
    close(p);
    p.input.dispatchEvent(new CustomEvent("picker:picked", {bubbles: true, detail: {value: value, label: label}}));
    p.input.dispatchEvent(new Event("change", {bubbles: true}));  // forms that refresh on change see the pick
  }

  // The typed text is the query; the text box itself has no name, so it is never posted with the form.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-picker-input")) {
      event.detail.parameters.q = elt.value;
      // Other fields the suggestions depend on (the vehicle being booked: its model's parts first).
      (elt.getAttribute("data-picker-context") || "").split(" ").forEach(function (name) {
        var field = name && elt.form && elt.form.elements[name];
        if (field && field.value) event.detail.parameters[name] = field.value;
      });
    }
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.getAttribute("role") !== "listbox") return;
    var p = parts(target);
    if (!p) return;
    if (p.multiple) {  // what is already chosen is not offered again
      var chosen = Array.prototype.map.call(p.chips.querySelectorAll("input[type=hidden]"), function (i) { return i.value; });
      options(p).forEach(function (o) { if (chosen.indexOf(o.getAttribute("data-value")) >= 0) o.remove(); });
    }
    options(p).forEach(function (o, i) { o.id = target.id + "_" + i; });
    if (p.list.children.length && p.input.value.trim() && document.activeElement === p.input) {
      open(p);
      highlight(p, 0);
    } else {
      close(p);
    }
  });

  document.addEventListener("input", function (event) {
    var elt = event.target;
    if (!elt.hasAttribute || !elt.hasAttribute("data-picker-input")) return;
    var p = parts(elt);
    // Typing again un-picks: the hidden id must never disagree with the text shown.
    if (p && !p.multiple && p.value) p.value.value = "";
    if (p && !elt.value.trim()) close(p);
  });

  document.addEventListener("keydown", function (event) {
    var elt = event.target;
    if (!elt.hasAttribute || !elt.hasAttribute("data-picker-input")) return;
    var p = parts(elt);
    if (!p) return;
    var expanded = !p.list.hidden && options(p).length > 0;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!expanded) {
        if (options(p).length) { open(p); highlight(p, 0); }
        return;
      }
      var i = current(p);
      highlight(p, event.key === "ArrowDown" ? i + 1 : (i < 0 ? -1 : i - 1));
    } else if (event.key === "Enter") {
      if (expanded) {
        event.preventDefault();  // picking is not submitting
        var opts = options(p);
        var i2 = current(p);
        if (i2 >= 0) pick(p, opts[i2]);
      }
    } else if (event.key === "Escape") {
      if (!p.list.hidden) {
        event.preventDefault();
        close(p);
      }
    } else if (event.key === "Tab") {
      close(p);
    }
  });

  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest("[data-picker] [role=option]");
    if (option) {
      event.preventDefault();  // keep the focus in the text box
      pick(parts(option), option);
      return;
    }
    document.querySelectorAll("[data-picker] [role=listbox]:not([hidden])").forEach(function (list) {
      if (!list.closest("[data-picker]").contains(event.target)) close(parts(list));
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-picker-remove]");
    if (!button) return;
    var p = parts(button);
    button.closest("[data-picker-chip]").remove();
    if (p) {
      p.input.focus();
      p.input.dispatchEvent(new Event("change", {bubbles: true}));
    }
  });

  document.addEventListener("focusout", function (event) {
    var elt = event.target;
    if (!elt.hasAttribute || !elt.hasAttribute("data-picker-input")) return;
    var p = parts(elt);
    if (p && !p.root.contains(event.relatedTarget)) close(p);
  });
})();
