# roost — build, run, test, bench.
#
#   make                 build src/roost-server
#   make run             build and start it with ./redis.conf
#   make test            build and run every suite; last line "N passed, N failed"
#   make test SANITIZE=address|thread   the same suites under a sanitizer
#   make bench           side-by-side benchmarks against redis-server
#   make bench-runtime   runtime micro-benchmarks (switch, park/ready, echo)
#
# Objects go to build/ (build-address/, build-thread/ with SANITIZE). Missing
# system packages are installed by deps/install on the first build.

SANITIZE ?=
BUILD    := build$(if $(SANITIZE),-$(SANITIZE))
CC       ?= gcc
UNAME_M  := $(shell uname -m)
ARCH     := $(if $(filter aarch64 arm64,$(UNAME_M)),arm64,amd64)

CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Wno-unused-parameter -Wshadow -pthread \
            -D_GNU_SOURCE -fno-strict-aliasing -MMD -MP -Isrc
LDFLAGS  += -pthread
# scripting: Debian's Lua 5.1 with its cjson and bitop modules (deps/packages)
LUA_CFLAGS := -I/usr/include/lua5.1
LUA_LIBS   := -llua5.1-cjson -llua5.1-bitop -llua5.1
CFLAGS   += $(LUA_CFLAGS)
LDLIBS   += $(LUA_LIBS)

ifeq ($(SANITIZE),address)
  CFLAGS  += -fsanitize=address -fno-omit-frame-pointer
  LDFLAGS += -fsanitize=address
else ifeq ($(SANITIZE),thread)
  CFLAGS  += -fsanitize=thread
  LDFLAGS += -fsanitize=thread
else ifneq ($(SANITIZE),)
  $(error SANITIZE must be address or thread)
endif

# ---- sources -----------------------------------------------------------------

RT_SRC   := $(wildcard src/runtime/*.c) src/runtime/ctx_$(ARCH).S
RT_OBJ   := $(patsubst src/%,$(BUILD)/%.o,$(RT_SRC))
RT_LIB   := $(BUILD)/libroostrt.a

SRV_SRC  := $(wildcard src/storage/*.c src/server/*.c src/types/*.c src/persist/*.c)
SRV_OBJ  := $(patsubst src/%,$(BUILD)/%.o,$(SRV_SRC))
SRV_LIB  := $(BUILD)/libroost.a
SERVER   := $(if $(SANITIZE),$(BUILD)/roost-server,src/roost-server)
JEMALLOC := $(if $(SANITIZE),,-ljemalloc)

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRC))

INTEG_SRC := $(wildcard tests/integration/test_*.c)
INTEG_BIN := $(patsubst tests/integration/%.c,$(BUILD)/tests/integration/%,$(INTEG_SRC))
HARNESS   := tests/integration/harness.c tests/integration/harness.h

BENCH_RT := $(BUILD)/tests/bench/bench_runtime $(BUILD)/tests/bench/echo_epoll

DEPS_OK  := $(BUILD)/.deps-ok

.PHONY: all run test test-oracle bench bench-runtime clean deps
all: $(SERVER)

run: $(SERVER)
	$(SERVER) ./redis.conf

# ---- dependencies --------------------------------------------------------------

# Re-checked whenever deps/packages changes; deps/install is quiet and quick
# when nothing is missing.
$(DEPS_OK): deps/packages deps/install
	@deps/install
	@mkdir -p $(@D) && touch $@

deps:
	@deps/install

# ---- build ---------------------------------------------------------------------

$(BUILD)/%.c.o: src/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/%.S.o: src/%.S | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(RT_LIB): $(RT_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(SRV_LIB): $(SRV_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(SERVER): $(BUILD)/main.c.o $(SRV_LIB) $(RT_LIB)
	$(CC) -o $@ $^ $(LDFLAGS) $(JEMALLOC) -lm $(LDLIBS)

# Criterion cannot start under TSan (Snaipe/Criterion#274): TSan builds use
# the stand-in in tests/unit/tsan (same test files, same summary line).
ifeq ($(SANITIZE),thread)
  CRITERION_INC := -Itests/unit/tsan
  CRITERION_LIB := tests/unit/tsan/shim_main.c
else
  CRITERION_INC :=
  CRITERION_LIB := -lcriterion
endif

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/rt_test.h $(SRV_LIB) $(RT_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(CRITERION_INC) -Itests/unit -o $@ $< $(SRV_LIB) $(RT_LIB) $(CRITERION_LIB) $(LDFLAGS) $(JEMALLOC) -lm $(LDLIBS)

# integration tests talk to the server over sockets: no sanitizer in the
# test binary itself; the server under test carries it
$(BUILD)/tests/integration/%: tests/integration/%.c $(HARNESS) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter -D_GNU_SOURCE -Itests/integration \
		-o $@ $< tests/integration/harness.c -lhiredis -pthread

$(BUILD)/tests/bench/%: tests/bench/%.c $(RT_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(RT_LIB) $(LDFLAGS) $(LDLIBS)

# ---- test ----------------------------------------------------------------------

test: $(UNIT_BIN) $(INTEG_BIN) $(SERVER)
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) ROOST_SERVER=$(abspath $(SERVER)) \
		tests/run $(UNIT_BIN) $(INTEG_BIN)

# the integration suites against the real Redis: checks our expectations
test-oracle: $(INTEG_BIN) $(BUILD)/tests/integration/harness_selftest
	@ROOST_ORACLE=redis tests/run $(BUILD)/tests/integration/harness_selftest $(INTEG_BIN)

# ---- bench ---------------------------------------------------------------------

bench: $(SERVER)
	@BUILD=$(BUILD) ROOST_SERVER=$(abspath $(SERVER)) tests/bench/run_server_bench

bench-runtime: $(BENCH_RT)
	@BUILD=$(BUILD) tests/bench/run_runtime

clean:
	rm -rf build build-address build-thread

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
