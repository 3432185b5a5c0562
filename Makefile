# The guide's commands. `make help` lists them.
# The Sphinx source is source/, while conf.py stays at the root: hence `-c .`.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
SPHINXOPTS  ?= -W --keep-going -n
SPHINXBUILD := $(BIN)/sphinx-build -c . $(SPHINXOPTS)
SOURCEDIR   := source
BUILDDIR    := build
HOST        ?= 127.0.0.1
PORT        ?= 8000

# TeX for `make pdf`: about 465 MB and 110 s to install with --no-install-recommends.
# texlive-lang-spanish: babel's Spanish (Capítulo, Spanish hyphenation; 15 MB, 25 s);
# xindy sorts each edition's index in its language (36 MB, 5 s).
TEX_PACKAGES    := texlive-latex-recommended texlive-fonts-recommended texlive-latex-extra \
                   texlive-lang-spanish latexmk tex-gyre xindy
# Debian packages the tests drive: a real browser, TeX for the PDF, epubcheck for the EPUB.
DEBIAN_PACKAGES := chromium $(TEX_PACKAGES) epubcheck

.DEFAULT_GOAL := help
.PHONY: help serve html pdf epub site readthedocs require-tex test bench clean system-deps gettext update-po

# The editions besides English (at the root): each builds into its own folder, <lang>/.
# conf.py's `editions` lists them all (tests/test_editions.py checks the two agree).
TRANSLATIONS := es
LOCALEDIR    := $(SOURCEDIR)/locales
# One translation's pages into <site>/<language>, its doctrees in <doctrees>:
# $(call translation,<language>,<site>,<doctrees>)
translation = $(SPHINXBUILD) -b html -D language=$(1) -d $(3) $(SOURCEDIR) $(2)/$(1)

help: ## List the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.site-installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.site-installed
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

