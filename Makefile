# vlift — build, test and benchmark. `make` builds build/vlift; `make test` and `make bench`
# first make sure the system dependencies are present (scripts/install-deps.sh).
CC      ?= cc
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Isrc
DEPS_CFLAGS := $(shell pkg-config --cflags z3 yaml-0.1 2>/dev/null)
DEPS_LIBS   := $(shell pkg-config --libs z3 yaml-0.1 2>/dev/null || echo -lz3 -lyaml)
LDLIBS  += $(DEPS_LIBS) -lpthread -lm

# SAN=1 builds everything with AddressSanitizer + UndefinedBehaviorSanitizer into build-san/.
ifeq ($(SAN),1)
BUILD   ?= build-san
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
else ifeq ($(FUZZ),1)
# FUZZ=1 (used by `make fuzz`): clang with libFuzzer coverage plus ASan/UBSan into build-fuzz/.
BUILD   ?= build-fuzz
CFLAGS  += -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=fuzzer,address,undefined
else
BUILD   ?= build
endif

LIB_SRC  := $(sort $(shell find src -name '*.c' ! -name main.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/*.c))
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)

# Fuzz targets (tests/fuzz/fuzz_<target>.c): linked with libFuzzer by `make fuzz`, and with a
# plain main (tests/fuzz/replay.c) into fuzz_replay_<target>, which `make test` runs on the seed
# corpora and the regression inputs.
FUZZ_TARGETS := triton manifest formula exec
FUZZ_REPLAY  := $(FUZZ_TARGETS:%=$(BUILD)/fuzz_replay_%)
FUZZ_SECONDS ?= 60

.PHONY: all deps test test-unit test-e2e test-san bench paper clean fuzz fuzz-build
all: $(BUILD)/vlift

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEPS_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/vlift: $(BUILD)/obj/src/main.o $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/unit_tests: $(TEST_OBJ) $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The benchmark harness's test double (tests/fake_tool), never sanitized: it runs under RLIMIT_AS.
$(BUILD)/fake_tool: tests/fake_tool/fake_tool.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/fuzz_replay_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/obj/tests/fuzz/replay.o $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

deps:
	@bash scripts/install-deps.sh

# Every test: unit tests, then end-to-end tests through the CLI. Last line: "N passed, N failed".
test: deps
	@$(MAKE) --no-print-directory $(BUILD)/vlift $(BUILD)/unit_tests $(BUILD)/fake_tool $(FUZZ_REPLAY)
	@SANITIZED=$(if $(filter 1,$(SAN)),1,0) bash scripts/run-tests.sh $(BUILD)

# The same suite under ASan/UBSan (used by .ci/run).
# The same suite under ASan/UBSan/LeakSanitizer (used by .ci/run); any sanitizer report from any
# process the tests start fails the run (scripts/run-tests.sh with SANITIZED=1).
test-san: deps
	@$(MAKE) --no-print-directory SAN=1 test

# Builds the libFuzzer targets with clang into build-fuzz/ and runs each for FUZZ_SECONDS
# (scripts/fuzz.sh; new crashes are left in build-fuzz/crashes/<target>/).
fuzz: deps
	@bash scripts/install-deps.sh --fuzz
	@$(MAKE) --no-print-directory FUZZ=1 CC=$${FUZZ_CC:-clang} fuzz-build
	@bash scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_TARGETS:%=$(BUILD)/fuzz_%)
.PRECIOUS: $(BUILD)/obj/tests/fuzz/%.o

bench: deps all
	@bash scripts/bench.sh

# The paper's evaluation: every tool of suites/flaggems.yaml, 3 repetitions, tables and figures
# in results/paper/ (scripts/paper.sh).
paper: deps all
	@bash scripts/paper.sh

clean:
	rm -rf build build-san build-fuzz

-include $(shell find build build-san build-fuzz -name '*.d' 2>/dev/null)
