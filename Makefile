# The two commands: `make run` and `make test`. Both set up what they need first.
.PHONY: run test setup bench load

HOST ?= 127.0.0.1
PORT ?= 8000

setup:
	@scripts/setup.sh

run: setup
	DEBUG=true .venv/bin/python manage.py migrate --noinput
	DEBUG=true .venv/bin/python manage.py load_demo
	@echo ""
	@echo "Demo logins (password: $${DEMO_PASSWORD:-zhuzhou2024}):"
	@echo "  station_staff  minors_worker  finance_officer  supervisor  bureau_supervisor  admin"
	@echo "Open http://$(HOST):$(PORT)/"
	DEBUG=true .venv/bin/python manage.py runserver $(HOST):$(PORT)

test:
	@scripts/test.sh $(PYTEST_ARGS)

# Speed and memory targets (not part of the test suite): see benchmarks/__main__.py.
bench: setup
	DEBUG=true .venv/bin/python -m benchmarks

# A bounded load test of gunicorn on 127.0.0.1 (PostgreSQL, then SQLite): see benchmarks/load.py.
load: setup
	.venv/bin/python -m benchmarks.load $(LOAD_ARGS)
