# redlite: `make run` and `make test` are the two commands of the README.
PYTHON ?= python3
CARGO ?= cargo
PIP_FLAGS ?= --no-build-isolation --disable-pip-version-check

.PHONY: build build-rust build-python test test-rust test-python lint run bench redis-suite redis-suite-ci

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

# Formatting and lints, all of which must be clean (CI runs this before the tests):
# rustfmt, clippy with warnings as errors (the workspace's [workspace.lints]), and
# ruff's lints and format check (pyproject.toml [tool.ruff]) of the Python trees.
RUFF ?= $(PYTHON) -m ruff
PY_TREES = python tests bench

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(RUFF) check $(PY_TREES)
	$(RUFF) format --check $(PY_TREES)

run:
	$(CARGO) build --release -p redlite-server
	./target/release/redlite-server --db ./redlite.db --port 6379

# bench/RESULTS.md (strings and collections, every alternative side by side), then
# the list, stream and scripting (EVALSHA) benchmarks, which print their tables,
# the GEO and HyperLogLog benchmarks, and the RSS of 10,000 idle connections beside Redis.
bench: build
	$(PYTHON) bench/run.py
	$(PYTHON) bench/lists.py
	$(PYTHON) bench/streams.py
	$(PYTHON) bench/scripting.py
	$(PYTHON) bench/connections.py
	$(PYTHON) bench/geo.py
	$(PYTHON) bench/hyperloglog.py

# Each fuzz target for 60 s, one after the other (fuzz/README.md). Needs the nightly
# toolchain; installs cargo-fuzz from crates.io when it is missing. Not part of `test`.
FUZZ_TARGETS = resp_request inline_args command_args restore_payload lua_script
FUZZ_FLAGS ?= -max_total_time=60 -rss_limit_mb=2048 -max_len=4096 -timeout=10 -detect_leaks=0

.PHONY: fuzz
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	cd fuzz && for t in $(FUZZ_TARGETS); do \
		mkdir -p run-corpus/$$t && \
		ASAN_OPTIONS=detect_leaks=0 $(CARGO) +nightly fuzz run $$t run-corpus/$$t corpus/$$t -- $(FUZZ_FLAGS) || exit 1; \
	done

# Redis 7.0's own Tcl test suite (fetched from Debian's source package with apt) on
# redlite-server and redis-server, unit by unit: writes docs/compatibility.md.
redis-suite: build-rust
	$(PYTHON) tests/redis_suite/run.py

# The CI subset: a few quick units on redlite-server; fails if one passes fewer tests
# than docs/compatibility.md records.
redis-suite-ci: build-rust
	$(PYTHON) tests/redis_suite/run.py --check --timeout 120
