#!/usr/bin/env bash
# bench/run.sh runs the benchmarks of package errcode (benchmarks_test.go)
# and writes, under bench/out/ (ignored by git: the figures are this
# machine's), the raw output, benchstat's table, and goals.md: the machine,
# the run, and the performance goals one by one (bench/ratios). BENCHMARKS.md
# quotes a run's goal figures by hand, labelled with its commit and command.
#
#   bench/run.sh                        # COUNT=10 BENCHTIME=200ms, every benchmark
#   COUNT=3 BENCHTIME=100ms bench/run.sh
#   BENCH='BenchmarkIs$|BenchmarkIsA' COUNT=5 bench/run.sh
#   NOTE='quiet machine' bench/run.sh   # a line added to goals.md
#   OUT=/tmp/before bench/run.sh        # another output directory
#
# Outputs, in $OUT (default bench/out): results.txt (raw `go test -bench`
# output, for `benchstat old/results.txt new/results.txt` later),
# benchstat.txt, goals.md.
set -euo pipefail

cd "$(dirname "$0")/.."

COUNT=${COUNT:-10}
BENCHTIME=${BENCHTIME:-200ms}
BENCH=${BENCH:-.}
NOTE=${NOTE:-}
# golang.org/x/perf has no tagged versions; this is the newest the module
# proxy resolved (`go list -m golang.org/x/perf@latest`) when the script
# was written. Override with PERF_VERSION=latest to move on.
PERF_VERSION=${PERF_VERSION:-v0.0.0-20260908200009-22c9c6c9d4da}

OUT=${OUT:-bench/out}
mkdir -p "$OUT"
results=$OUT/results.txt
stats=$OUT/benchstat.txt
out=$OUT/goals.md

echo "bench/run.sh: installing benchstat@${PERF_VERSION}" >&2
go install "golang.org/x/perf/cmd/benchstat@${PERF_VERSION}"
gobin=$(go env GOBIN)
if [[ -z "$gobin" ]]; then
	gobin="$(go env GOPATH | cut -d: -f1)/bin"
fi
benchstat="$gobin/benchstat"

commit=unknown
if git rev-parse --short HEAD >/dev/null 2>&1; then
	commit=$(git rev-parse --short HEAD)
	if ! git diff --quiet HEAD -- . 2>/dev/null || [[ -n "$(git ls-files --others --exclude-standard -- '*.go')" ]]; then
		commit="$commit, plus uncommitted changes in the working tree"
	fi
fi
cpu=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start=$(date -u +%s)

echo "bench/run.sh: go test -bench '${BENCH}' -count ${COUNT} -benchtime ${BENCHTIME} (this takes a while)" >&2
go test -run '^$' -bench "$BENCH" -benchmem -count "$COUNT" -benchtime "$BENCHTIME" -timeout 3h . >"$results"

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
secs=$(( $(date -u +%s) - start ))

"$benchstat" "$results" >"$stats"
ratios=$(go run ./bench/ratios "$results")

{
	echo "# Benchmark goals, one run"
	echo
	echo "Written by \`bench/run.sh\` on this machine; not committed. The goals are BENCHMARKS.md's;"
	echo "\`benchmarks_test.go\` documents every fixture, \`allocs_test.go\` pins the allocation counts"
	echo "that must be zero."
	echo
	echo "## Machine and run"
	echo
	echo "| | |"
	echo "|---|---|"
	echo "| date (UTC) | $(date -u '+%Y-%m-%d %H:%M') |"
	echo "| CPU | ${cpu:-unknown} |"
	echo "| cores (nproc) | $(nproc) |"
	echo "| Go | $(go version | cut -d' ' -f3-) |"
	echo "| commit | ${commit} |"
	echo "| command | \`go test -run '^\$' -bench '${BENCH}' -benchmem -count ${COUNT} -benchtime ${BENCHTIME} .\` |"
	echo "| duration | $(( secs / 60 )) min $(( secs % 60 )) s |"
	echo "| load average (1, 5, 15 min) | before: ${load_before}; after: ${load_after} |"
	echo
	echo "Each figure is the median of the ${COUNT} runs (benchstat's, and bench/ratios' for the goal"
	echo "table). The benchmark itself keeps about one core busy, so a load average well above 1"
	echo "means other work shared the machine during the run."
	if awk -v a="${load_before%% *}" -v b="${load_after%% *}" -v n="$(nproc)" 'BEGIN { exit !(a > 0.5 || b > n) }'; then
		echo
		echo "**Noisy run:** other processes (other engineers compiling, testing and fuzzing on this"
		echo "machine) were running, so absolute figures carry noise; ratios of cases that ran"
		echo "side by side are steadier than absolute times. Look at benchstat's ± column."
	fi
	if [[ -n "$NOTE" ]]; then
		echo
		echo "Note: $NOTE"
	fi
	echo
	echo "## Goals"
	echo
	echo "Ratios are medians over medians. \"cockroachdb errors.Is(same chain, errcode.Code)\" asks"
	echo "cockroachdb's errors.Is the same question as errcode (an errcode.Code is a sentinel error);"
	echo "\"the cockroachdb idiom\" is the sentinel idiom of cockroachdb/errors users: an"
	echo "errors.New sentinel under New + 4 errors.Wrap (\`BenchmarkIs/sentinel5\`)."
	echo "$ratios"
	echo
	echo "## benchstat"
	echo
	echo '```'
	cat "$stats"
	echo '```'
} >"$out"

echo "bench/run.sh: wrote $out, $results and $stats" >&2
