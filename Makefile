# redlite: `make run` and `make test` are the two commands of the README.
PYTHON ?= python3
CARGO ?= cargo
PIP_FLAGS ?= --no-build-isolation --disable-pip-version-check

.PHONY: build build-rust build-python test test-rust test-python run bench

build: build-rust build-python

# The server binary (target/release/redlite-server) and every crate.
build-rust:
	$(CARGO) build --release --workspace

# The Python package, editable: python/redlite plus the native module built by
# maturin (release profile, see pyproject.toml) into python/redlite/.
build-python:
	$(PYTHON) -m pip install $(PIP_FLAGS) -e .

# Both suites run even when the first fails; the exit status is the worse of the two.
test: build
	@status=0; \
	$(CARGO) test --workspace --release || status=$$?; \
	$(PYTHON) -m pytest tests -q || status=$$?; \
	exit $$status

test-rust:
	$(CARGO) test --workspace --release

test-python:
	$(PYTHON) -m pytest tests -q

run:
	$(CARGO) build --release -p redlite-server
	./target/release/redlite-server --db ./redlite.db --port 6379

# bench/RESULTS.md (strings and collections, every alternative side by side), then
# the list, stream, scripting (EVALSHA) and HyperLogLog benchmarks, which print their tables.
bench: build
	$(PYTHON) bench/run.py
	$(PYTHON) bench/lists.py
	$(PYTHON) bench/streams.py
	$(PYTHON) bench/scripting.py
	$(PYTHON) bench/hyperloglog.py
