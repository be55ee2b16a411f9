// Progressive enhancement only: every page reads without JavaScript.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-nav-toggle]");
  if (!toggle) return;
  const nav = document.getElementById(toggle.getAttribute("aria-controls"));
  const open = nav.classList.toggle("open");
  toggle.setAttribute("aria-expanded", String(open));
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.usermenu[open]").forEach((menu) => menu.removeAttribute("open"));
  document.querySelectorAll(".sidenav.open").forEach((nav) => nav.classList.remove("open"));
  document.querySelectorAll("[data-nav-toggle]").forEach((t) => t.setAttribute("aria-expanded", "false"));
});
// Network: @mention suggestions under a textarea[data-mentions] (the URL of the list).
(() => {
  let timer = null;
  const wordBeforeCaret = (area) => {
    const match = area.value.slice(0, area.selectionStart).match(/(?:^|[^\w.@/])@([\w.\-]{1,40})$/u);
    return match ? match[1] : null;
  };
  const close = (area) => {
    const box = area.parentElement.querySelector(":scope > .mention-box");
    if (box) box.remove();
  };
  document.addEventListener("input", (event) => {
    const area = event.target.closest("textarea[data-mentions]");
    if (!area) return;
    clearTimeout(timer);
    const word = wordBeforeCaret(area);
    if (!word) { close(area); return; }
    timer = setTimeout(async () => {
      const response = await fetch(`${area.dataset.mentions}?q=${encodeURIComponent(word)}`, { headers: { "HX-Request": "true" } });
      if (!response.ok) return;
      close(area);
      const box = document.createElement("div");
      box.className = "mention-box";
      box.innerHTML = await response.text();
      area.insertAdjacentElement("afterend", box);
    }, 150);
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".mention-box button[data-handle]");
    if (!button) return;
    const box = button.closest(".mention-box");
    const area = box.previousElementSibling;
    const caret = area.selectionStart;
    const before = area.value.slice(0, caret).replace(/@[\w.\-]*$/u, `@${button.dataset.handle} `);
    area.value = before + area.value.slice(caret);
    area.focus();
    area.setSelectionRange(before.length, before.length);
    box.remove();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") document.querySelectorAll(".mention-box").forEach((box) => box.remove());
    if (event.key === "ArrowDown" && event.target.matches("textarea[data-mentions]")) {
      const first = event.target.parentElement.querySelector(".mention-box button");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
})();
// End of Network
// Ambassador program: a button[data-copy] copies the text of the element it names.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button || !navigator.clipboard) return;
  const source = document.getElementById(button.dataset.copy);
  await navigator.clipboard.writeText(source.value ?? source.textContent);
  const label = button.textContent;
  button.textContent = button.dataset.copied || label;
  setTimeout(() => { button.textContent = label; }, 2000);
});
// End of Ambassador program
