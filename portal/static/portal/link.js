// The customer's signature, drawn on the phone, for the additional work or the estimate (vendored signature_pad;
// no inline script): the pad signs the form it sits in.
(function () {
  var canvas = document.getElementById("pad"), form = canvas && canvas.closest("form");
  if (!canvas || !form) { return; }
  var r = Math.max(window.devicePixelRatio || 1, 1);
  canvas.width = canvas.offsetWidth * r; canvas.height = canvas.offsetHeight * r; canvas.getContext("2d").scale(r, r);
  var pad = new SignaturePad(canvas, {backgroundColor: "rgb(255,255,255)"});
  document.getElementById("pad-clear").addEventListener("click", function () { pad.clear(); });
  form.addEventListener("submit", function () {
    form.querySelector("[name=signature]").value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
  });
})();
