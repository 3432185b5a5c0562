/* A reader who follows a search result arrives with their words in the address
   (?highlight=...), and Sphinx's sphinx_highlight.js marks them in the page. Only such a
   visit loads it, with the helpers it needs (_static/site-highlight.js, bundled by
   extensions/asset_bundle.py): every other page load is the lighter for it. */
if (new URLSearchParams(location.search).has("highlight")
    || localStorage.getItem("sphinx_highlight_terms")) {
  const highlighter = document.createElement("script");
  highlighter.src = new URL("site-highlight.js", document.currentScript.src).href;
  document.head.append(highlighter);
}
