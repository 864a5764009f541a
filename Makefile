# pacer: out-of-tree build into $(BUILD)/.
#
#   make            build the pacer binary, libpacer.a and the micro suites
#   make test       install what is missing, build, run the Criterion tests
#   make bench      install what is missing, build, run suites/default.json,
#                   store the result under results/, print the summary, the
#                   comparison with the previous run and the trend of
#                   results/, and draw both under results/plots/
#   make bench-asyncio  install what is missing, build, run
#                   suites/macro/asyncio-tuning.json (the asyncio app with
#                   redis behind it: about 4.5 minutes), store the result
#                   under results/asyncio/, draw its pictures under
#                   results/asyncio/plots/ and print the before/after table
#   make check      build and run the tests without the dependency step
#   make install    install pacer, pacer.h, libpacer.a, pacer.pc, the Python
#                   module pacer.py (lib/pacer/python, found by pacer run for
#                   FILE.py), the man pages and the bash and zsh completions
#                   under $(DESTDIR)$(PREFIX)
#   make man        the man pages into $(BUILD)/man (help2man)
#   make check-valgrind  the command-level tests with pacer under valgrind's
#                   memcheck (an error or a definite leak fails them)
#   make fuzz       build the libFuzzer harnesses of tests/fuzz (clang, ASan,
#                   UBSan) into $(BUILD)/fuzz and run each FUZZ_TIME seconds
#                   (default 60) on its corpus (tests/fuzz/corpus)
#
# SANITIZE=address,undefined builds everything instrumented into $(BUILD)/san.
# V=1 shows the full compiler lines.  User CFLAGS/LDFLAGS are appended.

PREFIX   ?= /usr/local
BUILD    ?= build
SANITIZE ?=
OPT      ?= -O2 -g

ifneq ($(SANITIZE),)
BUILD    := $(BUILD)/san
SAN_FLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
# The fixtures crash on purpose: let their SIGSEGV through as a signal
# (ASan would turn it into exit status 1) so the tests see what users see.
export ASAN_OPTIONS = handle_segv=0:detect_leaks=1
endif

# Debian packages the build and the tests need; `make deps` installs the
# missing ones (root only: apt-get update once, then apt-get install -y).
DEB_PKGS = gcc g++ make pkg-config git libjansson-dev libcriterion-dev gnuplot-nox \
           nginx-light wrk python3-aiohttp python3-uvloop valgrind librsvg2-bin \
           linux-perf python3-yappi apache2-utils clang-14 libclang-rt-14-dev help2man \
           man-db liburing-dev redis-server python3-redis python3-pytest-benchmark \
           python3-yaml slurm-wlm munge libsqlite3-dev chromium

# Recursive (=) so pkg-config runs after `deps` has installed it.
PKG_CFLAGS = $(shell pkg-config --cflags jansson sqlite3 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs jansson sqlite3 2>/dev/null || echo -ljansson -lsqlite3)
CRIT_LIBS  = $(shell pkg-config --libs criterion 2>/dev/null || echo -lcriterion)
# io_uring for the load generator (harness/load/uring.c): without liburing
# pacer builds and runs its loads on epoll.
URING_LIBS = $(shell pkg-config --libs liburing 2>/dev/null)
URING_DEF  = $(if $(URING_LIBS),-DPACER_HAVE_URING)

WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers
BASE_CFLAGS = -std=gnu11 $(OPT) $(WARN) -D_GNU_SOURCE -MMD -MP -I. -I$(BUILD) $(PKG_CFLAGS) $(URING_DEF) $(SAN_FLAGS)
ALL_CFLAGS  = $(BASE_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)
LIBS        = $(PKG_LIBS) $(URING_LIBS) -lpthread -lm

ifeq ($(V),1)
Q =
say =
else
Q = @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

