// docseal pages: a little progressive enhancement; every form works without it.
"use strict";
(function () {
  // /v#DS1:… — what a phone camera opens. The payload stays in the fragment
  // (never in the URL the server logs) and is posted in the body.
  const cameraForm = document.getElementById("camera-form");
  if (cameraForm && location.hash.length > 1) {
    // As it is: the server reads every spelling (percent-encoding included).
    const text = location.hash.slice(1);
    const status = document.getElementById("camera-status");
    status.textContent = status.dataset.wait;
    document.getElementById("camera-text").value = text;
    const sw = document.getElementById("lang-switch");
    if (sw) sw.href = sw.getAttribute("href") + location.hash;
    cameraForm.submit();
  }
  // Drag and drop onto the upload zone.
  const zone = document.getElementById("dropzone");
  const input = document.getElementById("file");
  if (zone && input) {
    const help = document.getElementById("file-help");
    const photo = document.getElementById("photo");
    const show = () => {
      const chosen = [input, photo].find((i) => i && i.files.length);
      if (chosen) help.textContent = chosen.files[0].name;
    };
    input.addEventListener("change", show);
    if (photo) photo.addEventListener("change", show);
    zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (e) => {
      e.preventDefault();
      zone.classList.remove("over");
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; show(); }
    });
  }
  // A file over the limit is refused here, with the same words as the server,
  // rather than by a gateway that answers with its own error.
  const verifyForm = document.getElementById("verify-form");
  if (verifyForm) {
    verifyForm.addEventListener("submit", (e) => {
      const max = Number(verifyForm.dataset.maxBytes || 0);
      const files = [...verifyForm.querySelectorAll("input[type=file]")].flatMap((i) => [...i.files]);
      if (max && files.some((f) => f.size > max)) {
        e.preventDefault();
        e.stopImmediatePropagation();
        const box = document.getElementById("client-error");
        box.textContent = verifyForm.dataset.tooLarge;
        box.hidden = false;
        box.focus();
      }
    });
  }
  // One submission at a time.
  for (const form of document.querySelectorAll("form")) {
    form.addEventListener("submit", () => {
      if (form.classList.contains("receipt")) return;  // a download stays on the page
      for (const b of form.querySelectorAll("button[type=submit]")) b.disabled = true;
    });
  }
})();
