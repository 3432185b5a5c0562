/* The guide's search page: MiniSearch over every section of the guide.
 *
 * search-data.js (extensions/reader_search.py) gives the sections, their keywords (index
 * entries and the edition's reader words) and the stop words; Sphinx's language_data.js
 * gives the stemmer of the edition's language. The page's texts come from its template,
 * translated with the page. docs/search.md explains the ranking.
 *
 * A word the guide does not hold is corrected to the closest one it does (one edit away,
 * two for words of 7 letters or more, two letters swapped, or a word it begins), and the
 * page says so, with the reader's own spelling one tap away. Common
 * words are dropped; a section that holds more of the words ranks higher. When nothing
 * matches, the page says so and shows the closest words, the helplines and the chapters.
 * Nothing is stored on the device; the address holds the query.
 */
"use strict";

{
  // All four scripts load async from the page's head, so the index is built while the rest
  // of the page loads: this one starts once the others have run, and shows results as soon
  // as the page's search elements are parsed.
  const dependencies = () => "MiniSearch" in globalThis && "guideSearchData" in globalThis
    && "Stemmer" in globalThis;
  const parsed = () => document.getElementById("guide-search-nothing") !== null;
  const whenParsed = (callback) => {
    if (parsed()) return callback();
    const observer = new MutationObserver(() => {
      if (!parsed()) return;
      observer.disconnect();
      callback();
    });
    observer.observe(document, { childList: true, subtree: true });
  };
  let started = false;
  const start = () => {
    if (started || !dependencies()) return;
    started = true;
    const data = globalThis.guideSearchData;
    const stopWords = new Set(data.stopWords);
    // The guide's words whose stem differs from them, stemmed at build time by the same
    // stemmer as the reader's words (Sphinx's Snowball stemmer for the edition's language):
    // any other word of the guide is its own stem, so the page stems only the words the
    // reader types.
    const stems = new Map(Object.entries(data.stems));
    const stemmer = new Stemmer();
    const typedStems = new Map();

    const words = (text) =>
      text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f'\u2019]/g, "")
        .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    const guideStem = (word) => stems.get(word) ?? word;
    const stem = (word) => {
      if (stems.has(word)) return stems.get(word);
      // A word the guide holds as it is needs no stemmer (whose first words are slow).
      if (!typedStems.has(word)) typedStems.set(word, holds(word) ? word : stemmer.stemWord(word));
      return typedStems.get(word);
    };

    const [PAGE, ANCHOR, TITLE, KEYWORDS, TEXT, WEIGHT] = [0, 1, 2, 3, 4, 5];
    const sections = data.sections;
    const fieldsOf = (section) => ({
      keywords: section[KEYWORDS].join(" | "),
      title: section[TITLE],
      page: data.pages[section[PAGE]][1],
      text: section[TEXT],
    });
    const index = new MiniSearch({
      fields: ["keywords", "title", "page", "text"],
      // Each word once per field: a quarter faster to build, and ranking by which words a
      // section holds, not how often it repeats them, serves readers as well.
      tokenize: (text) => [...new Set(words(text))],
      processTerm: (word) => (stopWords.has(word) ? null : guideStem(word)),
      searchOptions: {
        processTerm: (word) => (stopWords.has(word) ? null : stem(word)),
        boost: { keywords: 3, title: 2, page: 1.5, text: 1 },
        boostDocument: (id) => sections[id][WEIGHT],
        combineWith: "OR",
      },
    });
    index.addAll(sections.map((section, id) => ({ id, ...fieldsOf(section) })));
    const exactTerms = { tokenize: (text) => text.split(" "), processTerm: (term) => term };
    const holds = (term) => index.search(term, exactTerms).length > 0;

    /* Every word of the guide, with how often it is used: what corrections choose from.
     * Made on the first correction only, so a query of the guide's own words never waits. */
    const spelled = new Map();
    let vocabulary = null;
    const guideVocabulary = () => {
      if (vocabulary) return vocabulary;
      for (const section of sections) {
        for (const text of Object.values(fieldsOf(section))) {
          for (const word of words(text)) {
            if (!stopWords.has(word)) spelled.set(word, (spelled.get(word) ?? 0) + 1);
          }
        }
      }
      vocabulary = new MiniSearch({ fields: ["word"], idField: "word", storeFields: ["count"] });
      vocabulary.addAll([...spelled].map(([word, count]) => ({ word, count })));
      return vocabulary;
    };
    const byUse = { boostDocument: (word, term, stored) => Math.log(1 + stored.count) };

    /* The guide's words closest to one it does not hold, best first: the fewest edits
     * (up to maxEdits), then the most used; failing that, two letters swapped, or a longer
     * word it begins. */
    const closestWords = (word, maxEdits) => {
      for (let edits = 1; edits <= maxEdits; edits++) {
        const found = guideVocabulary().search(word, { fuzzy: edits, maxFuzzy: edits, ...byUse });
        if (found.length) return found.map(({ id }) => id);
      }
      const swapped = [...word].flatMap((letter, at) =>
        at && spelled.has(word.slice(0, at - 1) + letter + word[at - 1] + word.slice(at + 1))
          ? [word.slice(0, at - 1) + letter + word[at - 1] + word.slice(at + 1)] : []);
      if (swapped.length) return swapped;
      if (word.length < 3) return [];
      return guideVocabulary().search(word, { prefix: true, ...byUse }).map(({ id }) => id);
    };

    /* What to search for: each meaningful word as the guide spells it. */
    const understand = (query, asTyped) => {
      const searched = [];
      for (const word of words(query)) {
        if (stopWords.has(word)) continue;
        const term = stem(word);
        if (holds(term)) {
          searched.push({ typed: word, term, shown: word });
        } else if (!asTyped) {
          const [closest] = closestWords(word, word.length >= 7 ? 2 : 1);
          if (closest) searched.push({ typed: word, term: guideStem(closest), shown: closest });
        }
      }
      return searched;
    };

    /* A section's keywords as the terms a query turns into: a query that is one of them,
     * word for word, leads to that section first; a longer query that holds one of several
     * words, whole ("pastillas falsas con fentanilo"), ranks that section higher. */
    const termsOf = (text) =>
      words(text).filter((word) => !stopWords.has(word)).map(guideStem).join(" ");
    const keywordTerms = sections.map((section) => new Set(section[KEYWORDS].map(termsOf)));
    const phrases = keywordTerms.map((terms) => [...terms].filter((phrase) => phrase.includes(" ")));
    const [KEYWORD_MATCH, PHRASE_MATCH] = [4, 2];

    // How much a term tells sections apart: rare terms much, common ones little. The people
    // a question is about ("my son", "mi esposo") tell less than what happens to them, so
    // "my son is overdosing" leads to the overdose, not to the help for families.
    const personTerms = new Set(data.personWords.map(stem));
    const PERSON_WEIGHT = 0.25;
    const weight = (term) =>
      Math.log(1 + sections.length / (1 + index.search(term, exactTerms).length))
      * (personTerms.has(term) ? PERSON_WEIGHT : 1);

    const find = (searched) => {
      const terms = [...new Set(searched.map(({ term }) => term))];
      const query = terms.join(" ");
      const weights = new Map(terms.map((term) => [term, weight(term)]));
      const total = [...weights.values()].reduce((sum, value) => sum + value, 0);
      const boostTerm = (term) => (personTerms.has(term) ? PERSON_WEIGHT : 1);
      const found = index.search(query, { ...exactTerms, boostTerm });
      for (const result of found) {
        // A section that holds more of the query's telling words ranks higher: "how do I
        // stop taking oxycodone safely" leads to the page on oxycodone, not to any page
        // with "stop" and "taking".
        result.score *= result.queryTerms.reduce((sum, term) => sum + weights.get(term), 0) / total;
        if (keywordTerms[result.id].has(query)) result.score *= KEYWORD_MATCH;
        else if (phrases[result.id].some((phrase) => ` ${query} `.includes(` ${phrase} `))) {
          result.score *= PHRASE_MATCH;
        }
      }
      return found.sort((a, b) => b.score - a.score);
    };

    /* The section's words that matched, as the text spells them, and where the first is. */
    const matchedWords = (text, terms) => {
      const found = [];
      for (const match of text.matchAll(/[\p{L}\p{N}'\u2019]+/gu)) {
        const [word] = words(match[0]);
        if (word && terms.has(guideStem(word))) found.push({ word: match[0], at: match.index });
      }
      return found;
    };

    const SNIPPET = 180;
    const snippet = (text, found) => {
      const paragraph = document.createElement("p");
      paragraph.className = "context";
      let start = found.length ? Math.max(0, found[0].at - 60) : 0;
      if (start > 0) start = text.indexOf(" ", start) + 1;
      let end = Math.min(text.length, start + SNIPPET);
      if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), start + 1);
      let cursor = start;
      if (start > 0) paragraph.append("… ");
      for (const { word, at } of found) {
        if (at < cursor || at + word.length > end) continue;
        const mark = document.createElement("mark");
        mark.textContent = word;
        paragraph.append(text.slice(cursor, at), mark);
        cursor = at + word.length;
      }
      paragraph.append(text.slice(cursor, end) + (end < text.length ? " …" : ""));
      return paragraph;
    };

    const resultItem = (result) => {
      const section = sections[result.id];
      const [pageUri, pageTitle] = data.pages[section[PAGE]];
      const found = matchedWords(section[TEXT], new Set(result.terms));
      const highlight = [...new Set(found.map(({ word }) => word.toLowerCase()))].slice(0, 5);
      const link = document.createElement("a");
      const address = new URL(pageUri, document.baseURI);
      if (highlight.length) address.searchParams.set("highlight", highlight.join(" "));
      address.hash = section[ANCHOR];
      link.href = address.href;
      link.textContent = section[TITLE];
      const item = document.createElement("li");
      item.append(link);
      if (section[ANCHOR] && section[TITLE] !== pageTitle) {
        const page = document.createElement("span");
        page.className = "guide-search-page";
        page.textContent = ` (${pageTitle})`;
        item.append(page);
      }
      item.append(snippet(section[TEXT], found));
      return item;
    };

    const queryLink = (query, asTyped) => {
      const link = document.createElement("a");
      const address = new URL(document.location.href);
      address.search = "";
      address.searchParams.set("q", query);
      if (asTyped) address.searchParams.set("as_typed", "1");
      link.href = address.href;
      link.textContent = query;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        go(query, asTyped, "push");
      });
      return link;
    };

    let results, summary, nothing, input, texts;

    const emphasis = (text) => {
      const em = document.createElement("em");
      em.textContent = text;
      return em;
    };

    /* One of the page's texts (the template's data-* attributes, in the edition's language),
     * its {placeholders} filled with text or elements. */
    const say = (name, fill = {}) =>
      texts[name].split(/\{(\w+)\}/).map((part, at) => (at % 2 ? fill[part] : part));

    const show = (query, asTyped) => {
      for (const old of [...results.children]) if (old !== summary) old.remove();
      results.dataset.query = query;
      if (!query.trim()) {
        summary.textContent = "";
        return;
      }
      const searched = understand(query, asTyped);
      const found = searched.length ? find(searched) : [];
      const heading = document.createElement("h2");
      heading.textContent = found.length ? texts.resultsHeading : texts.noResultsHeading;
      results.prepend(heading);
      const corrected = searched.filter(({ typed, shown }) => typed !== shown);
      if (corrected.length && found.length) {
        const note = document.createElement("p");
        note.className = "guide-search-correction";
        note.append(...say("corrected", {
          words: emphasis(searched.map(({ shown }) => shown).join(" ")),
          typed: queryLink(query, true),
        }));
        results.append(note);
      }
      if (found.length) {
        summary.textContent = found.length === 1
          ? texts.foundOne : say("foundMany", { count: found.length }).join("");
        const list = document.createElement("ul");
        list.className = "search";
        list.append(...found.map(resultItem));
        results.append(list);
      } else {
        summary.textContent = say("nothing", { query: query.trim() }).join("");
        const block = nothing.content.cloneNode(true);
        const suggestions = [...new Set(words(query).filter((word) => !stopWords.has(word))
          .flatMap((word) => closestWords(word, 3).slice(0, 3)))].slice(0, 5);
        if (suggestions.length) {
          const line = block.querySelector(".guide-search-suggestions");
          const list = line.querySelector("span");
          suggestions.forEach((term, position) => {
            if (position) list.append(", ");
            list.append(queryLink(term, false));
          });
          line.hidden = false;
        }
        results.append(block);
      }
    };

    /* Run a search and keep it in the address. While the reader types, a query that grows
     * or shrinks the last one replaces it in the history, and a new one is added, so Back
     * returns to the last search, not to every letter typed. */
    const go = (query, asTyped, history) => {
      input.value = query;
      for (const box of document.querySelectorAll('input[name="q"]')) box.value = query;
      const address = new URL(document.location.href);
      const last = address.searchParams.get("q") ?? "";
      address.search = "";
      address.searchParams.set("q", query);
      if (asTyped) address.searchParams.set("as_typed", "1");
      if (history && query && address.href !== document.location.href) {
        const refines = history === "typed" && (query.startsWith(last) || last.startsWith(query));
        window.history[refines ? "replaceState" : "pushState"](null, "", address);
      }
      show(query, asTyped);
    };

    const fromAddress = () => {
      const parameters = new URLSearchParams(document.location.search);
      go(parameters.get("q") ?? "", parameters.get("as_typed") === "1", null);
    };

    const attach = () => {
      results = document.getElementById("search-results");
      texts = results.dataset;
      summary = results.querySelector(".search-summary");
      nothing = document.getElementById("guide-search-nothing");
      input = document.getElementById("guide-search-input");
      let timer = null;
      input.addEventListener("input", () => {
      clearTimeout(timer);
        timer = setTimeout(() => go(input.value, false, "typed"), 150);
      });
      input.form.addEventListener("submit", (event) => {
        event.preventDefault();
        clearTimeout(timer);
        go(input.value, false, "typed");
      });
      window.addEventListener("popstate", fromAddress);
      fromAddress();
    };
    whenParsed(attach);
  };
  for (const script of document.querySelectorAll("script[async]")) {
    script.addEventListener("load", start);
  }
  start();
}
