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
else
BUILD   ?= build
endif

LIB_SRC  := $(sort $(shell find src -name '*.c' ! -name main.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/*.c))
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)

.PHONY: all deps test test-unit test-e2e test-san bench paper clean
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

deps:
	@bash scripts/install-deps.sh

# Every test: unit tests, then end-to-end tests through the CLI. Last line: "N passed, N failed".
test: deps
	@$(MAKE) --no-print-directory $(BUILD)/vlift $(BUILD)/unit_tests $(BUILD)/fake_tool
	@bash scripts/run-tests.sh $(BUILD)

# The same suite under ASan/UBSan (used by .ci/run).
test-san: deps
	@$(MAKE) --no-print-directory SAN=1 test

bench: deps all
	@bash scripts/bench.sh

# The paper's evaluation: every tool of suites/flaggems.yaml, 3 repetitions, tables and figures
# in results/paper/ (scripts/paper.sh).
paper: deps all
	@bash scripts/paper.sh

clean:
	rm -rf build build-san

-include $(shell find build build-san -name '*.d' 2>/dev/null)
