/* "Hide Search Matches" under the site's Content-Security-Policy.
 *
 * Sphinx's highlighting (sphinx_highlight.js) adds a "Hide Search Matches" link to the
 * sidebar when a page opens with ?highlight=. The link is a javascript: link, which the
 * policy blocks; a click on it hides the highlights here instead.
 */
"use strict";
document.addEventListener("click", (event) => {
  if (!event.target.closest?.("#searchbox .highlight-link a")) return;
  event.preventDefault();
  SphinxHighlight.hideSearchWords();
});
