#!/usr/bin/env bash
# /go/ redirect benchmark: gunicorn + PostgreSQL + Redis with production settings, wrk with 50
# connections, against a bare Django view returning the same redirect without recording, in
# the same run. A Celery worker (with beat) runs meanwhile and writes the buffered clicks; at
# the end every click wrk made must be in the database (none lost, none twice).
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/m4l_bench REDIS_URL=redis://127.0.0.1:6379/8 \
#     bash benchmarks/go_redirect.sh
#
# Env: PORT (8121), WORKERS (gunicorn workers, default 2 x cores), DURATION (20s), CONNECTIONS (50).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
[ -x "$PY" ] || PY=/work/main/.venv/bin/python
BIN=$(dirname "$PY")
PORT=${PORT:-8121}
CORES=$(nproc)
WORKERS=${WORKERS:-$((CORES * 2))}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-50}
OUT=benchmarks/out
mkdir -p "$OUT"

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/m4l_bench}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/8}
export DJANGO_SETTINGS_MODULE=benchmarks.go_redirect_settings
export SECRET_KEY=${SECRET_KEY:-bench-$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')}
export ALLOWED_HOSTS=127.0.0.1,localhost
export SECURE_SSL_REDIRECT=false
export LOG_LEVEL=WARNING

db_name=${DATABASE_URL##*/}
psql "${DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$db_name'" | grep -q 1 \
  || psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE \"$db_name\""

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py shell -c "
from marketing.models import Event, Offer, Partner, TrackedLink
from marketing import recorder
partner, _ = Partner.objects.get_or_create(slug='bench', defaults={'name': 'Bench partner'})
offer, _ = Offer.objects.get_or_create(partner=partner, code='BENCH', defaults={
    'product': 'Pso-Rite (bench)', 'destination_url': 'https://pso-rite.example/products/pso-rite'})
TrackedLink.objects.get_or_create(slug='bench', defaults={'title': 'Bench', 'offer': offer, 'utm_campaign': 'bench'})
if recorder.buffering():
    recorder.flush_buffer()
Event.objects.filter(slug='bench').delete()
"

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
cleanup() {
  [ -n "${GUNICORN_PID:-}" ] && kill "$GUNICORN_PID" 2>/dev/null || true
  [ -n "${CELERY_PID:-}" ] && kill "$CELERY_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

# The access log (just the path) is the independent count of the clicks the server answered.
rm -f "$OUT/access.log"
"$BIN/gunicorn" cms.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --env DJANGO_SETTINGS_MODULE=benchmarks.go_redirect_settings --log-level warning \
  --access-logfile "$OUT/access.log" --access-logformat '%(U)s' >"$OUT/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
"$BIN/celery" -A cms worker --beat --concurrency 1 --loglevel WARNING \
  --schedule "$OUT/celerybeat-schedule" >"$OUT/celery.log" 2>&1 &
CELERY_PID=$!

for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/bench/bare-redirect/" && break; sleep 0.2; done

HEADERS=(-H "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
  -H "Referer: http://127.0.0.1:$PORT/articles/cant-lift-leg-to-get-in-car/")
run() {  # name url
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "${HEADERS[@]}" "$2" >"$OUT/$1.txt"
}
# Warm both (connections, caches, the day's salt); warm-up clicks are recorded and checked too.
wrk -t2 -c"$CONNECTIONS" -d3s "${HEADERS[@]}" "http://127.0.0.1:$PORT/bench/bare-redirect/" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d3s "${HEADERS[@]}" "http://127.0.0.1:$PORT/go/bench/" >/dev/null
# Alternate the two, ROUNDS times, so load from anything else on the machine hits both alike.
ROUNDS=${ROUNDS:-3}
for round in $(seq "$ROUNDS"); do
  run "bare-$round" "http://127.0.0.1:$PORT/bench/bare-redirect/"
  run "go-$round" "http://127.0.0.1:$PORT/go/bench/"
done

rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p() { awk -v q="$2" '$1 == q {print $2}' "$1"; }
errors() { awk '/Non-2xx or 3xx|Socket errors/ {printf "%s ", $0}' "$1"; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() {  # wrk latency (e.g. 812.00us, 23.50ms, 1.02s) in ms
  awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.2f\n", v}'
}

echo "| round | view | req/s | p50 ms | p90 ms | p99 ms | /go/ ÷ bare | errors |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |"
for round in $(seq "$ROUNDS"); do
  for view in bare go; do
    f="$OUT/$view-$round.txt"
    share=""
    [ "$view" = go ] && share="$(awk -v a="$(rps "$f")" -v b="$(rps "$OUT/bare-$round.txt")" 'BEGIN {printf "%.0f%%", 100 * a / b}')"
    echo "| $round | $view | $(rps "$f") | $(p "$f" 50% | ms) | $(p "$f" 90% | ms) | $(p "$f" 99% | ms) | $share | $(errors "$f") |"
  done
done
bare_rps=$(for r in $(seq "$ROUNDS"); do rps "$OUT/bare-$r.txt"; done | median)
go_rps=$(for r in $(seq "$ROUNDS"); do rps "$OUT/go-$r.txt"; done | median)
bare_p99=$(for r in $(seq "$ROUNDS"); do p "$OUT/bare-$r.txt" 99% | ms; done | median)
go_p99=$(for r in $(seq "$ROUNDS"); do p "$OUT/go-$r.txt" 99% | ms; done | median)
ratio=$(for r in $(seq "$ROUNDS"); do awk -v a="$(rps "$OUT/go-$r.txt")" -v b="$(rps "$OUT/bare-$r.txt")" 'BEGIN {printf "%.0f\n", 100 * a / b}'; done | median)
echo
echo "Medians of $ROUNDS rounds: bare $bare_rps req/s (p99 $bare_p99 ms), /go/ $go_rps req/s (p99 $go_p99 ms); /go/ throughput ${ratio}% of the bare view in the same round."
echo "Machine: $CORES cores (load average before the run: $LOAD), gunicorn $WORKERS sync workers, wrk -t2 -c$CONNECTIONS -d$DURATION, Celery worker + beat running."

# Every click must reach the database: let the worker finish, then flush what is left.
"$PY" manage.py shell -c "
import time
from marketing import recorder
from marketing.models import Event
deadline = time.time() + 120
while recorder.pending() and time.time() < deadline:
    time.sleep(1)
recorder.flush_buffer()
print(Event.objects.filter(slug='bench').count())
" >"$OUT/stored.txt"
stored=$(tail -1 "$OUT/stored.txt")
clicks=$(grep -c '^/go/bench/$' "$OUT/access.log" || true)
echo "Clicks answered (gunicorn access log): $clicks; events stored: $stored."
[ "$clicks" = "$stored" ] || { echo "LOST OR DUPLICATED CLICKS: answered $clicks, stored $stored" >&2; exit 1; }
