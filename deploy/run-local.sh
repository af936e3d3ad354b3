#!/usr/bin/env bash
# N replicas of the app behind nginx on this machine, sharing one Redis for the live class.
#
#   bash deploy/run-local.sh [N] [PORT]        (default: 2 replicas, students at port 8501)
#
# The replicas listen on 127.0.0.1, ports PORT+1 to PORT+N; nginx listens on every
# interface at PORT (LISTEN=127.0.0.1:8501 keeps it to this machine), with sticky sessions
# and websockets (deploy/nginx.conf.template). Redis listens on a socket in the work
# folder (ADAM_RUN_DIR, a fresh temporary folder by default), where the logs and each
# replica's pid (replica-<i>.pid) are too. Needs nginx and redis-server (Debian:
# apt-get install nginx redis-server). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-2}"
PORT="${2:-8501}"
LISTEN="${LISTEN:-0.0.0.0:$PORT}"
WORK="${ADAM_RUN_DIR:-$(mktemp -d)}"
mkdir -p "$WORK"
for tool in nginx redis-server; do
  command -v "$tool" > /dev/null || [ -x "/usr/sbin/$tool" ] || {
    echo "$tool is missing: apt-get install nginx redis-server" >&2; exit 1; }
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

PIDS=()
stop() { kill "${PIDS[@]}" 2> /dev/null || true; wait 2> /dev/null || true; }
trap stop EXIT
trap 'exit 130' INT TERM

redis-server --port 0 --unixsocket "$WORK/redis.sock" --unixsocketperm 700 --save "" \
  --appendonly no --dir "$WORK" > "$WORK/redis.log" 2>&1 &
PIDS+=($!)
export CLASS_STORE="unix://$WORK/redis.sock"
# one secret for every replica, so a cookie one of them set is good on the others
STREAMLIT_SERVER_COOKIE_SECRET="${STREAMLIT_SERVER_COOKIE_SECRET:-$(python -c 'import secrets; print(secrets.token_hex(32))')}"
export STREAMLIT_SERVER_COOKIE_SECRET

SERVERS=""
for i in $(seq 1 "$N"); do
  port=$((PORT + i))
  python -m streamlit run app.py --server.headless true --server.address 127.0.0.1 \
    --server.port "$port" --browser.gatherUsageStats false \
    > "$WORK/replica-$i.log" 2>&1 &
  PIDS+=($!)
  echo $! > "$WORK/replica-$i.pid"
  SERVERS="$SERVERS        server 127.0.0.1:$port max_fails=1 fail_timeout=10s;\n"
done
sed -e "s#@LISTEN@#$LISTEN#" -e "s#@WORK@#$WORK#g" -e "s#@SERVERS@#${SERVERS%\\n}#" \
  deploy/nginx.conf.template > "$WORK/nginx.conf"

for i in $(seq 1 "$N"); do  # wait until every replica answers
  until python -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
      "http://127.0.0.1:$((PORT + i))/_stcore/health" 2> /dev/null; do
    kill -0 "${PIDS[$i]}" 2> /dev/null || { cat "$WORK/replica-$i.log" >&2; exit 1; }
    sleep 0.3
  done
done
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -g "daemon off;" &
PIDS+=($!)
echo "$N replicas behind nginx at http://$LISTEN (work folder: $WORK)"
wait "${PIDS[-1]}"
