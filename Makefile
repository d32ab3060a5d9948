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
LDLIBS   +=

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

BENCH_RT := $(BUILD)/tests/bench/bench_runtime $(BUILD)/tests/bench/echo_epoll

DEPS_OK  := $(BUILD)/.deps-ok

.PHONY: all run test bench bench-runtime clean deps
all: $(RT_LIB) $(if $(wildcard src/main.c),$(SERVER))

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

$(BUILD)/tests/unit/%: tests/unit/%.c tests/unit/rt_test.h $(SRV_LIB) $(RT_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(SRV_LIB) $(RT_LIB) $(LDFLAGS) -lcriterion $(JEMALLOC) -lm $(LDLIBS)

$(BUILD)/tests/bench/%: tests/bench/%.c $(RT_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(RT_LIB) $(LDFLAGS) $(LDLIBS)

# ---- test ----------------------------------------------------------------------

test: $(UNIT_BIN)
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) tests/run $(UNIT_BIN)

# ---- bench ---------------------------------------------------------------------

bench-runtime: $(BENCH_RT)
	@BUILD=$(BUILD) tests/bench/run_runtime

clean:
	rm -rf build build-address build-thread

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
