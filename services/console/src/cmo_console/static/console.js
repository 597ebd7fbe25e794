// Progressive enhancement only: every page works without this file.
// A form marked data-long shows that it is working, and cannot be sent twice.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-long]")) return;
  const button = form.querySelector("button[type=submit]");
  if (button) {
    button.disabled = true;
    button.classList.add("busy");
    button.setAttribute("aria-busy", "true");
  }
});
