// The signature pad of the order's signing page (kept out of the page so the CSP allows only our own scripts).
(function () {
  var canvas = document.getElementById("signature-pad");
  function resize() { var r = Math.max(window.devicePixelRatio || 1, 1); canvas.width = canvas.offsetWidth * r; canvas.height = canvas.offsetHeight * r; canvas.getContext("2d").scale(r, r); }
  resize();
  var pad = new SignaturePad(canvas, {backgroundColor: "rgb(255,255,255)"});
  document.getElementById("pad-clear").addEventListener("click", function () { pad.clear(); });
  var form = document.getElementById("sign-form");
  function toggle() {
    var m = form.querySelector("[name=method]").value;
    document.getElementById("pad-box").style.display = m === "signature" ? "" : "none";
    document.getElementById("scan-box").style.display = m === "scan" ? "" : "none";
  }
  form.querySelector("[name=method]").addEventListener("change", toggle); toggle();
  form.addEventListener("submit", function () {
    form.querySelector("[name=signature]").value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
  });
})();
