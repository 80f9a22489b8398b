# Two commands do all set-up on a fresh machine (only python3 needed):
#   make site   builds the site from content/ into site/
#   make test   runs the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/privacy-notice build

serve: $(STAMP)
	$(BIN)/privacy-notice serve

check: $(STAMP)
	$(BIN)/privacy-notice check content

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) site
