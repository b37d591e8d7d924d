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
