# The two commands of the README: `make run` and `make test`. Everything else is their helpers.
VENV   := .venv
STAMP  := $(VENV)/.installed
PYTHON ?= python3

.PHONY: run test cluster bench venv translations extract-messages lint servers-start servers-stop servers-status clean

run: venv translations
	scripts/run.sh

test: venv translations
	scripts/test.sh

# Two nodes behind nginx, one database and one Redis (scripts/cluster.sh, docs/deploy.md).
cluster: venv translations
	scripts/cluster.sh

# Not part of `make test`: figures, not pass/fail (docs/performance.md). BENCH_SIZES="10000 100000"
bench: venv translations
	scripts/bench.sh

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	scripts/system-packages.sh
	$(PYTHON) -m venv $(VENV)
	# uv installs the same pinned set as pip would, in seconds rather than a minute.
	$(VENV)/bin/pip install -q -c constraints.txt uv
	$(VENV)/bin/uv pip install -q --python $(VENV)/bin/python -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Compile every .po catalogue (ours, and the Hindi ones for Flask-Security and Flask-Admin).
translations: venv
	@for po in app/translations/*/LC_MESSAGES/*.po; do \
	  $(VENV)/bin/pybabel compile -f -i "$$po" -o "$${po%.po}.mo" || exit 1; \
	done

# Refresh the English template of our own strings, then merge it into each language.
extract-messages: venv
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 --no-location --no-wrap -o app/translations/messages.pot .
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations -D messages --no-wrap

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

servers-start:
	scripts/servers.sh start
servers-stop:
	scripts/servers.sh stop
servers-status:
	scripts/servers.sh status

clean:
	rm -rf $(VENV) .cache var test-artifacts
