# masq: the two commands a newcomer needs are `make demo` and `make test`.
# Every target installs missing Debian packages first (scripts/install-deps.sh).

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 20

.PHONY: all deps build test test-unit fuzz bench demo format clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

# Every test: the unit, model, scenario and replay suites under ASan+UBSan,
# ThreadSanitizer on the suites with threads (the tsan build preset builds
# only their targets), everything on the release build, the netns end-to-end
# tests (label netns) among it, once, then a short libFuzzer run of every
# fuzz target.
test: deps
	cmake --preset asan-ubsan
	cmake --build --preset asan-ubsan -j $(JOBS)
	cmake --preset release
	cmake --build --preset release -j $(JOBS)
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS)
	ctest --preset asan-ubsan -j $(JOBS) -LE netns
	ctest --preset release -j $(JOBS)
	ctest --preset tsan -L threads
	$(MAKE) --no-print-directory fuzz

fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS) --target fuzz_engine fuzz_parse fuzz_reassembler fuzz_pcp
	scripts/run-fuzzers.sh build/fuzz $(FUZZ_SECONDS)

# Engine micro-benchmarks, then masqd against the kernel's nftables
# masquerade in the same namespaces. Reported, never gated.
# Instructions are counted on an x86-64-v3 build: valgrind 3.19 stops at
# AVX-512, which -march=native uses where the CPU has it.
bench: build
	cmake --preset callgrind
	cmake --build --preset callgrind -j $(JOBS) --target masq_bench_instructions
	MASQ_BENCH_COUNTER=build/callgrind/bench/masq_bench_instructions scripts/run-bench.sh build/release
	scripts/bench-e2e.sh build/release

# A namespace network with masqd in the middle: traffic, the session table, teardown.
demo: build
	scripts/demo.sh build/release

format:
	find include src apps tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

clean:
	rm -rf build
