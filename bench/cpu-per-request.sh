#!/usr/bin/env bash
# CPU per nested read, counted by callgrind: instructions the server executes per request of the
# bench's `plans` query, independent of the machine's load (see bench/README.md, "CPU per
# nested read"). Kept out of CI.
#
#   bench/cpu-per-request.sh BINARY DATABASE_URL [REQUESTS]
#
# DATABASE_URL: a PostgreSQL database (created if missing, seeded once with 20 personas,
# 20 plans × 20 campaigns through the API, then reused) or a sqlite:// file URL. Needs
# valgrind, curl and jq. Prints the instructions per request (Ir of every thread of the server,
# counted from the first to the last measured request).
set -euo pipefail

binary=$1
database=$2
requests=${3:-20}
port=${PORT:-18089}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export LEVIER_DATABASE_URL=$database LEVIER_BIND=127.0.0.1:$port LEVIER_WORKERS=1 RUST_LOG=warn
for limit in CREDENTIAL_PER_SECOND CREDENTIAL_BURST TENANT_PER_SECOND TENANT_BURST; do
    export "LEVIER_RATE_LIMIT_$limit=1000000000"
done

# QUERY=… counts another query (it must still read `plans`, checked at the end).
query=${QUERY:-'{ plans(first: 20) { totalCount edges { node { id name budget personas { name } campaigns(first: 20) { totalCount edges { node { name levers budget personas { name } } } } } } } }'}
token=$("$binary" token --tenant bench --role admin)

post() { # post QUERY [VARIABLES_JSON]
    jq -cn --arg q "$1" --argjson v "${2:-{\}}" '{query: $q, variables: $v}' |
        curl -sf -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            --data-binary @- "http://127.0.0.1:$port/graphql"
}

wait_ready() {
    for _ in $(seq 600); do
        curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && return 0
        sleep 0.5
    done
    echo "the server did not become ready" >&2
    return 1
}

seed() {
    local personas=() plans=()
    for index in $(seq 0 19); do
        personas+=("$(post 'mutation($input: CreatePersonaInput!) { createPersona(input: $input) { persona { id } } }' \
            "{\"input\": {\"name\": \"Persona $index\", \"summary\": \"A target customer.\", \"motivations\": [\"save time\"], \"painPoints\": [\"too many tools\"], \"preferredLevers\": [\"SEO\", \"SEA\"]}}" |
            jq -r .data.createPersona.persona.id)")
    done
    for index in $(seq 0 19); do
        plans+=("$(post 'mutation($input: CreatePlanInput!) { createPlan(input: $input) { plan { id } } }' \
            "{\"input\": {\"name\": \"Plan $index\", \"periodStart\": \"2027-01-01\", \"periodEnd\": \"2027-12-31\", \"budget\": \"250000.00\", \"personaIds\": [\"${personas[index]}\", \"${personas[(index + 1) % 20]}\", \"${personas[(index + 2) % 20]}\"]}}" |
            jq -r .data.createPlan.plan.id)")
    done
    for plan in $(seq 0 19); do
        for index in $(seq 0 19); do
            month=$(printf %02d $((index % 12 + 1)))
            post 'mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }' \
                "{\"input\": {\"planId\": \"${plans[plan]}\", \"name\": \"Campaign $plan-$index\", \"kind\": \"AWARENESS\", \"levers\": [\"SEO\", \"EMAILING\"], \"personaIds\": [\"${personas[(plan + index) % 20]}\", \"${personas[(plan + index + 7) % 20]}\"], \"startDate\": \"2027-$month-01\", \"endDate\": \"2027-$month-28\", \"budget\": \"1000.25\"}}" >/dev/null
        done
    done
}

# Seed once, with the server running normally.
"$binary" serve >"$work/seed.log" 2>&1 &
server=$!
wait_ready
if [ "$(post '{ plans(first: 1) { totalCount } }' | jq .data.plans.totalCount)" = 0 ]; then
    seed
fi
kill -TERM $server
wait $server || true

# Count under callgrind: warm up, zero the counters, send the requests, dump.
# PRELOAD=LIBRARY runs the counted server with it preloaded (e.g. a system jemalloc).
LD_PRELOAD=${PRELOAD:-} valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
    "$binary" serve >"$work/serve.log" 2>&1 &
server=$!
wait_ready
for _ in 1 2 3; do post "$query" >/dev/null; done
callgrind_control -z $server >/dev/null
for _ in $(seq "$requests"); do post "$query" >"$work/answer.json"; done
callgrind_control -d $server >/dev/null
kill -TERM $server
wait $server || true
jq -e '.data.plans.edges | length == 20' "$work/answer.json" >/dev/null
# The dump of `callgrind_control -d` (the file of the end of the run is the other one).
dump=$(ls "$work"/callgrind.out.* | head -1)
# KEEP_DUMP=FILE keeps the counts, for `callgrind_annotate FILE`.
[ -n "${KEEP_DUMP:-}" ] && cp "$dump" "$KEEP_DUMP"
total=$(awk '/^(summary|totals):/ { print $2; exit }' "$dump")
echo "instructions per request: $((total / requests)) ($total over $requests requests)"
