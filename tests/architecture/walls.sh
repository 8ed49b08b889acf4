#!/usr/bin/env bash
# Keeps the dependency walls of docs/decisions.md standing: domain code does no I/O
# and names no driver; storage's interface names no driver; only the daemon
# (and the drivers themselves) include driver headers. Fails listing each
# offending include.
set -u
root="${1:?repository root}"
cd "$root" || exit 2
status=0

check() {  # check DESCRIPTION PATTERN FOLDER...
  local what="$1" pattern="$2"
  shift 2
  local hits
  hits=$(grep -rnE --include='*.h' --include='*.cpp' "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pattern)" "$@" 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "FAIL: $what"
    echo "$hits"
    status=1
  else
    echo "ok: $what"
  fi
}

domain=(core identity participants scheduler billing invoices finance research)
check "domain modules include no network, HTTP or database driver headers" \
  'Poco/Net/|Poco/Data/|cppconn/|mysql_|mysql\.h|sqlite3\.h|hpdf' core identity participants scheduler billing finance research
check "program and retention (workflows over modules) include no network, HTTP or database driver headers" \
  'Poco/Net/|Poco/Data/|cppconn/|mysql_|mysql\.h|sqlite3\.h|hpdf' program retention
check "dependencies point one way: no domain module includes program/, api/ or daemon/" \
  'program/|api/|daemon/' "${domain[@]}" storage
check "program and retention include no api/ or daemon/" 'api/|daemon/' program retention
check "core includes no Poco at all (value types only)" 'Poco/' core
check "storage's interface includes no driver" 'cppconn/|mysql_|mysql\.h|sqlite3\.h' \
  storage/database.h storage/pooled_database.h storage/migrations.h storage/database_url.h storage/sql_time.h \
  storage/*.cpp
check "api includes no database driver" 'cppconn/|mysql_|mysql\.h|sqlite3\.h|storage/sqlite/|storage/mysql/' api
check "no module but the daemon opens a driver" 'storage/sqlite/|storage/mysql/' "${domain[@]}" program retention api storage/*.h storage/*.cpp
# The audit log, the ledger and issued documents are append-only: no
# statement of the application changes or removes their rows. The one kind
# of exception is a statement that leaves what the row says unchanged (a
# new document sealed in its own issuing transaction, a digest keyed) or
# retention's redaction of a person once the file's retention period is over
# (numbers, amounts and dates unchanged; docs/domain.md "Retention"): it
# says so on its line with an "append-only:" comment, and is listed.
for table in audit_log ledger_entries documents; do
  all=$(grep -rnEi --include='*.cpp' --include='*.h' "(UPDATE[[:space:]]+${table}\b|DELETE[[:space:]]+FROM[[:space:]]+${table}\b|TRUNCATE[[:space:]]+(TABLE[[:space:]]+)?${table}\b)" \
    core storage identity participants scheduler billing invoices finance program retention api daemon 2>/dev/null)
  hits=$(printf '%s\n' "$all" | grep -v '// append-only: ' | grep -v '^$' || true)
  printf '%s\n' "$all" | grep '// append-only: ' | sed "s/^/  allowed for ${table}: /" || true
  if [ -n "$hits" ]; then
    echo "FAIL: ${table} is append-only"
    echo "$hits"
    status=1
  else
    echo "ok: ${table} is append-only (no UPDATE/DELETE of it)"
  fi
done
exit $status