# PurgeCSS and esbuild, which build the web pages' stylesheet and script (extensions/asset_bundle.py),
# and the checkers: axe-core, the Nu Html Checker, Lighthouse; exactly as package-lock.json pins them.
NODE_TOOLS := node_modules/.package-lock.json
$(NODE_TOOLS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Each change rebuilds English, then every translation (--post-build), then reloads the
# open pages; the Content-Security-Policy lets the reloading script sphinx-autobuild adds
# to each page run (GUIDE_LIVE_RELOAD: extensions/privacy.py). A build writes each
# translation's compiled catalogs (.mo, through a .mo.tmp for the helpline's) beside its
# .po files: not a change to rebuild for.
serve: $(VENV)/.site-installed $(NODE_TOOLS) ## Build both editions and serve them at http://127.0.0.1:8000 (Spanish: /es/), with live reload
	GUIDE_LIVE_RELOAD=$(HOST):$(PORT) $(BIN)/sphinx-autobuild -c . $(SPHINXOPTS) \
		--host $(HOST) --port $(PORT) --watch conf.py --watch helpline --watch extensions \
		--re-ignore '\.mo(\.tmp)?$$' \
		$(foreach lang,$(TRANSLATIONS),--post-build '$(call translation,$(lang),$(BUILDDIR)/html,$(BUILDDIR)/doctrees-$(lang))') \
		$(SOURCEDIR) $(BUILDDIR)/html

# The editions build side by side, each in its own folders (the English build leaves the
# translations' folders alone: extensions/editions.py); each one's messages print together
# once it is done.
EDITIONS_HTML := html-en $(TRANSLATIONS:%=html-%)
.PHONY: $(EDITIONS_HTML)
html: ## Build the site into build/html, the Spanish edition into build/html/es
	@$(MAKE) --no-print-directory -j$(words $(EDITIONS_HTML)) --output-sync=target $(EDITIONS_HTML)

html-en: $(VENV)/.site-installed $(NODE_TOOLS)
	$(SPHINXBUILD) -b html $(SOURCEDIR) $(BUILDDIR)/html

$(TRANSLATIONS:%=html-%): html-%: $(VENV)/.site-installed $(NODE_TOOLS)
	$(call translation,$*,$(BUILDDIR)/html,$(BUILDDIR)/doctrees-$*)

# The pages' texts and conf.py's (conf.pot) into build/gettext; the helpline extension's own
# labels into its template, helpline/locales/helpline.pot (no header, so no date to change).
HELPLINE_LOCALES := helpline/locales
gettext: $(VENV)/.site-installed ## Extract every English text to translate into build/gettext/*.pot
	$(SPHINXBUILD) -b gettext -d $(BUILDDIR)/doctrees-gettext $(SOURCEDIR) $(BUILDDIR)/gettext
	$(BIN)/pybabel -q extract --no-location --omit-header -o $(HELPLINE_LOCALES)/helpline.pot helpline/

update-po: gettext ## Bring the translations' catalogs (source/locales/, helpline/locales/) up to date with the English
	$(BIN)/sphinx-intl update --pot-dir $(BUILDDIR)/gettext --locale-dir $(LOCALEDIR) \
		$(foreach lang,$(TRANSLATIONS),--language $(lang))
	$(BIN)/sphinx-intl update --pot-dir $(HELPLINE_LOCALES) --locale-dir $(HELPLINE_LOCALES) \
		$(foreach lang,$(TRANSLATIONS),--language $(lang))

# Checked first, before anything is installed or built; babel's Spanish only for a build
# of the Spanish edition.
require-tex:
	@command -v latexmk >/dev/null && command -v pdflatex >/dev/null && command -v xindy >/dev/null \
		$(if $(filter es,$(TRANSLATIONS)),&& kpsewhich spanish.ldf >/dev/null) || { \
		echo "make pdf needs TeX (about 465 MB, 110 s to install). Install it with:" >&2; \
		echo "  sudo apt-get install --no-install-recommends $(TEX_PACKAGES)" >&2; exit 1; }

# Every edition has its own PDF and EPUB: English in latex/ and epub/ (plain-guide.pdf,
# plain-guide.epub), a translation in latex-<lang>/ and epub-<lang>/ (plain-guide-es.pdf...).
# Each export keeps its own doctrees, outside its output: the EPUB would pack them.
LATEXPDF := all-pdf LATEXMKOPTS=-silent LATEXOPTS=-halt-on-error
pdf: require-tex $(VENV)/.site-installed ## Build each edition as one PDF into build/latex/, build/latex-es/
	$(SPHINXBUILD) -b latex -d $(BUILDDIR)/doctrees-latex $(SOURCEDIR) $(BUILDDIR)/latex
	$(MAKE) -C $(BUILDDIR)/latex $(LATEXPDF)
	$(foreach lang,$(TRANSLATIONS),$(SPHINXBUILD) -b latex -D language=$(lang) \
		-d $(BUILDDIR)/doctrees-latex-$(lang) $(SOURCEDIR) $(BUILDDIR)/latex-$(lang) && \
		$(MAKE) -C $(BUILDDIR)/latex-$(lang) $(LATEXPDF) &&) true

epub: $(VENV)/.site-installed ## Build each edition as an EPUB 3 book into build/epub/, build/epub-es/
	$(SPHINXBUILD) -b epub -d $(BUILDDIR)/doctrees-epub $(SOURCEDIR) $(BUILDDIR)/epub
	$(foreach lang,$(TRANSLATIONS),$(SPHINXBUILD) -b epub -D language=$(lang) \
		-d $(BUILDDIR)/doctrees-epub-$(lang) $(SOURCEDIR) $(BUILDDIR)/epub-$(lang) &&) true

# The hosted site: each edition's pages plus its own PDF and EPUB, which its sidebar offers
# (extensions/book_exports.py offers the files in the folder GUIDE_DOWNLOADS names):
# English at the root, a translation in <lang>/. A plain `make html` offers none, so no
# build ever links to a file it does not hold.
SITEDIR ?= $(BUILDDIR)/site
site: pdf epub $(NODE_TOOLS) ## Build the site to publish into build/site, each edition with its PDF and EPUB
	rm -rf $(BUILDDIR)/downloads $(BUILDDIR)/downloads-*
	mkdir -p $(BUILDDIR)/downloads && cp $(BUILDDIR)/latex/*.pdf $(BUILDDIR)/epub/*.epub $(BUILDDIR)/downloads/
	GUIDE_DOWNLOADS=$(abspath $(BUILDDIR)/downloads) \
		$(SPHINXBUILD) -b html -d $(BUILDDIR)/doctrees-site $(SOURCEDIR) $(SITEDIR)
	$(foreach lang,$(TRANSLATIONS),mkdir -p $(BUILDDIR)/downloads-$(lang) && \
		cp $(BUILDDIR)/latex-$(lang)/*.pdf $(BUILDDIR)/epub-$(lang)/*.epub $(BUILDDIR)/downloads-$(lang)/ && \
		GUIDE_DOWNLOADS=$(abspath $(BUILDDIR)/downloads-$(lang)) \
		$(call translation,$(lang),$(SITEDIR),$(BUILDDIR)/doctrees-site-$(lang)) &&) true

# Read the Docs (.readthedocs.yaml): each edition is a project of its own, the Spanish one
# a translation of the English one (docs/hosting.md), and READTHEDOCS_LANGUAGE names it.
# The project builds the site with its edition alone besides English, and publishes that
# edition's pages, PDF and EPUB.
READTHEDOCS_EDITION = $(filter $(READTHEDOCS_LANGUAGE),$(TRANSLATIONS))
readthedocs:
	$(MAKE) --no-print-directory site TRANSLATIONS="$(READTHEDOCS_EDITION)"
	mkdir -p $(READTHEDOCS_OUTPUT)/html $(READTHEDOCS_OUTPUT)/pdf $(READTHEDOCS_OUTPUT)/epub
	cp -r $(SITEDIR)/$(READTHEDOCS_EDITION)/. $(READTHEDOCS_OUTPUT)/html/
	cp $(READTHEDOCS_OUTPUT)/html/*.pdf $(READTHEDOCS_OUTPUT)/pdf/
	cp $(READTHEDOCS_OUTPUT)/html/*.epub $(READTHEDOCS_OUTPUT)/epub/

system-deps: ## Install the Debian packages the tests need (as root), or name them
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian packages:" $$missing; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		else \
			echo "Missing Debian packages. Install them with:" >&2; \
			echo "  sudo apt-get install --no-install-recommends" $$missing >&2; exit 1; \
		fi; \
	fi

test: $(VENV)/.test-installed $(NODE_TOOLS) system-deps ## Run every test (installs what the tests need)
	$(BIN)/python -m pytest

clean: ## Remove built output (keeps .venv)
	rm -rf $(BUILDDIR)

bench: $(VENV)/.test-installed $(NODE_TOOLS) system-deps ## Print speed and size figures against a bare Sphinx+furo baseline
	$(BIN)/python tests/bench/run.py $(SECTIONS)
