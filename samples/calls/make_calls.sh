#!/usr/bin/env bash
# Regenerate the synthetic two-channel 8 kHz sample calls in this folder (agent left, customer right).
#
# Needs the Debian packages espeak-ng, sox and libsox-fmt-mp3:
#   apt-get install -y espeak-ng sox libsox-fmt-mp3
# Every call is scripted below as "speaker|gap_seconds|text" lines: each utterance starts gap seconds
# after the previous one ended (a negative gap makes the speakers talk over each other, a long one is
# a hold). Writes call_*.{wav,mp3,flac,ogg}, their sidecars and manifest.csv, and references.json
# (the scripted text per call, per speaker and as ordered turns) for `qa transcribe eval`.
# Formats, as call recorders write them: IMA ADPCM WAV, MP3, mu-law WAV, FLAC, Ogg Vorbis (~0.8 MB in all).
set -euo pipefail
cd "$(dirname "$0")"
command -v espeak-ng >/dev/null && command -v sox >/dev/null || {
  echo "make_calls.sh needs espeak-ng and sox: apt-get install -y espeak-ng sox libsox-fmt-mp3" >&2; exit 1; }

AGENT_VOICE="en-us"          # espeak-ng voices: a male US voice for the agent ...
CUSTOMER_VOICE="en+f3"       # ... and a female British voice for the customer ("en" is British English;
                             # espeak-ng 1.51 drops the variant of "en-gb+f3": that is the agent's male voice)
export SOX_OPTS="-R"         # repeatable: the same dither every run, so the same audio bytes
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

# Three calls follow the script (recording disclosure, greeting, identity check before account
# details, a resolution the customer confirms, a closing); two are flawed in different ways: call 3
# never says the call may be recorded and orders a card without verifying the caller (critical
# failures: it scores 0), call 4 states a 14-day refund window (policy: 30) and ends without a closing.
make_call call_01_billing.wav -e ima-adpcm <<'EOF'
agent|0.3|Hello, thanks for calling Northwind Bank, Daniel speaking. This call may be recorded for quality and training.
customer|0.4|Hi, I was charged twice for one payment. That is so frustrating.
agent|0.4|I'm sorry about that. For security, can you confirm your postcode?
customer|0.4|It's M one, two A B.
agent|0.4|Thanks. The duplicate charge has been refunded to your account.
customer|0.4|Great, thank you so much.
agent|0.4|Have a good day.
EOF

make_call call_02_hold.mp3 -C 32 <<'EOF'
agent|0.3|Good morning, Northwind Bank, this is Daniel. This call may be recorded.
customer|0.4|Hi, I need to change my phone number.
agent|0.4|Sure. Can you confirm your postcode?
customer|0.4|It's L S one, four B X.
agent|0.4|Let me check, one moment please.
agent|6.0|Your phone number has been updated. Anything else?
customer|0.4|No, that's all, thank you.
EOF

make_call call_03_overtalk.wav -e u-law <<'EOF'
agent|0.3|Northwind cards, Maria speaking. How can I help?
customer|0.4|Hi, I lost my card and need a new one.
agent|0.4|Sorry to hear that. Your new card will arrive within five working days.
customer|-1.4|Wait, five days is too long.
agent|0.4|It has been booked for express delivery.
customer|0.4|Great, thank you.
agent|0.4|Have a good day.
EOF

make_call call_04_refund.flac -b 16 <<'EOF'
agent|0.3|Thank you for calling Northwind. My name is Maria. This call may be recorded.
customer|0.4|Hello, I would like a refund for my order.
agent|0.4|Of course. Can you confirm your full name?
customer|0.4|Anna Smith, order four five six seven.
agent|0.4|Thanks. Your refund has been issued. Our refund window is fourteen days.
customer|0.4|Okay, thanks.
EOF

make_call call_05_password.ogg -C 3 <<'EOF'
agent|0.3|Welcome to Northwind support. This call may be recorded. How can I help?
customer|0.4|Hi, I forgot my password and I'm locked out.
agent|0.4|Sorry about that. To verify your identity, what is your date of birth?
customer|0.4|July ninth, nineteen seventy five.
agent|0.4|Thanks. A password reset link has been sent to your email.
customer|0.4|Perfect, that works. Thank you.
agent|0.4|Glad I could help. Goodbye.
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
