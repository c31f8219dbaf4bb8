# The two entry points: `make demo` and `make test`. Each installs the Debian packages it
# needs when they are missing, configures a Release build in build/, builds, then runs.
SHELL := /bin/bash
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
DEBS = cmake make g++ verilator libfmt-dev libcli11-dev nlohmann-json3-dev catch2 libsystemc-dev libpugixml-dev

FUZZ_BUILD ?= build-fuzz-ci
FUZZ_SECONDS ?= 60
FUZZ_DEBS = clang libclang-rt-14-dev

.PHONY: demo test test-sanitize fuzz-smoke deps build build-sanitize bench clean

deps:
	@missing=""; for p in $(DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	./$(BUILD)/tandem run

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

bench: build
	./$(BUILD)/tandem bench

build-sanitize: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j$(JOBS)

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize: build-sanitize
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j$(JOBS)

# The register-map readers under libFuzzer (clang, ASan+UBSan) for FUZZ_SECONDS each, from the
# test corpus and every bundled .rdl: CI's fuzz budget. A crash fails the target.
fuzz-smoke: deps
	@missing=""; for p in $(FUZZ_DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_FUZZ=ON
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target rdl_fuzz svd_fuzz
	rm -rf $(FUZZ_BUILD)/seeds && mkdir -p $(FUZZ_BUILD)/seeds && find devices tests/data/regmaps fuzz/corpus \( -name "*.rdl" -o -name "*.svd" \) -exec cp {} $(FUZZ_BUILD)/seeds/ \;
	for r in rdl svd; do \
	  rm -rf $(FUZZ_BUILD)/corpus-$$r && mkdir -p $(FUZZ_BUILD)/corpus-$$r && \
	  ./$(FUZZ_BUILD)/fuzz/$${r}_fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/crash-$$r- $(FUZZ_BUILD)/corpus-$$r $(FUZZ_BUILD)/seeds 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY)|Done" ; \
	  test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
