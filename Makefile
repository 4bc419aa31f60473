# SPDX-License-Identifier: GPL-2.0-only
#
# Builds and runs the xe virtual GPU driver inside a Debian linux-source-6.12
# tree, under QEMU.  `make run` and `make test` do every step themselves,
# from installing packages on a fresh Debian machine to booting the guest.

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD := $(TOP)/build
KTAR := /usr/src/linux-source-6.12.tar.xz
KSRC := $(BUILD)/linux-source-6.12
OUT := $(BUILD)/out
JOBS ?= $(shell nproc)

export CCACHE_DIR ?= $(HOME)/.cache/xe-ccache
export CCACHE_BASEDIR := $(BUILD)
export CCACHE_NOHASHDIR := 1
export CCACHE_SLOPPINESS := time_macros,include_file_mtime,include_file_ctime
export CCACHE_MAXSIZE ?= 8G
export KBUILD_BUILD_TIMESTAMP := 2024-01-01
export KBUILD_BUILD_USER := xe
export KBUILD_BUILD_HOST := xe-build

KMAKE = $(MAKE) -C $(KSRC) O=$(OUT)/$(1) ARCH=x86_64 CC="ccache gcc" \
	HOSTCC="ccache gcc" -j$(JOBS)

UAPI_TESTS := $(patsubst %.c,%,$(notdir $(wildcard tests/igt/xe_*.c)))
FUZZERS := $(patsubst %.c,%,$(notdir $(wildcard tests/fuzz/xe_*.c)))
TOOLS := xe-query xe-svm-demo
BENCHES := $(patsubst %.c,%,$(notdir $(wildcard bench/xe_*.c)))
USER_CFLAGS = -O2 -g -Wall -Wextra -Wno-unused-parameter -D_GNU_SOURCE \
	-I$(OUT)/$(1)/usr/include -I$(KSRC)/tools/testing/selftests \
	-Itests/igt/lib -pthread

.PHONY: all run test fuzz deps igt-deps igt-build igt igt-full source graft bench clean \
	distclean check FORCE

all: kernel-release

# --- set-up ----------------------------------------------------------------

deps: $(BUILD)/.deps
$(BUILD)/.deps: tools/install-deps
	@mkdir -p $(BUILD)
	tools/install-deps
	@touch $@

igt-deps: $(BUILD)/.igt-deps
$(BUILD)/.igt-deps: tools/install-igt-deps | $(BUILD)/.deps
	tools/install-igt-deps
	@touch $@

source: $(KSRC)/.unpacked
$(KSRC)/.unpacked: $(BUILD)/.deps
	rm -rf $(KSRC)
	tar -xf $(KTAR) -C $(BUILD)
	rm -rf $(KSRC)/drivers/gpu/drm/xe $(KSRC)/Documentation/gpu/xe
	@touch $@

# Copy the project's files over the tree; rsync keeps modification times,
# so only what changed is rebuilt.
graft: $(KSRC)/.unpacked
	rsync -a --delete drivers/gpu/drm/xe/ $(KSRC)/drivers/gpu/drm/xe/
	rsync -a --delete Documentation/gpu/xe/ $(KSRC)/Documentation/gpu/xe/
	rsync -a include/uapi/drm/xe_drm.h $(KSRC)/include/uapi/drm/xe_drm.h

# --- kernels -----------------------------------------------------------------

# Kept between runs: make would otherwise delete it as an intermediate file.
.PRECIOUS: $(OUT)/%/.config

$(OUT)/%/.config: configs/base.config configs/%.config tools/kconfig-merge | graft
	tools/kconfig-merge $(KSRC) $(OUT)/$* configs/base.config configs/$*.config

kernel-%: graft $(OUT)/%/.config FORCE
	+$(call KMAKE,$*) bzImage modules
	+$(call KMAKE,$*) headers >/dev/null
	rm -rf $(OUT)/$*/mods
	+$(call KMAKE,$*) INSTALL_MOD_PATH=$(OUT)/$*/mods modules_install >/dev/null

# --- userspace ---------------------------------------------------------------

user-%: kernel-% FORCE
	@mkdir -p $(OUT)/$*/user
	@set -e; for t in $(UAPI_TESTS); do \
		gcc $(call USER_CFLAGS,$*) -o $(OUT)/$*/user/$$t tests/igt/$$t.c \
			tests/igt/lib/*.c; \
	done
	@set -e; for t in $(FUZZERS); do \
		gcc $(call USER_CFLAGS,$*) -o $(OUT)/$*/user/$$t tests/fuzz/$$t.c \
			tests/igt/lib/*.c; \
	done
	@set -e; for t in $(TOOLS); do \
		gcc $(call USER_CFLAGS,$*) -o $(OUT)/$*/user/$$t tools/$$t.c; \
	done
	@mkdir -p $(OUT)/$*/bench
	@set -e; for b in $(BENCHES); do \
		gcc $(call USER_CFLAGS,$*) -o $(OUT)/$*/bench/$$b bench/$$b.c; \
	done

# Upstream IGT's xe tests, from IGT_SRC (default: the snapshot next to the
# repository), built out of tree into build/igt/; see tools/build-igt.
igt-build: igt-deps
	tools/build-igt

# --- the two commands --------------------------------------------------------

# The device's queries, then a program using malloc'd memory on the GPU; both
# must succeed.
run: user-release
	tools/vm-run --kernel $(OUT)/release --log $(OUT)/release/run.log -- \
		sh -c '$(OUT)/release/user/xe-query && $(OUT)/release/user/xe-svm-demo'

test: user-debug igt-build
	python3 tests/run-tests --kernel $(OUT)/debug --results $(OUT)/debug/results

# Only the upstream IGT suites; igt-full adds the subtests the list marks slow.
igt: user-debug igt-build
	python3 tests/run-tests --kernel $(OUT)/debug --results $(OUT)/debug/igt-results \
		--only 'igt:*'

igt-full: user-debug igt-build
	python3 tests/run-tests --kernel $(OUT)/debug --results $(OUT)/debug/igt-results \
		--only 'igt:*' --igt-full --igt-timeout 7200 --igt-subtest-timeout 900

# A long fuzzing run with a random seed (printed; see README.md), in the debug
# VM, with the test runner's splat detection.  FUZZ_ARGS adds options.
FUZZ_SECONDS ?= 1800
FUZZ_ARGS ?=
FUZZ_RESULTS = $(OUT)/debug/fuzz-results

fuzz: user-debug
	@rc=0; XE_FUZZ_ARGS="--seed random --seconds $(FUZZ_SECONDS) $(FUZZ_ARGS)" \
		python3 tests/run-tests --kernel $(OUT)/debug --results $(FUZZ_RESULTS) \
		--only xe_fuzz --timeout $$(($(FUZZ_SECONDS) + 600)) || rc=$$?; \
	grep -h -e '^# seed' -e '^# calls' $(FUZZ_RESULTS)/xe_fuzz/xe_fuzz.tap 2>/dev/null; \
	echo "fuzz report: $(FUZZ_RESULTS)/xe_fuzz/xe_fuzz.tap"; \
	exit $$rc

# Performance, measured in one run of the release kernel; see bench/.
bench: user-release
	tools/vm-run --kernel $(OUT)/release --log $(OUT)/release/bench.log -- \
		$(OUT)/release/bench/xe_bench

check: graft $(OUT)/release/.config
	tools/check-style $(KSRC) $(OUT)/release

clean:
	rm -rf $(OUT)

distclean:
	rm -rf $(BUILD)

FORCE:
