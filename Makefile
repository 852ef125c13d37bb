# Samvirke: `make run` starts the demo region; `make test` runs every test.
PORT ?= 8000
VENV := .venv
SAMVIRKE := $(VENV)/bin/samvirke
export DJANGO_SETTINGS_MODULE ?= samvirke.conf.demo

.PHONY: run test bench lint setup messages schema

# Type-checked by `make lint`: all service and selector code wherever it lives, the plugin
# registry, the modules that define a kind of plugin (they import the registry) and the
# modules that register an app's plugins (`plugins.py`).
TYPED := $(sort \
	$(shell find src/samvirke -not -path "*/tests/*" -name services.py) \
	$(shell find src/samvirke -not -path "*/tests/*" -name selectors.py) \
	$(shell find src/samvirke -not -path "*/tests/*" -name plugins.py) \
	$(shell grep -rl --include=*.py samvirke.core.registry src/samvirke | grep -v /tests/) \
	src/samvirke/core/registry.py)

setup:
	bin/setup run

run: setup
	$(SAMVIRKE) migrate --noinput -v 0
	$(SAMVIRKE) createcachetable
	$(SAMVIRKE) seed-demo
	bin/serve $(PORT)

test:
	bin/setup test
	DJANGO_SETTINGS_MODULE=samvirke.conf.test $(VENV)/bin/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

bench:
	bin/setup test
	$(VENV)/bin/python -m bench $(BENCH_ARGS)
	$(VENV)/bin/python -m bench.submissions $(SUBMIT_BENCH_ARGS)

lint:
	bin/setup test
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	# every services and selectors module at any depth, and the plugin registries' modules
	$(VENV)/bin/mypy $(TYPED)
	# the floors (pyproject.toml [tool.importlinter]), then the public surface, import
	# circles and imports inside functions (tests/test_architecture.py, no database)
	$(VENV)/bin/lint-imports --no-cache --no-logo
	DJANGO_SETTINGS_MODULE=samvirke.conf.test $(VENV)/bin/pytest -q -p no:xdist tests/test_architecture.py

messages:
	cd src/samvirke && ../../$(SAMVIRKE) makemessages -l nb -l nn -l sv -l en --no-obsolete --ignore "*/tests/*"
	cd src/samvirke && ../../$(SAMVIRKE) makemessages -d djangojs -l nb -l nn -l sv -l en --no-obsolete

schema:
	$(SAMVIRKE) spectacular --api-version v1 --urlconf samvirke.openapi_urls --validate --fail-on-warn --file docs/openapi.yaml
