/* A search leaves no words on the device.
 *
 * Sphinx's search keeps the words a reader searched for in localStorage
 * ("sphinx_highlight_terms"), so that the page opened next can highlight them; if no
 * result is opened, the words stay on the device and are highlighted on the next visit.
 * Here the words stay in the search page's memory instead, and a link in the results
 * (#search-results) carries them in its address, "?highlight=", once the reader follows
 * it. Sphinx reads them on the page it opens and then removes them from the address bar.
 *
 * Sphinx's "Hide Search Matches" link is a javascript: link, which the site's
 * Content-Security-Policy blocks; a click on it hides the highlights here instead.
 */
"use strict";
{
  const TERMS_KEY = "sphinx_highlight_terms";
  let searchedWords = "";

  const storeItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (key === TERMS_KEY) searchedWords = String(value);
    else storeItem.call(this, key, value);
  };

  // Just before a result link is followed (by touch, mouse, keyboard or a screen reader).
  const carryWords = (event) => {
    const link = event.target.closest?.("#search-results a[href]");
    if (!searchedWords || !link || link.origin !== location.origin) return;
    const url = new URL(link.href);
    url.searchParams.set("highlight", searchedWords);
    link.href = url.href;
  };
  for (const type of ["pointerdown", "focusin", "click"]) {
    document.addEventListener(type, carryWords, true);
  }

  document.addEventListener("click", (event) => {
    if (!event.target.closest?.("#searchbox .highlight-link a")) return;
    event.preventDefault();
    SphinxHighlight.hideSearchWords();
  });
}
