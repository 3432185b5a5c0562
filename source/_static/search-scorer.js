/* The guide's search ranking. Sphinx inlines this file into language_data.js
 * (conf.py: html_search_scorer), which furo loads after searchtools.js, so
 * Sphinx's default Scorer exists here and only its score hook is set.
 *
 * A chapter's index entry for a word and the glossary's entry for the same
 * word both score 100, and Sphinx breaks the tie by title, where "Glossary"
 * wins over most chapters. A reader's word leads first to the section that
 * answers it; the definition (anchor "#term-...") comes right after it.
 */
Scorer.score = ([, , anchor, , score, , kind]) =>
  kind === "index" && anchor.startsWith("#term-") ? score - 1 : score;
