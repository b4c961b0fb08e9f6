# The two commands that matter on a fresh machine:
#   make demo   sets everything up and builds the sample course
#   make test   runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo setup system test bench clean

demo: setup
	$(BIN)/trainer check
	$(BIN)/trainer build

setup: $(VENV)/.installed

# System libraries: WeasyPrint needs Pango; libharfbuzz-subset0 makes its PDFs 2-3x faster
# to write. Installed with apt where we are root and apt exists; skipped quietly elsewhere.
system:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  (apt-get install -y -q --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null 2>&1 \
	   || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null 2>&1)) \
	  || echo "note: could not install the system libraries WeasyPrint uses; see README"; \
	fi

$(VENV)/.installed: pyproject.toml
	$(MAKE) --no-print-directory system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python benchmarks/startup.py

clean:
	rm -rf $(VENV) build dist *.egg-info
