#!/usr/bin/env bash
# Push benchmarks (docs/BENCHMARKS.md, "Push"): the server, a writer and the subscribers each in a process of their
# own, on loopback.
#
#   benchmarks/push-bench.sh              # about 2 minutes
#   SECONDS_PER_RUN=60 SUBSCRIBERS=100 IDLE=10000 benchmarks/push-bench.sh
#
# 1. fan-out over SSE: one writer appends RATE messages/s of ~200 bytes (through the engine, as the CLI or the sink
#    connector) for SECONDS_PER_RUN; SUBSCRIBERS SSE subscribers each receive all of them
# 2. the same over WebSocket
# 3. idle scale: IDLE SSE subscribers held open; the server's RSS; one message, and the time until the last has it
# Each run prints the subscribers' deliveries, rate, losses and append-to-delivery latency, and the CPU seconds the
# server (while the writer ran) and the subscriber process (in all) used.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rate="${RATE:-5000}"
run_seconds="${SECONDS_PER_RUN:-30}"
subscribers="${SUBSCRIBERS:-100}"
idle="${IDLE:-10000}"
server_heap="${SERVER_HEAP:-512m}"

# 10,000 subscribers are 10,000 sockets in the server and as many in the client process.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if (( $(ulimit -n) < idle + 1000 )); then
    echo "push-bench: open files are limited to $(ulimit -n); IDLE=$idle needs more (run as root, or lower IDLE)" >&2
    exit 2
fi

echo "push-bench: building (mvn -q -DskipTests package -pl benchmarks/server -am) ..." >&2
(cd "$root" && mvn -B -q -DskipTests package -pl benchmarks/server -am) >&2
classpath="$root/benchmarks/server/target/classes:$(cat "$root/benchmarks/server/target/runtime-classpath.txt")"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

cpu_seconds() { # utime + stime of a process, in seconds
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat"
}
rss_mib() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

mkdir -p "$work/pools"
java "-Xms$server_heap" "-Xmx$server_heap" -cp "$classpath" dev.rockpool.bench.server.ServerBench serve \
    "$work/pools" "$work/ready" $((idle + 100)) 2> "$work/server.log" &
server_pid=$!
pids+=("$server_pid")
for _ in $(seq 1 200); do [[ -s "$work/ready" ]] && break; sleep 0.1; done
server="http://$(cat "$work/ready")"

# Runs one fan-out: subscribers (kind, count) until all have the writer's end marker. Prints the result line with
# the server's and the subscribers' CPU seconds appended.
fan_out() {
    local kind="$1" count="$2" pool="$3" writer_rate="$4" writer_seconds="$5" client_heap="$6"
    curl -sf -X POST "$server/v0/pools" -d "{\"pool\":\"$pool\",\"size_bytes\":268435456}" > /dev/null
    local out="$work/$pool.out"
    java "-Xmx$client_heap" -cp "$classpath" dev.rockpool.bench.server.PushBench "$kind" "$server" "$pool" "$count" \
        > "$out" 2> "$work/$pool.err" &
    local client_pid=$!
    pids+=("$client_pid")
    until grep -q '^ready' "$out"; do
        kill -0 "$client_pid" 2>/dev/null || { cat "$work/$pool.err" >&2; exit 1; }
        sleep 0.2
    done
    local opened rss_open
    opened="$(awk '/^ready/ { print $2 }' "$out")"
    rss_open="$(rss_mib "$server_pid")"
    local server_cpu server_after
    server_cpu="$(cpu_seconds "$server_pid")"
    java -cp "$classpath" dev.rockpool.bench.server.PushBench write "$work/pools" "$pool" "$writer_rate" \
        "$writer_seconds" > /dev/null
    wait "$client_pid"
    server_after="$(cpu_seconds "$server_pid")"
    echo "$(grep -v '^ready' "$out") opened_s=$opened server_rss_mib=$rss_open server_rss_after_mib=$(rss_mib \
        "$server_pid") server_cpu_s=$(awk -v a="$server_after" -v b="$server_cpu" 'BEGIN { printf "%.1f", a - b }')"
}

echo "push-bench: fan-out over SSE ($subscribers subscribers, $rate messages/s for ${run_seconds}s) ..." >&2
sse="$(fan_out sse "$subscribers" fanout-sse "$rate" "$run_seconds" 1g)"
echo "push-bench: fan-out over WebSocket ..." >&2
ws="$(fan_out ws "$subscribers" fanout-ws "$rate" "$run_seconds" 1g)"
echo "push-bench: $idle idle SSE subscribers, then one message ..." >&2
idle_result="$(fan_out sse "$idle" idle 1 1 2g)"

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<< "$1"; }
row() { # label, result
    printf '| %s | %s | %s | %s | %s | %s / %s / %s | %s / %s |\n' "$1" "$(field "$2" subscribers)" \
        "$(printf '%.0f' "$(field "$2" rate)")" "$(field "$2" deliveries)" "$(field "$2" lost)" \
        "$(field "$2" p50_ms)" "$(field "$2" p99_ms)" "$(field "$2" max_ms)" "$(field "$2" server_cpu_s)" \
        "$(field "$2" client_cpu_s)"
}
echo
echo "| case | subscribers | deliveries/s | deliveries | lost | latency p50 / p99 / max (ms) | CPU s: server / subscribers |"
echo "|---|---|---|---|---|---|---|"
row "SSE fan-out, $rate msg/s for ${run_seconds}s" "$sse"
row "WebSocket fan-out, $rate msg/s for ${run_seconds}s" "$ws"
row "$idle idle SSE subscribers, one message" "$idle_result"
echo
echo "idle: all $idle open in $(field "$idle_result" opened_s) s; server RSS $(field "$idle_result" server_rss_mib) MiB" \
    "with them open, $(field "$idle_result" server_rss_after_mib) MiB after the message (heap $server_heap);" \
    "the last subscriber had the message $(field "$idle_result" max_ms) ms after its append"
echo
echo "raw: $sse"
echo "raw: $ws"
echo "raw: $idle_result"
