# The two commands that matter on a fresh machine:
#   make demo   sets everything up and builds the sample course
#   make test   runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo setup system test test-newest lock bench clean translations

demo: setup
	$(BIN)/trainer check
	$(BIN)/trainer build

setup: $(VENV)/.installed

# System libraries: WeasyPrint needs Pango; libharfbuzz-subset0 makes its PDFs 2-3x faster
# to write. Fonts: DejaVu Sans for Latin and Cyrillic; Noto Naskh Arabic UI (in
# fonts-noto-ui-core) for Arabic, whose PDFs give back correct Arabic when text is copied
# out of them (DejaVu's and Noto Sans Arabic's lam-alef ligatures do not); Noto Sans CJK for
# Chinese. Installed with apt where we are root and apt exists; skipped quietly elsewhere.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-ui-core fonts-noto-cjk
system:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null 2>&1 \
	   || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null 2>&1)) \
	  || echo "note: could not install the system libraries and fonts WeasyPrint uses; see README"; \
	fi

# The exact versions the test suite passed with (requirements.lock); pyproject.toml keeps the
# compatible ranges for people who pip-install trainer into an environment of their own.
$(VENV)/.installed: pyproject.toml requirements.lock
	$(MAKE) --no-print-directory system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

test: setup
	$(BIN)/python -m pytest -q

# The newest versions pyproject.toml's ranges allow, in a venv of their own: a new release
# that breaks trainer is seen here, not met by a user.
# NEWEST_TESTS narrows it (CI runs the tests that read and write through each library, so
# that the whole run stays under 20 minutes; `make lock` runs them all).
NEWEST ?= .venv-newest
NEWEST_TESTS ?= tests
test-newest:
	$(MAKE) --no-print-directory system
	rm -rf $(NEWEST)
	$(PYTHON) -m venv $(NEWEST)
	$(NEWEST)/bin/python -m pip install -q --upgrade pip
	$(NEWEST)/bin/python -m pip install -q --upgrade --upgrade-strategy eager -e '.[test]'
	$(NEWEST)/bin/python -m pip freeze --exclude-editable > $(NEWEST)/versions.txt
	$(NEWEST)/bin/python -m pytest -q -p no:cacheprovider $(NEWEST_TESTS)

# Refresh requirements.lock: the newest versions the ranges allow, kept only if the suite passes.
lock: NEWEST_TESTS = tests
lock: test-newest
	cp $(NEWEST)/versions.txt requirements.lock
	@echo "requirements.lock refreshed ($$(wc -l < requirements.lock) packages); commit it"

# The library's content catalogues: templates (.pot) from the library, every language's .po
# brought in line (msgmerge), and what is translated per language and document.
translations: setup
	$(BIN)/trainer i18n extract
	$(BIN)/trainer i18n update
	$(BIN)/trainer i18n stats

bench: setup
	$(BIN)/python benchmarks/startup.py

clean:
	rm -rf $(VENV) $(NEWEST) build dist *.egg-info
