// The print button of the print preview prints the embedded PDF.
document.getElementById("print-button").addEventListener("click", function () {
  var frame = document.getElementById("pdf-frame");
  try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (e) { window.open(frame.src, "_blank"); }
});
