#!/usr/bin/env bash
# Server benchmarks (docs/BENCHMARKS.md, "Remote pools"): the HTTP server against nginx on the same machine in the
# same run, each load from a separate process on loopback.
#
#   benchmarks/server-bench.sh            # about 2 minutes
#   DURATION=30 MESSAGES=4000000 benchmarks/server-bench.sh
#
# 1. single-message appends with keep-alive (wrk, POST /append) vs nginx answering a small static response (wrk, GET)
# 2. batch appends: wrk POSTing JSON Lines bodies of 1,000 messages to /append_batch
# 3. one JSON Lines tail reading a pool of MESSAGES messages from seq 1 to the end (curl, and the Java client) vs the
#    local `rockpool follow --no-follow --format jsonl` of the same pool
# Needs wrk and nginx (Debian: apt-get install -y wrk nginx) and curl. Messages are 128-byte log-like objects.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-50}"
messages="${MESSAGES:-2000000}"
nginx_port="${NGINX_PORT:-18089}"
for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null || { echo "server-bench: $tool is missing (apt-get install -y wrk nginx curl)" >&2; exit 2; }
done

echo "server-bench: building (mvn -q -DskipTests package -pl benchmarks/server,pool-cli -am) ..." >&2
(cd "$root" && mvn -B -q -DskipTests package -pl benchmarks/server,pool-cli -am) >&2
classpath="$root/benchmarks/server/target/classes:$(cat "$root/benchmarks/server/target/runtime-classpath.txt")"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# A 128-byte message, as the engine benchmarks use.
data='{"i":12345,"level":"info","msg":"user login from 10.0.0.1 succeeded after 2 attempts; session 8f14e45fceea167a5a36dedd4bea0123"}'
[[ ${#data} -eq 128 ]] || { echo "server-bench: payload is ${#data} bytes, not 128" >&2; exit 1; }

cat > "$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$nginx_port;
        location / { default_type application/json; return 200 '{"ok":true}\n'; }
    }
}
CONF
nginx -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)

mkdir -p "$work/pools"
java -Xms1g -Xmx1g -cp "$classpath" dev.rockpool.bench.server.ServerBench serve "$work/pools" "$work/ready" \
    2> "$work/server.log" &
pids+=($!)
for _ in $(seq 1 200); do [[ -s "$work/ready" ]] && break; sleep 0.1; done
server="http://$(cat "$work/ready")"
curl -sf -X POST "$server/v0/pools" -d '{"pool":"bench","size_bytes":268435456}' > /dev/null

cat > "$work/append.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"data":$data,"tags":["bench"]}'
LUA
{
    echo 'wrk.method = "POST"'
    echo 'wrk.headers["Content-Type"] = "application/jsonl"'
    printf 'wrk.body = [['
    for _ in $(seq 1 1000); do printf '%s\n' "$data"; done
    echo ']]'
} > "$work/batch.lua"

rate() { awk '/Requests\/sec/ { print $2 }'; }
run_wrk() { # connections, url, [script]
    local c="$1" url="$2" script="${3:-}"
    wrk -t2 -c"$c" -d"${duration}s" ${script:+-s "$script"} "$url" | tee -a "$work/wrk.log" | rate
}

echo "server-bench: warming up ..." >&2
wrk -t2 -c"$connections" -d5s -s "$work/append.lua" "$server/v0/pools/bench/append" > /dev/null
wrk -t2 -c4 -d5s -s "$work/batch.lua" "$server/v0/pools/bench/append_batch?tag=bench" > /dev/null
wrk -t2 -c"$connections" -d3s "http://127.0.0.1:$nginx_port/" > /dev/null

echo "server-bench: measuring ..." >&2
nginx_rate="$(run_wrk "$connections" "http://127.0.0.1:$nginx_port/")"
append_rate="$(run_wrk "$connections" "$server/v0/pools/bench/append" "$work/append.lua")"
batch_requests="$(run_wrk 4 "$server/v0/pools/bench/append_batch?tag=bench" "$work/batch.lua")"
batch_rate="$(awk -v r="$batch_requests" 'BEGIN { printf "%.0f", r * 1000 }')"

# The tail: a pool of $messages messages, read from the oldest to the end.
seq 1 "$messages" | awk -v d="$data" '{ print d }' > "$work/messages.jsonl"
pool_size=$(( (messages * 256 / 1048576 + 64) ))M
ROCKPOOL_DIR="$work/pools" "$root/bin/rockpool" pool create tail --size "$pool_size" > /dev/null
ROCKPOOL_DIR="$work/pools" "$root/bin/rockpool" feed tail < "$work/messages.jsonl" > /dev/null
timed() { local start end; start=$(date +%s.%N); "$@" > /dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }
local_seconds="$(timed env ROCKPOOL_DIR="$work/pools" "$root/bin/rockpool" follow tail --no-follow --format jsonl)"
curl_seconds="$(timed curl -sf "$server/v0/pools/tail/tail?since_seq=1&follow=false&timeout_ms=600000")"
read -r java_count java_seconds _ < <(java -cp "$classpath" dev.rockpool.bench.server.ServerBench tail "$server" tail)
[[ "$java_count" -eq "$messages" ]] || { echo "server-bench: the Java tail read $java_count of $messages" >&2; exit 1; }

per_second() { awk -v n="$messages" -v s="$1" 'BEGIN { printf "%.0f", n / s }'; }
local_rate="$(per_second "$local_seconds")"
curl_rate="$(per_second "$curl_seconds")"
java_rate="$(per_second "$java_seconds")"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

cat <<TABLE
| case | per second | ratio |
|---|---|---|
| nginx, small static response (wrk, $connections connections, keep-alive) | $(printf '%.0f' "$nginx_rate") requests | 1 |
| rockpool serve, single-message append (wrk, $connections connections, keep-alive) | $(printf '%.0f' "$append_rate") messages | $(ratio "$append_rate" "$nginx_rate") × nginx |
| rockpool serve, batch append (wrk, 4 connections, 1,000 messages per request) | $batch_rate messages | |
| local \`rockpool follow --no-follow --format jsonl\` of $messages messages (JVM start included) | $local_rate messages | 1 |
| one JSON Lines tail, curl | $curl_rate messages | $(ratio "$curl_rate" "$local_rate") × local |
| one JSON Lines tail, the Java client (JVM start included) | $java_rate messages | $(ratio "$java_rate" "$local_rate") × local |
TABLE
