#!/usr/bin/env bash
# A throwaway PostgreSQL for the wallet's PostgreSQL tests (and for trying `./primer wallet --db jdbc:postgresql://…`).
#
#   source .ci/postgres.sh && postgres_start    # exports KAFKA_PRIMER_POSTGRES_URL
#   ...                                         # run the tests
#   postgres_stop                               # stops it and deletes its data
#
# It installs Debian's `postgresql` package when the server is missing, creates a cluster in a temporary
# directory, listens on 127.0.0.1 only (a free port from 55432 up), trusts local connections (a test
# database, never real data) and creates the database `wallet`. It also sets synchronous_commit=off: a commit
# returns before its write-ahead log reaches the disk, so the wallet's one transaction per event costs a
# fraction of a millisecond instead of a disk flush each (only a crash of PostgreSQL itself, which no test
# does, could lose the last commits; never do this with data you keep). PostgreSQL refuses to run as root, so as
# root it runs as the `postgres` user.

postgres_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

postgres_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

postgres_start() {
    local bin port
    bin=$(postgres_bin) || true
    if [ -z "$bin" ]; then
        echo "postgres: installing Debian's postgresql package (needs root)..." >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || {
            echo "postgres: could not install PostgreSQL; the PostgreSQL tests will be skipped" >&2
            return 0
        }
        bin=$(postgres_bin)
    fi
    for port in $(seq 55432 55499); do
        (echo >/dev/tcp/127.0.0.1/"$port") 2>/dev/null || break
    done
    PRIMER_PG_DIR=$(mktemp -d /tmp/kafka-primer-pg-XXXXXX)
    export PRIMER_PG_DIR PRIMER_PG_BIN="$bin"
    [ "$(id -u)" -eq 0 ] && chown postgres "$PRIMER_PG_DIR"
    postgres_as_owner "$bin/initdb" -D "$PRIMER_PG_DIR/data" -A trust -U postgres >"$PRIMER_PG_DIR/initdb.log" 2>&1 || {
        cat "$PRIMER_PG_DIR/initdb.log" >&2; return 1; }
    postgres_as_owner "$bin/pg_ctl" -D "$PRIMER_PG_DIR/data" -l "$PRIMER_PG_DIR/server.log" -w -t 60 \
        -o "-p $port -k $PRIMER_PG_DIR -c listen_addresses=127.0.0.1 -c synchronous_commit=off" start >/dev/null || {
        cat "$PRIMER_PG_DIR/server.log" >&2; return 1; }
    postgres_as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres wallet
    export KAFKA_PRIMER_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$port/wallet?user=postgres"
    echo "postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port; KAFKA_PRIMER_POSTGRES_URL=$KAFKA_PRIMER_POSTGRES_URL" >&2
}

postgres_stop() {
    [ -n "${PRIMER_PG_DIR:-}" ] || return 0
    postgres_as_owner "$PRIMER_PG_BIN/pg_ctl" -D "$PRIMER_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PRIMER_PG_DIR"
    unset PRIMER_PG_DIR KAFKA_PRIMER_POSTGRES_URL
}
