# The two commands of the README. Both install what is missing, then build.
# The development build (and CI, through `make test`) turns warnings into errors; a plain
# `cmake -DCMAKE_BUILD_TYPE=Release` by a user does not (RADVEIL_WERROR defaults to OFF).
BUILD ?= build
RELEASE_BUILD ?= build-release
JOBS ?= $(shell nproc)
# Unity batches of 16 for radveil's own sources: a full build (CI, `make test` on a fresh clone)
# is about twice as fast; for quick incremental rebuilds while editing, `make UNITY=OFF`.
UNITY ?= ON

.PHONY: deps build release-build test demo clean

deps:
	@bash scripts/install-deps.sh

# -g1 (line tables: backtraces and profiles keep their lines) compiles a fifth faster than -g;
# `cmake -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g"` in a build folder of your own gives full debug info.
build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
	  -DRADVEIL_WERROR=ON -DRADVEIL_UNITY=$(UNITY) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The program as users and packagers build it (Release, -O3), here with warnings as errors, so a
# compiler's complaint at -O3 is seen in CI rather than in someone's package build. Only the
# program: the test executables are built and run by the development build above. Compiled in
# unity batches of 16 files (same flags, same warnings; 80 s instead of 190 s on 2 cores).
release-build: deps
	@cmake -S . -B $(RELEASE_BUILD) -DCMAKE_BUILD_TYPE=Release -DRADVEIL_WERROR=ON -DRADVEIL_UNITY=ON >/dev/null
	@cmake --build $(RELEASE_BUILD) -j $(JOBS) --target radveil

# One test more than cores: the tests with real peers (Orthanc, rsyslog, the node) mostly wait.
test: build release-build
	@cd $(BUILD) && ctest --output-on-failure -j $$(( $(JOBS) + 1 ))

demo: build
	@$(BUILD)/radveil demo --dir radveil-demo

clean:
	rm -rf $(BUILD) $(RELEASE_BUILD) radveil-demo
