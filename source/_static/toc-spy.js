/* The "On this page" list marks the section being read: what gumshoe (13 kB, 1.5 kB
   gzipped) does for furo's script, in the few lines these pages need. extensions/
   asset_bundle.py builds furo's script from its own sources with this file in gumshoe's
   place, called as furo calls gumshoe: new Gumshoe(".toc-tree a", {navClass, offset, ...}).
   The entry marked is the last section whose top has passed the header (offset()), or the
   last section once the page is scrolled to its end. */
export default function TocSpy(selector, { navClass, offset }) {
  const entries = Array.from(document.querySelectorAll(selector), (link) => ({
    item: link.closest("li"),
    section: document.getElementById(decodeURIComponent(link.hash.slice(1))),
  })).filter((entry) => entry.section);
  let current = null;
  const mark = () => {
    const root = document.documentElement;
    const atEnd = Math.ceil(window.innerHeight + window.scrollY) >= root.scrollHeight;
    const top = offset();
    const reading = atEnd ? entries.at(-1)
      : entries.findLast((entry) => entry.section.getBoundingClientRect().top <= top);
    if (reading === current) return;
    current?.item.classList.remove(navClass);
    reading?.item.classList.add(navClass);
    current = reading;
  };
  window.addEventListener("scroll", mark, { passive: true });
  window.addEventListener("resize", mark);
  mark();
}
