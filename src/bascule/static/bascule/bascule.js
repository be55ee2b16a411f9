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
