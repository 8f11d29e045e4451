# recam — build, run and test. See README.md and docs/build.md.
#   make          bin/recam (release, hardened)
#   make run      build, create the demo tenant, serve on 127.0.0.1:8080
#   make test     ASan+UBSan build, unit tests, API tests, docs check
#   make fuzz     libFuzzer targets for a bounded time (not part of test)
#   make bench    benchmarks (not part of test); see bench/README.md

CC      ?= cc
PYTHON  := /usr/bin/python3
# Every library recam links; scripts/deps.sh installs their -dev packages.
PKGS    := libmicrohttpd gnutls jansson sqlite3 libsodium libutf8proc tesseract lept libheif libexif xlsxwriter

SRC      := $(sort $(shell find src -name '*.c'))
MAIN_SRC := src/cli/main.c
LIB_SRC  := $(filter-out $(MAIN_SRC),$(SRC)) build/gen/migrations.c build/gen/kana_words.c build/gen/kanji_words.c
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
MIGRATIONS := $(sort $(wildcard db/migrations/*/*.sql))

# Evaluated when a recipe runs, after the deps stamp installed pkg-config files.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lpthread -lm

WARN    := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
HARDEN  := -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE
BASE    := -std=c11 -D_GNU_SOURCE -Isrc -Ibuild/gen -MMD -MP $(WARN)
CFLAGS_REL  = $(BASE) -O2 -g $(HARDEN) $(PKG_CFLAGS)
CFLAGS_ASAN = $(BASE) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=all -fstack-protector-strong -fPIE -DRECAM_TEST_BUILD $(PKG_CFLAGS)
LDFLAGS_REL  := -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack
LDFLAGS_ASAN := -fsanitize=address,undefined -pie -Wl,-z,relro,-z,now

REL_OBJ  := $(patsubst %.c,build/rel/%.o,$(LIB_SRC))
ASAN_OBJ := $(patsubst %.c,build/asan/%.o,$(LIB_SRC))
UNIT_OBJ := $(patsubst %.c,build/asan/%.o,$(UNIT_SRC))
DEPS_STAMP := build/.deps-build
TEST_DEPS_STAMP := build/.deps-test

.PHONY: all run test unit api e2e fuzz bench docs check-docs clean deps
all: bin/recam

$(DEPS_STAMP): scripts/deps.sh
	@mkdir -p build
	scripts/deps.sh build
	@touch $@
$(TEST_DEPS_STAMP): scripts/deps.sh
	@mkdir -p build
	scripts/deps.sh test
	@touch $@
deps: $(DEPS_STAMP)

build/gen/migrations.c: scripts/embed_migrations.sh $(MIGRATIONS)
	@mkdir -p build/gen
	scripts/embed_migrations.sh $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

# The katakana words of the reader's item names (src/receipt/kana_lex.h),
# from the dictionaries scripts/deps.sh installs.
build/gen/kana_words.c: scripts/embed_kana_words.sh scripts/embed_words.sh scripts/embed_slips.sh src/receipt/kana_confusions.tsv | $(DEPS_STAMP)
	@mkdir -p build/gen
	scripts/embed_kana_words.sh > $@.tmp && mv $@.tmp $@

# The kanji words and the measured kanji slips of the item names
# (src/receipt/kanji_lex.h).
build/gen/kanji_words.c: scripts/embed_kanji_words.sh scripts/embed_words.sh scripts/embed_slips.sh src/receipt/kanji_confusions.tsv | $(DEPS_STAMP)
	@mkdir -p build/gen
	scripts/embed_kanji_words.sh > $@.tmp && mv $@.tmp $@

build/rel/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_REL) -c $< -o $@
build/asan/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ASAN) -c $< -o $@

bin/recam: build/rel/$(MAIN_SRC:.c=.o) $(REL_OBJ)
	@mkdir -p bin
	$(CC) $(LDFLAGS_REL) -o $@ $^ $(PKG_LIBS)

build/asan/recam: build/asan/$(MAIN_SRC:.c=.o) $(ASAN_OBJ)
	$(CC) $(LDFLAGS_ASAN) -o $@ $^ $(PKG_LIBS)

build/asan/unit-tests: $(UNIT_OBJ) $(ASAN_OBJ) | $(TEST_DEPS_STAMP)
	$(CC) $(LDFLAGS_ASAN) -o $@ $^ $(PKG_LIBS) -lcriterion

run: bin/recam
	RECAM_DATA_DIR=$${RECAM_DATA_DIR:-./var} bin/recam demo demo/campaign.json
	RECAM_DATA_DIR=$${RECAM_DATA_DIR:-./var} exec bin/recam serve

# Sanitizer settings shared by every tier: any report fails the test.
export ASAN_OPTIONS := detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

test: unit api e2e check-docs
# The failures are printed again at the end: CI shows the log's tail.
unit: build/asan/unit-tests build/asan/recam
	RECAM_BIN=$(CURDIR)/build/asan/recam build/asan/unit-tests --jobs 2 >build/asan/unit.log 2>&1; \
	rc=$$?; cat build/asan/unit.log; \
	if [ $$rc -ne 0 ]; then echo "== unit tests failed:"; grep -E '^\[(----|FAIL)\]' build/asan/unit.log; fi; \
	exit $$rc
api: build/asan/recam | $(TEST_DEPS_STAMP)
	$(PYTHON) -m pytest -q -p no:cacheprovider tests/receipts
	RECAM_BIN=$(CURDIR)/build/asan/recam $(PYTHON) -m pytest -q -p no:cacheprovider tests/api
e2e: build/asan/recam | $(TEST_DEPS_STAMP)
	RECAM_BIN=$(CURDIR)/build/asan/recam tests/e2e/run.sh

docs: bin/recam
	bin/recam config --markdown > docs/configuration.md
	bin/recam config --sample > recam.conf.sample
check-docs: build/asan/recam
	build/asan/recam config --markdown | diff -u docs/configuration.md - \
	  || { echo "docs/configuration.md is stale: run 'make docs'"; exit 1; }
	build/asan/recam config --sample | diff -u recam.conf.sample - \
	  || { echo "recam.conf.sample is stale: run 'make docs'"; exit 1; }

FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) | $(DEPS_STAMP)
	@mkdir -p build/fuzz
	clang -std=c11 -D_GNU_SOURCE -Isrc -Ibuild/gen -g -O1 -fsanitize=fuzzer,address,undefined \
	  $(PKG_CFLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIBS)
fuzz: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build/fuzz/corpus-$$(basename $$t); \
	  echo "fuzzing $$t for $(FUZZ_SECONDS)s"; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=build/fuzz/ \
	      build/fuzz/corpus-$$(basename $$t) \
	      tests/fuzz/seeds/$$(basename $$t) || exit 1; \
	done

bench: bin/recam | $(TEST_DEPS_STAMP)
	bench/run.sh

clean:
	rm -rf build bin

-include $(shell find build -name '*.d' 2>/dev/null)
