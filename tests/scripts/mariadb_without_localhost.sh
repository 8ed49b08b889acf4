#!/usr/bin/env bash
# scripts/mariadb must start a private server on a machine whose /etc/hosts
# has no "localhost" (a bare container): mariadb-install-db refuses to run
# there unless told not to resolve host names. The test hides localhost in a
# private mount namespace (root only), starts a server, connects to it over
# TCP with the printed URL, and stops it by its PID.
set -euo pipefail
script="$1"
if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null; then
  echo "needs root and unshare to hide localhost; skipped"; exit 77
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '127.0.0.1\tsomething-else\n::1\tsomething-else6\n' >"$work/hosts"
cat >"$work/inside.sh" <<INSIDE
set -euo pipefail
mount --bind "$work/hosts" /etc/hosts
if getent hosts localhost >/dev/null; then echo "localhost still resolves"; exit 1; fi
stop() { "$script" stop --dir "$work/db" >/dev/null 2>&1 || true; }
trap stop EXIT
url="\$("$script" start --dir "$work/db")"
echo "started: \${url%%:*}://…@\${url##*@}"
rest="\${url#mysql://}"; userpass="\${rest%%@*}"; hostport="\${rest#*@}"; hostport="\${hostport%%/*}"
user="\${userpass%%:*}"; pass="\${userpass#*:}"; port="\${hostport##*:}"
pass="\$(python3 -c 'import sys, urllib.parse; print(urllib.parse.unquote(sys.argv[1]))' "\$pass")"
answer="\$(mariadb --no-defaults -h127.0.0.1 -P"\$port" -u"\$user" -p"\$pass" -N -e 'SELECT 6*7' parcours)"
[ "\$answer" = 42 ] || { echo "unexpected answer: \$answer"; exit 1; }
echo "query over TCP answered \$answer"
INSIDE
unshare -m bash "$work/inside.sh"
