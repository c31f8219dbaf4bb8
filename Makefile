# The two entry points: `make demo` and `make test`. Each installs the Debian packages it
# needs when they are missing, configures a Release build in build/, builds, then runs.
SHELL := /bin/bash
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
DEBS = cmake make g++ verilator libfmt-dev libcli11-dev nlohmann-json3-dev catch2 libsystemc-dev libpugixml-dev \
  libtomlplusplus-dev clang-format parallel pkg-config

# Warnings are errors in tandem's own code (CI builds exactly this); ccache, when installed,
# keeps rebuilds of other trees cheap.
CMAKE_FLAGS ?= -DTANDEM_WERROR=ON $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

FUZZ_BUILD ?= build-fuzz-ci
FUZZ_SECONDS ?= 60
FUZZ_DEBS = clang libclang-rt-14-dev

.PHONY: demo test test-sanitize fuzz-smoke deps build build-sanitize bench clean format out-of-tree

deps:
	@missing=""; for p in $(DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

# The default campaign (every bundled device, clean), then what the tool is for: a seeded bug
# (tandem-mutants: seldev's model trusts its unit-select register) caught, shrunk to a replay
# file, replayed, and shown as an HTML report.
# It builds only the two programs it runs (not the tests, SystemC programs and benches `build`
# adds): docs/measurements.md, "Clean build".
DEMO_OUT ?= demo-out
DEMO_MUTANT ?= seldev.trust_select
demo: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS) --target tandem tandem-mutants
	./$(BUILD)/tandem run
	@echo; echo "== a seeded bug: $(DEMO_MUTANT) (tandem-mutants), caught, shrunk and reported =="
	@rm -rf $(DEMO_OUT) && mkdir -p $(DEMO_OUT)
	./$(BUILD)/tandem-mutants run --device $(DEMO_MUTANT) --out $(DEMO_OUT) --html $(DEMO_OUT)/report.html --quiet; \
	  test $$? -eq 1
	@echo; echo "== the minimal replay file it wrote =="
	@cat $(DEMO_OUT)/$(DEMO_MUTANT)-all-1.replay
	@echo; echo "== replayed: the same divergence, deterministically (exit 1) =="
	./$(BUILD)/tandem-mutants replay $(DEMO_OUT)/$(DEMO_MUTANT)-all-1.replay | head -3; \
	  test $${PIPESTATUS[0]} -eq 1
	@echo; echo "open the report: xdg-open $(DEMO_OUT)/report.html   (or any browser: one self-contained file)"

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# A user's project against the installed package: tandem installed from the Release tree to a
# prefix inside it, examples/out-of-tree configured and built against that prefix alone, its
# runner's `run` and `regtest` clean, its runner with the bundled devices too (WITH_BUNDLED)
# running one of each clean, and its seeded bug caught (exit 1); then a vendor's timer bound in
# CMake alone against the installed timer model (tests/reuse_installed, MODEL_OF) runs and
# regtests clean.
OOT_PREFIX ?= $(BUILD)/out-of-tree/prefix
OOT_BUILD  ?= $(BUILD)/out-of-tree/build
OOT_FLAGS  ?= $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
out-of-tree: build
	cmake --install $(BUILD) --prefix $(OOT_PREFIX) > $(BUILD)/out-of-tree-install.log
	cmake -S examples/out-of-tree -B $(OOT_BUILD) -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=$(abspath $(OOT_PREFIX)) $(OOT_FLAGS)
	cmake --build $(OOT_BUILD) -j$(JOBS)
	./$(OOT_BUILD)/acme run
	./$(OOT_BUILD)/acme regtest
	./$(OOT_BUILD)/acme-all run --device acme_gpio --device timer --quiet
	./$(OOT_BUILD)/acme-mutants run --device acme_gpio.rise_only --quiet; \
	  st=$$?; test $$st -eq 1 || { echo "out-of-tree: the seeded bug acme_gpio.rise_only was not caught (exit $$st)"; exit 1; }
	./$(OOT_BUILD)/acme-mutants run --device acme_gpio.pin_stuck --quiet > $(OOT_BUILD)/pin_stuck.txt; \
	  st=$$?; cat $(OOT_BUILD)/pin_stuck.txt; test $$st -eq 1 && grep -q "DIVERGED irq at step [0-9]* (GPIO_O\[7\])" $(OOT_BUILD)/pin_stuck.txt || \
	  { echo "out-of-tree: the pin bug acme_gpio.pin_stuck was not caught at GPIO_O[7] (exit $$st)"; exit 1; }
	cmake -S tests/reuse_installed -B $(OOT_BUILD)-reuse -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=$(abspath $(OOT_PREFIX)) \
	  -DTIMER_ACE=$(abspath $(BUILD))/generated/timer_ext/TIMER_ACE.sv $(OOT_FLAGS)
	cmake --build $(OOT_BUILD)-reuse -j$(JOBS)
	./$(OOT_BUILD)-reuse/reuse-check run --quiet
	./$(OOT_BUILD)-reuse/reuse-check regtest --quiet

