#!/usr/bin/env bash
# Regenerate the synthetic two-channel 8 kHz sample calls in this folder (agent left, customer right).
#
# Needs the Debian packages espeak-ng, sox and libsox-fmt-mp3:
#   apt-get install -y espeak-ng sox libsox-fmt-mp3
# Every call is scripted below as "speaker|gap_seconds|text" lines: each utterance starts gap seconds
# after the previous one ended (a negative gap makes the speakers talk over each other, a long one is
# a hold). Writes call_*.{wav,mp3,flac,ogg}, their sidecars and manifest.csv, and references.json
# (the scripted text per call, per speaker and as ordered turns) for `qa transcribe eval`.
set -euo pipefail
cd "$(dirname "$0")"
command -v espeak-ng >/dev/null && command -v sox >/dev/null || {
  echo "make_calls.sh needs espeak-ng and sox: apt-get install -y espeak-ng sox libsox-fmt-mp3" >&2; exit 1; }

AGENT_VOICE="en-us"          # espeak-ng voices: a male US voice for the agent ...
CUSTOMER_VOICE="en-gb+f3"    # ... and a female British voice for the customer
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
refs="$tmp/refs.tsv"; : >"$refs"

# make_call NAME OUTPUT_OPTIONS: reads the script from stdin, writes NAME (format from its extension)
make_call() {
  local name=$1; shift
  local t=0 i=0 left=() right=()
  while IFS='|' read -r speaker gap text; do
    [[ -z "$speaker" ]] && continue
    i=$((i + 1))
    local voice=$AGENT_VOICE; [[ $speaker == customer ]] && voice=$CUSTOMER_VOICE
    espeak-ng -v "$voice" -s 175 -w "$tmp/u$i.raw.wav" "$text"
    sox "$tmp/u$i.raw.wav" -r 8000 -c 1 -b 16 "$tmp/u$i.wav" norm -3 \
      silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse  # trim espeak's leading/trailing silence
    local start; start=$(awk -v t="$t" -v g="$gap" 'BEGIN { s = t + g; if (s < 0) s = 0; printf "%.3f", s }')
    local dur; dur=$(soxi -D "$tmp/u$i.wav")
    sox "$tmp/u$i.wav" "$tmp/p$i.wav" pad "$start"
    t=$(awk -v s="$start" -v d="$dur" 'BEGIN { printf "%.3f", s + d }')
    if [[ $speaker == agent ]]; then left+=("$tmp/p$i.wav"); else right+=("$tmp/p$i.wav"); fi
    printf '%s\t%s\t%s\t%s\n' "$name" "$speaker" "$start" "$text" >>"$refs"
  done
  mix() { if (($# == 1)); then cp "$1" "$tmp/mix.wav"; else sox -m "$@" "$tmp/mix.wav"; fi; }
  mix "${left[@]}"; mv "$tmp/mix.wav" "$tmp/left.wav"
  mix "${right[@]}"; mv "$tmp/mix.wav" "$tmp/right.wav"
  sox -M "$tmp/left.wav" "$tmp/right.wav" "$@" "$name" pad 0 0.3
}

make_call call_01_billing.wav -b 16 -e signed-integer <<'EOF'
agent|0.3|Thank you for calling Northwind Bank, this is Daniel. How can I help?
customer|0.4|Hi, I was charged twice for my card payment.
agent|0.4|Sorry about that. Let me check your account.
EOF

make_call call_02_hold.mp3 -C 32 <<'EOF'
agent|0.3|Good morning, this is Northwind Bank.
customer|0.4|I need to change the address on my account.
agent|0.4|Sure, please hold while I open your file.
agent|6.0|Thank you for holding. Your account is open now.
EOF

make_call call_03_overtalk.wav -e u-law <<'EOF'
agent|0.3|Your new card will arrive within five working days.
customer|-1.4|Wait, five days is too long.
agent|0.4|I can send it by express delivery.
customer|0.4|Yes please.
EOF

make_call call_04_refund.flac -b 16 <<'EOF'
customer|0.3|Hello, I would like a refund for my order.
agent|0.5|Of course. Can you give me the order number?
customer|0.4|It is four five six seven.
agent|0.4|Thank you, the refund is on its way.
EOF

make_call call_05_password.ogg -C 3 <<'EOF'
agent|0.3|Welcome to Northwind support, how can I help?
customer|0.5|I forgot my password and cannot log in.
agent|0.4|I will send you a reset link by email.
customer|0.4|Perfect, thank you very much.
EOF

# Metadata: calls 1 and 2 have sidecars, 3 and 4 are in manifest.csv, 5 has no agent (stored "unassigned").
cat >call_01_billing.json <<'EOF'
{"call_id": "NW-1001", "agent_id": "a-daniel", "started_at": "2026-11-20T09:15:00+00:00", "queue": "billing", "customer_id": "cust-771"}
EOF
cat >call_02_hold.json <<'EOF'
{"call_id": "NW-1002", "agent_id": "a-daniel", "started_at": "2026-11-20T10:02:00+00:00", "queue": "accounts"}
EOF
cat >call_05_password.json <<'EOF'
{"call_id": "NW-1005", "started_at": "2026-11-21T08:45:00+00:00", "queue": "support"}
EOF
cat >manifest.csv <<'EOF'
file,call_id,agent_id,started_at,queue,customer_id
call_03_overtalk.wav,NW-1003,a-maria,2026-11-20T11:30:00+00:00,cards,cust-902
call_04_refund.flac,NW-1004,a-maria,2026-11-21T14:05:00+00:00,refunds,
EOF

python3 - "$refs" >references.json <<'EOF'
import collections, json, sys
calls = collections.OrderedDict()
for line in open(sys.argv[1], encoding="utf-8"):
    name, speaker, start, text = line.rstrip("\n").split("\t")
    calls.setdefault(name, []).append({"speaker": speaker, "start_s": float(start), "text": text})
out = {name: {"text": " ".join(t["text"] for t in turns), "turns": turns} for name, turns in calls.items()}
print(json.dumps({"references": out}, indent=2))
EOF
ls -l call_* manifest.csv references.json
du -cb call_*.wav call_*.mp3 call_*.flac call_*.ogg | tail -1
