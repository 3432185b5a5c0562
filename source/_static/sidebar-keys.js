/* The phone sidebars' keyboard buttons (source/_templates/page.html makes furo's sidebar
   icons buttons): Enter or Space opens a sidebar and moves the focus into it; Escape
   closes it and brings the focus back to its button.
   Bundled into _static/site.js, at the end of the page, by extensions/asset_bundle.py. */
{
  const drawerButtons = document.querySelectorAll("label[for] > [role='button']");
  const drawerSidebars = {__navigation: ".sidebar-drawer", __toc: ".toc-drawer"};
  const toggle = (drawer, open) => {
    drawer.checked = open;
    drawer.dispatchEvent(new Event("change"));
  };
  for (const button of drawerButtons) {
    const drawer = document.getElementById(button.parentElement.htmlFor);
    drawer.addEventListener("change", () => button.setAttribute("aria-expanded", drawer.checked));
    button.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      toggle(drawer, !drawer.checked);
      if (drawer.checked) {
        const sidebar = document.querySelector(drawerSidebars[drawer.id]);
        [...sidebar.querySelectorAll("a[href], input")].find((item) => item.offsetParent !== null)
          ?.focus();
      }
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const drawer of document.querySelectorAll(".sidebar-toggle:checked")) {
      toggle(drawer, false);
      [...drawerButtons].find((button) => button.parentElement.htmlFor === drawer.id
        && button.offsetParent !== null)?.focus();
    }
  });
}