bench: build
	./$(BUILD)/tandem bench

# -O1 and line tables (the -g1 CMakeLists.txt adds): ASan's own advice for speed, and a build
# about 2.5x quicker than -O2 -g (docs/measurements.md, "CI build time").
SANITIZE_OPT ?= -O1 -DNDEBUG
build-sanitize: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_SANITIZE=ON \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(SANITIZE_OPT)" -DCMAKE_C_FLAGS_RELWITHDEBINFO="$(SANITIZE_OPT)" $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j$(JOBS)

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
test-sanitize: build-sanitize
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j$(JOBS)

# CI's fuzz budget, everything under libFuzzer with clang and ASan+UBSan (build tree
# FUZZ_BUILD, no --savable verilation: nothing here restores a checkpoint):
#  - the register-map readers (rdl_fuzz, svd_fuzz) FUZZ_SECONDS each, from the test corpus and
#    every bundled .rdl/.svd;
#  - every restore_<device>_fuzz FUZZ_RESTORE_SECONDS from its committed seed snapshots;
#  - the lockstep fuzzers through `tandem-mutants fuzz` (seed corpus and dictionary from the
#    binding): the correct devices in FUZZ_CLEAN_DEVICES FUZZ_DEVICE_SECONDS each with no
#    finding, and each selector-class mutant in FUZZ_FIND_MUTANTS must be found (exit 1, a
#    divergence and a replay file that reproduces it) within FUZZ_FIND_SECONDS.
#  - the OSS-Fuzz/ClusterFuzz layout (fuzz/oss-fuzz/build.sh into FUZZ_BUILD/oss-fuzz-out):
#    every bundled device's fuzzers, seed corpora and dictionaries, so the integration keeps
#    building.
# A crash, a sanitizer report, a timeout, a finding on a correct device or a mutant not found
# fails the target; so does a clang warning in tandem's own code (TANDEM_WERROR: the one
# build CI makes with clang).
FUZZ_RESTORE_SECONDS ?= 10
FUZZ_DEVICE_SECONDS ?= 30
FUZZ_FIND_SECONDS ?= 60
FUZZ_CLEAN_DEVICES ?= seldev uart16550
FUZZ_FIND_MUTANTS ?= seldev.trust_select uart16550.dlab_ignored
fuzz-smoke: deps
	@missing=""; for p in $(FUZZ_DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_FUZZ=ON -DTANDEM_CHECKPOINT=OFF \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" -DTANDEM_WERROR=ON
	cmake --build $(FUZZ_BUILD) -j$(JOBS) --target fuzz_smoke_targets
	rm -rf $(FUZZ_BUILD)/seeds && mkdir -p $(FUZZ_BUILD)/seeds && find devices tests/data/regmaps fuzz/corpus \( -name "*.rdl" -o -name "*.svd" \) -exec cp {} $(FUZZ_BUILD)/seeds/ \;
	for r in rdl svd; do \
	  rm -rf $(FUZZ_BUILD)/corpus-$$r && mkdir -p $(FUZZ_BUILD)/corpus-$$r && \
	  ./$(FUZZ_BUILD)/fuzz/$${r}_fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/crash-$$r- $(FUZZ_BUILD)/corpus-$$r $(FUZZ_BUILD)/seeds 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY)|Done" ; \
	  test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done
	for f in $(FUZZ_BUILD)/fuzz/restore_*_fuzz; do \
	  d=$$(basename $$f _fuzz); d=$${d#restore_}; \
	  seeds=fuzz/corpus/restore_$$d; [ -d $$seeds ] || seeds=fuzz/corpus/restore_$${d%%_*}; \
	  echo "$$d (restore, seeds $$seeds)"; \
	  rm -rf $(FUZZ_BUILD)/corpus-restore-$$d && mkdir -p $(FUZZ_BUILD)/corpus-restore-$$d && \
	  $$f -max_total_time=$(FUZZ_RESTORE_SECONDS) -timeout=10 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/crash-restore-$$d- $(FUZZ_BUILD)/corpus-restore-$$d $$seeds 2>&1 | grep -E "^(stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)|Done" ; \
	  test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done
	rm -rf $(FUZZ_BUILD)/oss-fuzz-out && OUT=$(FUZZ_BUILD)/oss-fuzz-out BUILD_DIR=$(FUZZ_BUILD) JOBS=$(JOBS) \
	  fuzz/oss-fuzz/build.sh > $(FUZZ_BUILD)/oss-fuzz.log 2>&1 || \
	  { echo "fuzz-smoke: the OSS-Fuzz layout did not build: see $(FUZZ_BUILD)/oss-fuzz.log"; exit 1; }
	rm -rf $(FUZZ_BUILD)/fuzz-out
	for d in $(FUZZ_CLEAN_DEVICES); do \
	  ./$(FUZZ_BUILD)/tandem-mutants fuzz --device $$d --seconds $(FUZZ_DEVICE_SECONDS) --out $(FUZZ_BUILD)/fuzz-out || \
	    { echo "fuzz-smoke: $$d (correct) did not run clean: see $(FUZZ_BUILD)/fuzz-out/$$d-fuzz-1.log"; exit 1; }; \
	done
	for m in $(FUZZ_FIND_MUTANTS); do \
	  ./$(FUZZ_BUILD)/tandem-mutants fuzz --device $$m --seconds $(FUZZ_FIND_SECONDS) --out $(FUZZ_BUILD)/fuzz-out; st=$$?; \
	  if [ $$st -ne 1 ] || [ ! -f $(FUZZ_BUILD)/fuzz-out/$$m-fuzz-1.replay ]; then \
	    echo "fuzz-smoke: the fuzzer did not find $$m in $(FUZZ_FIND_SECONDS) s (exit $$st): see $(FUZZ_BUILD)/fuzz-out/$$m-fuzz-1.log"; exit 1; fi; \
	  ./$(FUZZ_BUILD)/tandem-mutants replay $(FUZZ_BUILD)/fuzz-out/$$m-fuzz-1.replay > /dev/null; \
	  test $$? -eq 1 || { echo "fuzz-smoke: $$m: the replay file does not reproduce the divergence"; exit 1; }; \
	done

# Lay out tandem's own C and C++ sources as .clang-format says (the ctest `format` checks it).
format:
	git ls-files 'bridge/*.cpp' 'bridge/*.h' 'models/*.cpp' 'models/*.h' 'devices/*.cpp' 'devices/*.h' 'devices/*.c' \
	  'apps/*.cpp' 'apps/*.h' 'tests/*.cpp' 'tests/*.h' 'fuzz/*.cpp' 'fuzz/*.h' 'examples/*.cpp' 'examples/*.h' \
	  'systemc/*.cpp' 'systemc/*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(DEMO_OUT)

# A qtest-capable QEMU for the QEMU model backend (docs/qemu-16550.md). Debian's qemu-system-*
# binaries drop the qtest accelerator (clock_step answers "Unknown command"), so this builds
# Debian's own QEMU source for riscv64-softmmu alone into a cache outside the clone
# (QEMU_CACHE/qemu-<debian version>/), once: the stamp file makes later runs instant.
TANDEM_CACHE ?= $(HOME)/.cache/tandem
QEMU_DEBS = dpkg-dev libfdt-dev libglib2.0-dev libpixman-1-dev ninja-build meson flex bison python3-venv \
  zlib1g-dev
QEMU_CONFIGURE = --target-list=riscv64-softmmu --without-default-features --enable-tcg --enable-fdt=system \
  --disable-docs --disable-install-blobs
.PHONY: qemu qemu-check
qemu:
	@set -e; SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	missing=""; for p in $(QEMU_DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; $$SUDO apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; fi; \
	if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then \
	  echo "adding a deb-src entry for this Debian archive"; \
	  if [ -f /etc/apt/sources.list.d/debian.sources ]; then \
	    sed -n '/^Types: deb$$/,/^$$/p' /etc/apt/sources.list.d/debian.sources | sed 's/^Types: deb$$/Types: deb-src/' \
	      | $$SUDO tee /etc/apt/sources.list.d/tandem-deb-src.sources > /dev/null; \
	  else grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' \
	      | $$SUDO tee /etc/apt/sources.list.d/tandem-deb-src.list > /dev/null; fi; \
	  $$SUDO apt-get update -qq; fi; \
	full=$$(apt-cache showsrc qemu | sed -n 's/^Version: //p' | sort -V | tail -1); ver=$${full#*:}; \
	test -n "$$ver" || { echo "make qemu: apt-cache showsrc qemu found no source version"; exit 1; }; \
	dir=$(TANDEM_CACHE)/qemu-$$ver; bin=$$dir/build/qemu-system-riscv64; \
	if [ -f $$dir/stamp ] && [ -x $$bin ]; then echo "make qemu: reusing $$bin"; exit 0; fi; \
	mkdir -p $$dir && cd $$dir; \
	if [ ! -d src ]; then rm -rf fetch && mkdir fetch; \
	  (cd fetch && apt-get source -qq qemu=$$full > ../fetch.log 2>&1) || { echo "make qemu: apt-get source failed: see $$dir/fetch.log"; exit 1; }; \
	  mv "$$(find fetch -mindepth 1 -maxdepth 1 -type d | head -1)" src && rm -rf fetch; fi; \
	mkdir -p build && cd build; \
	../src/configure $(QEMU_CONFIGURE) > configure.log 2>&1 || { echo "make qemu: configure failed: see $$dir/build/configure.log"; exit 1; }; \
	start=$$(date +%s); ninja -j$(JOBS) qemu-system-riscv64 > ninja.log 2>&1 || { echo "make qemu: build failed: see $$dir/build/ninja.log"; exit 1; }; \
	echo "built in $$(( $$(date +%s) - start )) s" > ../stamp; echo "make qemu: built $$bin ($$(cat ../stamp))"

# CI's check of the QEMU model side (docs/qemu-16550.md): a short campaign of QEMU's 16550
# against the uart16550 RTL with its waiver file is clean (exit 0), and the same campaign with
# the first waiver (LSR.THRE/TEMT, QEMU's instant transmit) removed exits 1 naming LSR.
QEMU_WAIVERS = devices/uart16550/qemu.waivers.toml
QEMU_CHECK_STEPS ?= 400
qemu-check: qemu deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS) --target tandem-qemu
	./$(BUILD)/tandem-qemu run --device uart16550_qemu --steps $(QEMU_CHECK_STEPS) --waivers $(QEMU_WAIVERS) --quiet
	@mkdir -p $(BUILD)/qemu-check && awk '!done && /^\[\[waiver\]\]/ {skip=1; done=1} skip && /^$$/ {skip=0} !skip' \
	  $(QEMU_WAIVERS) > $(BUILD)/qemu-check/one-removed.toml
	./$(BUILD)/tandem-qemu run --device uart16550_qemu --steps $(QEMU_CHECK_STEPS) \
	  --waivers $(BUILD)/qemu-check/one-removed.toml --out $(BUILD)/qemu-check > $(BUILD)/qemu-check/run.txt; st=$$?; \
	  grep "DIVERGED" $(BUILD)/qemu-check/run.txt; \
	  if [ $$st -ne 1 ] || ! grep -q "DIVERGED read_data at step [0-9]* (LSR)" $(BUILD)/qemu-check/run.txt; then \
	    echo "qemu-check: without the LSR waiver the campaign should exit 1 naming LSR (exit $$st)"; exit 1; fi
	@echo "qemu-check: clean with the waiver file; the LSR difference found without its waiver"