# libpacer: what a suite binary links (no jansson needed), all of harness/lib/.
LIB_MAIN = harness/lib/pacer_main.c
LIB_SRC  = $(filter-out $(LIB_MAIN),$(sort $(wildcard harness/lib/*.c)))
# Everything else goes into pacer: the layers above libpacer.
ALL_SRC  = $(sort $(wildcard harness/*/*.c compare/*.c compare/*/*.c plots/*.c site/*.c))
CORE_SRC = $(filter-out harness/cli/main.c $(LIB_MAIN),$(ALL_SRC))

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

PACER      = $(BUILD)/pacer
LIBPACER   = $(BUILD)/libpacer.a
MICRO_SRC  = $(sort $(wildcard suites/micro/*.c))
MICRO_BIN  = $(patsubst %.c,$(BUILD)/%,$(MICRO_SRC))
SERVER_SRC = $(sort $(wildcard suites/targets/*.c))
SERVER_BIN = $(patsubst %.c,$(BUILD)/%,$(SERVER_SRC))
TEST_SRC   = $(sort $(wildcard tests/test_*.c))
TEST_BIN   = $(patsubst %.c,$(BUILD)/%,$(TEST_SRC))
FIXT_SRC   = $(sort $(wildcard tests/fixtures/*.c))
FIXT_BIN   = $(patsubst %.c,$(BUILD)/%,$(FIXT_SRC))

.PHONY: all test check check-valgrind bench bench-asyncio deps install man clean fuzz fuzz-build FORCE
.DEFAULT_GOAL := all

all: $(PACER) $(LIBPACER) $(MICRO_BIN) $(SERVER_BIN)

# ---- dependencies -------------------------------------------------------
deps:
	@missing=""; \
	for p in $(DEB_PKGS) $(EXTRA_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing packages:$$missing (run make as root to install them)" >&2; exit 1; fi; \
	  echo "installing:$$missing"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

# ---- the two commands -----------------------------------------------------
test: deps
	@$(MAKE) --no-print-directory check

check: all $(TEST_BIN) $(FIXT_BIN)
	@/usr/bin/python3 tests/layout.py
	@fail=0; for t in $(TEST_BIN); do \
	  printf '  TEST   %s\n' $$t; \
	  PACER_BUILD=$(BUILD) $$t --jobs 2 || fail=1; \
	done; exit $$fail

# pacer under memcheck in the command tests that run it through pacer_exec
# (tests/helpers.h); the load tests are left out: under valgrind the
# generator is too slow for its runs to be valid.
VG_TESTS = $(addprefix $(BUILD)/tests/,test_cmd_compare test_cmd_show test_cmd_trend \
           test_cmd_plot test_cmd_env test_cmd_run test_cmd_ab test_cmd_store test_cmd_report)
check-valgrind: all $(VG_TESTS) $(FIXT_BIN)
	@fail=0; for t in $(VG_TESTS); do \
	  printf '  VGTEST %s\n' $$t; \
	  PACER_VALGRIND=1 PACER_BUILD=$(BUILD) $$t --jobs 2 || fail=1; \
	done; exit $$fail

RESULTS ?= results
BENCH_SUITE ?= suites/default.json
bench: deps
	@$(MAKE) --no-print-directory all
	@prev=$$(ls $(RESULTS)/*.json 2>/dev/null | grep -v -- '-ab.json$$' | tail -1); \
	echo "PACER_BUILD=$(BUILD) $(PACER) run $(BENCH_SUITE) --save $(RESULTS)"; \
	PACER_BUILD=$(BUILD) $(PACER) run $(BENCH_SUITE) --save $(RESULTS); rc=$$?; \
	new=$$(ls $(RESULTS)/*.json 2>/dev/null | grep -v -- '-ab.json$$' | tail -1); \
	if [ -n "$$prev" ] && [ "$$new" != "$$prev" ]; then \
	  echo; echo "compared with the previous run ($$prev):"; \
	  $(PACER) compare "$$prev" "$$new" --thresholds $(BENCH_SUITE) \
	    --plot $(RESULTS)/plots/compare.png || true; \
	fi; \
	runs=$$(ls $(RESULTS)/*.json 2>/dev/null | grep -v -- '-ab.json$$'); \
	if [ -n "$$runs" ]; then \
	  echo; echo "trend of $(RESULTS)/:"; \
	  $(PACER) trend $$runs --plot $(RESULTS)/plots || true; \
	  echo; echo "the results as a site:"; \
	  $(PACER) report $(RESULTS) -o $(RESULTS)/site || true; \
	fi; \
	exit $$rc

ASYNCIO_SUITE   ?= suites/macro/asyncio-tuning.json
ASYNCIO_RESULTS ?= $(RESULTS)/asyncio
bench-asyncio: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p $(ASYNCIO_RESULTS)/plots
	@echo "PACER_BUILD=$(BUILD) $(PACER) run $(ASYNCIO_SUITE) --save $(ASYNCIO_RESULTS)"; \
	PACER_BUILD=$(BUILD) $(PACER) run $(ASYNCIO_SUITE) --save $(ASYNCIO_RESULTS); rc=$$?; \
	new=$$(ls $(ASYNCIO_RESULTS)/*.json 2>/dev/null | tail -1); \
	[ -n "$$new" ] || exit $$rc; \
	p=$(ASYNCIO_RESULTS)/plots; \
	$(PACER) plot curve $$new --filter saturation -o $$p/saturation.png \
	  --title 'the app at rising open-loop rates: asyncio against uvloop'; \
	$(PACER) plot curve $$new --filter 'limit' -o $$p/limit.png \
	  --title 'a concurrency limit of 16, shedding the excess with 503'; \
	$(PACER) plot latency $$new --filter 'store-.*connections=64$$' -o $$p/latency-store.png; \
	$(PACER) plot latency $$new --filter 'slow-store' -o $$p/latency-timeout.png; \
	$(PACER) plot load $$new --bench asyncio-tuning/store-per-request/connections=64 \
	  -o $$p/timeline-per-request.png; \
	$(PACER) plot load $$new --bench asyncio-tuning/store-pool/connections=64 \
	  -o $$p/timeline-pool.png; \
	$(PACER) plot capacity $$new --bench asyncio-tuning/capacity-asyncio -o $$p/capacity-asyncio.png; \
	$(PACER) plot capacity $$new --bench asyncio-tuning/capacity-uvloop -o $$p/capacity-uvloop.png; \
	echo; /usr/bin/python3 suites/macro/asyncio_table.py \
	  --overload-ok no-limit,saturation-asyncio,saturation-uvloop $$new \
	  > $(ASYNCIO_RESULTS)/table.md; t=$$?; cat $(ASYNCIO_RESULTS)/table.md; \
	if [ $$rc -eq 3 ] && [ $$t -eq 0 ]; then \
	  echo "bench-asyncio: the runs not valid are points past the app's capacity with no limit," \
	    "as the suite means them (their p99 is a floor, marked in the table)"; rc=0; fi; \
	exit $$rc

# ---- fuzzing -------------------------------------------------------------
# Each tests/fuzz/fuzz_NAME.c feeds one parser; built with clang's libFuzzer
# and the sanitizers, everything else instrumented for coverage.
FUZZ_SRC   = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(FUZZ_SRC))
FUZZ_TIME ?= 60
FUZZ_CC   ?= clang-14
FUZZ_ONLY ?= $(FUZZ_NAMES)
fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build CC=$(FUZZ_CC) BUILD=$(BUILD)/fuzz \
	  SANITIZE=fuzzer-no-link,address,undefined
	@tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_TIME) $(FUZZ_ONLY)

fuzz-build: $(patsubst %,$(BUILD)/tests/fuzz/fuzz_%,$(FUZZ_NAMES))

$(BUILD)/tests/fuzz/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(call obj,$(CORE_SRC))
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LIBS)

# ---- build rules --------------------------------------------------------
$(BUILD)/buildinfo.h: FORCE | $(BUILD)/.
	@printf '#define PACER_BUILD_CC "%s"\n#define PACER_BUILD_CFLAGS "%s"\n#define PACER_SRCDIR "%s"\n' \
	  "$$($(CC) --version | head -1)" "$(strip $(ALL_CFLAGS))" "$(CURDIR)" > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

# The report site's scripts and styles, built into pacer as byte arrays.
SITE_ASSETS = $(sort $(wildcard site/assets/*))
$(BUILD)/site_assets.h: $(SITE_ASSETS) Makefile | $(BUILD)/.
	$(call say,GEN,$@){ i=0; for f in $(SITE_ASSETS); do \
	  printf 'static const unsigned char asset_%d[] = {\n' $$i; \
	  od -An -v -tx1 $$f | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; printf '};\n'; i=$$((i+1)); \
	done; printf 'static const struct asset assets[] = {\n'; i=0; \
	for f in $(SITE_ASSETS); do \
	  printf '    {"%s", asset_%d, sizeof asset_%d},\n' $$(basename $$f) $$i $$i; i=$$((i+1)); \
	done; printf '};\n'; } > $@.tmp && mv $@.tmp $@
$(BUILD)/site/site_assets.o: $(BUILD)/site_assets.h

# Benchmarks include "pacer.h" as users do: cc -Iharness/lib.
$(BUILD)/suites/%.o $(BUILD)/tests/fixtures/%.o: ALL_CFLAGS += -Iharness/lib

$(BUILD)/%.o: %.c $(BUILD)/buildinfo.h | $(BUILD)/.
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBPACER): $(call obj,$(LIB_SRC) $(LIB_MAIN))
	$(call say,AR,$@)rm -f $@ && $(AR) rcs $@ $^

$(PACER): $(call obj,harness/cli/main.c $(CORE_SRC))
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# Suite binaries and test fixtures: one C file each, linked with libpacer.
$(BUILD)/suites/micro/%: $(BUILD)/suites/micro/%.o $(LIBPACER)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBPACER) $(LIBS)

$(BUILD)/tests/fixtures/%: $(BUILD)/tests/fixtures/%.o $(LIBPACER)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBPACER) $(LIBS)

# Test servers the load generator runs against: standalone, no libpacer.
$(BUILD)/suites/targets/%: $(BUILD)/suites/targets/%.o
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $< -lpthread -lm

# The compare detector benchmark (suites/self/detector.c): not part of all.
$(BUILD)/self/detector: $(BUILD)/suites/self/detector.o $(call obj,$(CORE_SRC))
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# The change-point accuracy benchmark (suites/self/cpaccuracy.c): not part of all.
$(BUILD)/self/cpaccuracy: $(BUILD)/suites/self/cpaccuracy.o $(call obj,$(CORE_SRC))
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# What a timer wake-up costs (suites/self/wakecost.c): not part of all.
$(BUILD)/self/wakecost: $(BUILD)/suites/self/wakecost.o
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^

# What the load monitor costs a sample (suites/self/moncost.c): not part of all.
$(BUILD)/self/moncost: $(BUILD)/suites/self/moncost.o $(call obj,$(CORE_SRC))
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# The load generator's work per response (suites/self/loadpath.c): not part of all.
$(BUILD)/self/loadpath: $(BUILD)/suites/self/loadpath.o $(call obj,$(CORE_SRC) $(LIB_MAIN))
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(call obj,$(CORE_SRC))
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CRIT_LIBS) $(LIBS)

$(BUILD)/.:
	@mkdir -p $@

# ---- install / clean ------------------------------------------------------
# The man pages, made by help2man from the --help texts (pacer(1) and one
# pacer-COMMAND(1) per command of `pacer --help`), and a pkg-config file.
MAN_DIR = $(BUILD)/man
man: $(PACER)
	@mkdir -p $(MAN_DIR)
	@v=$$($(PACER) --version | sed 's/^pacer //'); w=$$(mktemp -d); \
	help2man --no-info --version-string="$$v" -N \
	  --name="performance benchmarks run, stored and compared" -o $(MAN_DIR)/pacer.1 $(PACER) && \
	$(PACER) --help | awk '/^commands:/ {f = 1; next} /^$$/ {f = 0} \
	  f {c = $$1; sub(/^ *[^ ]+ +/, ""); print c "\t" $$0}' | \
	while IFS='	' read -r c d; do \
	  printf '#!/bin/sh\nexec %s %s "$$@"\n' $(abspath $(PACER)) "$$c" > $$w/pacer-$$c; \
	  chmod +x $$w/pacer-$$c; \
	  help2man --no-info --version-string="$$v" -N --name="$$d" \
	    -o $(MAN_DIR)/pacer-$$c.1 $$w/pacer-$$c || exit 1; \
	done; rc=$$?; rm -rf $$w; exit $$rc

$(BUILD)/pacer.pc: FORCE
	@printf 'prefix=%s\nincludedir=$${prefix}/include\nlibdir=$${prefix}/lib\n\nName: pacer\nDescription: micro benchmarks for pacer (libpacer: the timing loop, registration, workers)\nVersion: %s\nCflags: -I$${includedir}\nLibs: -L$${libdir} -lpacer -lm -lpthread %s\n' \
	  '$(PREFIX)' "$$(sed -n 's/^#define PACER_VERSION "\(.*\)"/\1/p' harness/result/version.h)" \
	  '$(SAN_FLAGS)' > $@.tmp && \
	  mv $@.tmp $@

install: all man $(BUILD)/pacer.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/lib/pacer/python
	install -m 755 $(PACER) $(DESTDIR)$(PREFIX)/bin/pacer
	install -m 644 harness/lib/pacer.py $(DESTDIR)$(PREFIX)/lib/pacer/python/pacer.py
	install -m 644 harness/lib/pacer.h $(DESTDIR)$(PREFIX)/include/pacer.h
	install -m 644 $(LIBPACER) $(DESTDIR)$(PREFIX)/lib/libpacer.a
	install -m 644 $(BUILD)/pacer.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/pacer.pc
	install -m 644 $(MAN_DIR)/*.1 $(DESTDIR)$(PREFIX)/share/man/man1
	$(PACER) --completion bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/pacer
	$(PACER) --completion zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_pacer

clean:
	rm -rf $(BUILD)

FORCE:

.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
