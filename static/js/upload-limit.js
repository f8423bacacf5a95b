// A file larger than the server takes is refused before the form is sent (the
// server refuses it too, but only after the typed text has gone with it).
// <input type="file" data-max-bytes="N" data-too-large="message">
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
  var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
  var tooLarge = Array.prototype.some.call(input.files || [], function (file) {
    return file.size > limit;
  });
  input.setCustomValidity(tooLarge ? input.getAttribute("data-too-large") : "");
  if (tooLarge) input.reportValidity();
});
