# Shared helpers for bench scripts (sourced). Loopback only; every process
# started here is stopped by its PID.
bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bench_bin="${PARCOURS_BIN:-$bench_root/build/bin/parcoursd}"
bench_tmp="$(mktemp -d)"
bench_pids=()
bench_cleanup() {
  for pid in "${bench_pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  rm -rf "$bench_tmp"
}
trap bench_cleanup EXIT

# bench_start_daemon NAME ARGS... → sets bench_port; log in $bench_tmp/NAME.log
bench_start_daemon() {
  local name="$1"
  shift
  # The daemon runs in $bench_tmp, so its key files (var/keys) land there.
  (cd "$bench_tmp" && exec "$bench_bin" --listen 127.0.0.1:0 "$@" >"$bench_tmp/$name.out" 2>"$bench_tmp/$name.log") &
  bench_pids+=($!)
  for _ in $(seq 1 300); do
    bench_port=$(sed -n 's/^parcoursd listening on http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$bench_tmp/$name.out")
    [ -n "$bench_port" ] && return 0
    sleep 0.1
  done
  echo "daemon $name did not start:" >&2
  cat "$bench_tmp/$name.log" >&2
  exit 1
}

# bench_wrk URL [SECONDS] [CONNECTIONS] [HEADER] → prints requests/s (integer)
bench_wrk() {
  local header=()
  [ -n "${4:-}" ] && header=(-H "$4")
  wrk -t2 -c"${3:-32}" -d"${2:-5}"s "${header[@]}" "$1" 2>/dev/null | awk '/^Requests\/sec:/ {printf "%d\n", $2}'
}
