// Progressive enhancement only: every form works without this file.
// Live resident-ID check: as the clerk types an 18-character ID, the console checks its form and
// check digit (GB 11643) and says so beside the field; the service checks it again on submit.
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-resident-id]")) {
    let note = document.createElement("span");
    note.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", note);
    let timer;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const value = input.value.trim();
        if (value.length < 18) { note.textContent = ""; note.className = ""; return; }
        const r = await fetch("/check/resident-id?value=" + encodeURIComponent(value));
        const body = await r.json();
        note.textContent = body.ok ? "✓ 身份证号码格式及校验位正确" : body.rule;
        note.className = body.ok ? "field-ok" : "field-error";
        input.setAttribute("aria-invalid", body.ok ? "false" : "true");
      }, 250);
    });
  }
});
