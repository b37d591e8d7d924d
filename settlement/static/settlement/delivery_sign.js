// The customer's signature at hand-over (交车签字) on the delivery page: the pad's picture goes with the checklist.
(function () {
  var canvas = document.getElementById("delivery-signature-pad");
  if (!canvas) return;
  function resize() { var r = Math.max(window.devicePixelRatio || 1, 1); canvas.width = canvas.offsetWidth * r; canvas.height = canvas.offsetHeight * r; canvas.getContext("2d").scale(r, r); }
  resize();
  var pad = new SignaturePad(canvas, {backgroundColor: "rgb(255,255,255)"});
  document.getElementById("delivery-pad-clear").addEventListener("click", function () { pad.clear(); });
  var form = canvas.closest("form");
  form.addEventListener("submit", function () {
    form.querySelector("[name=signature]").value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
  });
})();
