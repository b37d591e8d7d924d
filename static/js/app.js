// Requests made by pages that refresh themselves do not count as user activity for the idle timeout.
document.body.addEventListener("htmx:configRequest", function (event) {
  var elt = event.detail.elt;
  if (elt && elt.hasAttribute && elt.hasAttribute("data-poll")) {
    event.detail.headers["X-Background-Poll"] = "1";
  }
});

// Behaviour that used to sit in inline handlers (onchange=, onclick=, onsubmit=): the Content-Security-Policy allows
// only our own script files, so pages mark elements with data attributes and this file wires them.
document.addEventListener("change", function (event) {
  var elt = event.target;
  if (elt && elt.hasAttribute && elt.hasAttribute("data-autosubmit") && elt.form) {
    elt.form.submit();
  }
});
document.addEventListener("click", function (event) {
  var elt = event.target && event.target.closest && event.target.closest("[data-fullscreen]");
  if (elt && document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen();
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// When a page opens, its main form's first field has focus (a form whose submit button is a full-size primary
// button, on the first screen), so typing starts at once; a page with an [autofocus] field keeps the browser's choice. A page without
// such a form focuses the desk search where there is one. Opening at an anchor (#…) focuses nothing.
(function () {
  if (document.querySelector("[autofocus]") || window.location.hash) {
    return;
  }
  var FIELD = "input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]):not([type=submit])" +
    ":not([type=button]):not([disabled]):not([readonly]), select:not([disabled]), textarea:not([disabled]):not([readonly])";
  var forms = document.querySelectorAll("main form");
  for (var i = 0; i < forms.length; i++) {
    var form = forms[i];
    if (!form.querySelector("button.btn-primary:not(.btn-sm):not([type=button]), input[type=submit].btn-primary")) {
      continue;
    }
    var fields = form.querySelectorAll(FIELD);
    for (var j = 0; j < fields.length; j++) {
      if (fields[j].offsetParent !== null) {
        // only a form that starts on the first screen: focusing one further down would scroll the page away
        if (fields[j].getBoundingClientRect().top < window.innerHeight) {
          fields[j].focus({ preventScroll: true });
        }
        return;
      }
    }
    return;
  }
  var search = document.querySelector("[data-desk-search]");
  if (search) {
    search.focus();
  }
})();
