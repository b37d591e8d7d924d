// Requests made by pages that refresh themselves do not count as user activity for the idle timeout.
document.body.addEventListener("htmx:configRequest", function (event) {
  var elt = event.detail.elt;
  if (elt && elt.hasAttribute && elt.hasAttribute("data-poll")) {
    event.detail.headers["X-Background-Poll"] = "1";
  }
});
