"""A simulated team's own reviews: 700 labelled chats of one mobile-network care team ("Kestrel Mobile").

    python tests/data/labelled/team/build.py            # writes tests/data/labelled/team/kestrel.jsonl
    python tests/data/labelled/team/build.py --check    # fails when the file is out of date

Every line below was written by hand for this team's house style (lowercase, "u"/"ur", emoji, "ta",
"gimme 2 ticks", "that's a you problem"), which the shipped checks were not written for; a chat is put
together from them with a seeded generator, so each label follows from the parts chosen (the rules are
in :func:`chat`, by the definitions in ../README.md). Lines recur as a team's macros do, with their
fillers, names, amounts and typing varied; measure what a team learns on the chats after the ones it
learnt from (the file is in time order, 2026-06-01 .. 2026-11-29).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("kestrel.jsonl")
COUNT = 700
SEED = 21
START = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
AGENTS = [("a-201", "Jo Tanaka"), ("a-202", "Kai Brennan"), ("a-203", "Mia Okafor"), ("a-204", "Raf Duarte"),
          ("a-205", "Tess Lindqvist"), ("a-206", "Dev Anand")]
FIRST = ["sam", "priya", "tom", "alex", "noor", "ben", "lucy", "omar", "chloe", "jake", "ana", "liam"]

# --- topics: what the customer wants, an account detail, a general answer, a fix, a handover -----------
TOPICS: list[dict[str, Any]] = [
    {"calm": ["hi, my bill is higher than usual this month, can u check why", "hey why is my bill {amt} this month",
              "bill looks off this month, what happened"],
     "upset": ["my bill is {amt}?? are u kidding me, its never more than 30", "WHY IS MY BILL {amt}. this is a joke",
               "seriously fed up, ur charging me {amt} again for nothing"],
     "detail": ["so ur bill has 3 days of roaming in spain on it, {amt} all in", "looking at ur account, there's a "
                "{amt} charge for extra data on the 14th"],
     "general": ["bills go up when u go over ur data or roam outside the eu, that's the usual reason",
                 "any extras outside ur plan show up as a separate line at the bottom of the bill"],
     "fix": [("I've knocked the roaming charge off, ur balance is {amt2} now", False),
             ("done, the extra data charge is refunded to ur card, takes 3-5 days to land", True)],
     "reject": ["hmm that doesnt explain it tho, i wasnt abroad", "i dont think thats it, i didnt use extra data"],
     "escalate": ["I'm passing this to our billing crew, they'll ring u within 24h", "this one's for the billing "
                  "team, I've sent it over and they'll email u by tomorrow"]},
    {"calm": ["hey, no signal at home since yesterday", "hi my phone says no service, postcode is fine usually",
              "got zero bars at my place since monday"],
     "upset": ["no signal AGAIN. 3rd time this month, im so done", "ive had no service for 2 days and i work from home, "
               "this is ridiculous", "cant even call my mum, ur network is useless rn"],
     "detail": ["ur sim last connected on the 12th and ur line's on the unlimited 5g plan",
                "I can see ur line was barred for a missed payment on the 10th"],
     "general": ["there's planned mast work in a few areas this week, it usually clears in a day or two",
                 "wifi calling works indoors when the mast is down, it's in settings under phone"],
     "fix": [("I've reset ur line from our end, u should have bars again now", False),
             ("lifted the bar on ur line, u're good to call again", False)],
     "reject": ["still nothing tho, restarted twice", "nope still says no service"],
     "escalate": ["I've raised it with the network crew, an engineer will text u an update by 6pm",
                  "sending this to our network team, they'll call u back tomorrow morning"]},
    {"calm": ["hi where's my new sim, ordered it last week", "hey sim hasnt arrived yet, any news",
              "ordered a replacement sim on tuesday, still waiting"],
     "upset": ["WHERE IS MY SIM. been a week and nothing", "still no sim, this is honestly the worst service ive had",
               "so annoyed, my sim never showed up and ive got no phone"],
     "detail": ["ur sim went out on the 3rd to the flat 2 address we have on file",
                "the order on ur account shows it came back to us as undeliverable"],
     "general": ["sims go out second class and usually take 2-4 working days",
                 "an esim is quicker, u can switch to one in the app in about 5 mins"],
     "fix": [("I've sent u an esim instead, check ur email for the qr code", True),
             ("sent a new sim by next-day delivery, it'll be with u tomorrow", True)],
     "reject": ["hmm i was hoping for it this week", "i dont have an esim phone tho"],
     "escalate": ["I'm handing this to our deliveries team, they'll chase the courier and text u",
                  "I've logged it with dispatch, someone from there will email u by friday"]},
    {"calm": ["hi, can i upgrade my phone early", "hey what are my upgrade options", "thinking of upgrading, am i due"],
     "upset": ["been trying to upgrade for a week and the app keeps crashing, so frustrating",
               "why cant i upgrade?? paid off the phone ages ago, this is stupid"],
     "detail": ["ur contract ends on 4 march, so u've got {months} months left on it",
                "u've got {amt} left to pay on the current handset"],
     "general": ["upgrades open 60 days before the contract ends, earlier if u pay off the handset",
                 "the app's upgrade page shows every phone we have and the monthly price"],
     "fix": [("done, ur upgrade's gone through on ur account", False),
             ("done, I've set ur upgrade up, the phone ships thursday", True)],
     "reject": ["hmm but my contract started 2 years ago", "i knew that already, my question was about my account"],
     "escalate": ["I've passed u to our upgrades desk, they'll call u this afternoon",
                  "sending this to the retention team, they'll ring u in the next day or so"]},
    {"calm": ["hi want to keep my number when i join, how does that work", "hey how do i port my number to u",
              "can u move my old number over"],
     "upset": ["my number transfer failed AGAIN, ive lost my number for 3 days now",
               "ur port is still stuck and im missing work calls, unreal"],
     "detail": ["the port on ur account is booked for the 21st and it's still pending",
                "ur port request bounced because the code had expired on the 2nd"],
     "general": ["u text PAC to 65075 from ur old network, then give us the code, it takes one working day",
                 "the code lasts 30 days, after that u need a new one"],
     "fix": [("I've re-submitted ur port with the new code, ur old number is back now", False),
             ("port's booked again for tomorrow morning, ur number moves over then", True)],
     "reject": ["i already did that tho", "hm still shows pending on my side"],
     "escalate": ["I'm passing this to our porting team, they'll email u within 48h",
                  "handing this to the number transfers team, they'll call u tomorrow"]},
    {"calm": ["hi how much is roaming in the us", "hey does my plan work in turkey", "going to portugal, will i pay extra"],
     "upset": ["just got a text saying i owe {amt} for roaming?? nobody told me, livid",
               "ur roaming charges are a scam, {amt} for 2 days?!"],
     "detail": ["ur plan's got the roam-free add-on, so portugal is included for u",
                "there were 2 roaming days on ur line last week, {amt} each"],
     "general": ["roaming in the eu is 2.50 a day on all our plans, outside it's a daily pass",
                 "the us daily pass is 6 a day and covers calls, texts and data"],
     "fix": [("I've added the travel pass to ur line, u're covered from today", False),
             ("I've capped ur roaming so it can't go past 10 this month", False)],
     "reject": ["i meant the charge i already got tho", "ok but will i be charged or not"],
     "escalate": ["I've sent this to the billing crew to look at the charge, they'll write to u by tomorrow",
                  "passing this over to our travel team, they'll call u back in a couple of hours"]},
]

# --- the agent's lines, in the team's style ------------------------------------------------------------
GREETING = ["heya 👋 {agent} from kestrel here", "hiya! {agent} on chat today", "yo {first}, {agent} here",
            "hey hey, {agent} at kestrel ✌️", "g'day {first}, {agent} from the kestrel crew",
            "{agent} here, welcome to kestrel chat", "hi {first}! it's {agent}", "hey! {agent} here 🙂",
            "ayy {first}, {agent} jumping on", "hey there, u've got {agent}", "hello hello, {agent} here"]
NO_GREETING = ["right", "ok so", "on it", "lemme see", "checking", "got it", "ok", "alright then", "sure thing",
               "yep, looking"]
ACK = ["ugh that's rubbish, sorry 😕", "oof, that sounds proper annoying", "yikes, not what u need rn",
       "ah man, that's a pain, I'd be fuming too", "mate that's rough, sorry", "argh, sorry, that's on us",
       "I hear ya, that's super frustrating", "not gonna tell u to calm down, u've every right to be annoyed",
       "that's a rubbish day, sorry u're dealing w it", "ouch, totally get why u're cross"]
BRIDGE = ["let's sort it", "let's have a look", "let's get this fixed", "I'll dig in", "leave it w me",
          "let's see what's up"]
VERIFY = ["can u pop me ur date of birth and postcode first?", "quick one first, what's the postcode and last 4 "
          "of the card on file?", "before I dive in, can u confirm ur dob + first line of address?",
          "need to check it's u, what's ur security word?", "just sent a code to ur phone, can u read it back to me?",
          "can u confirm the email we've got on file for u?"]
VERIFY_REPLY = ["{dob}, {pc}", "{pc} and {last4}", "{dob} and {house} {street}", "its {word}", "{code}",
                "{first}{n} at the usual gmail"]  # the answer to each question above
HOLD = ["gimme 2 ticks to dig into this", "hang tight, checking the network map", "sec, pulling up ur account",
        "bear w me a min while I look", "lemme poke around, back in a jiffy", "sit tight a sec",
        "2 mins, just checking w the system"]
THANKS = ["ta for hanging on", "cheers for waiting", "thx for ur patience", "back! ta for sticking around",
          "thanks for holding on"]
SORRY_WAIT = ["sorry that took a while", "soz for the wait"]
BACK = ["ok", "right", "so", "back", "found it"]
RUDE = ["tbh that's a you problem, the t&cs were pretty clear", "mate, I can't fix people not reading their emails",
        "we literally text everyone about this, not sure what else u want", "yeah that's what happens when u ignore "
        "the warnings lol", "not gonna lie, this is kinda basic stuff", "maybe try reading the bill before firing off "
        "at me", "look, I don't make the rules, take it up w someone who cares", "if u can't work the app I can't "
        "really help u", "I'm not ur personal tech support, there's a help page", "chill, shouting at me won't make "
        "it go faster", "that's on u for not checking, tbh", "we get this from ppl who don't read stuff every day"]
FINE = ["no stress, loads of people miss that text", "totally fair question, the bill layout isn't the clearest",
        "good shout checking in", "u didn't do anything wrong here fwiw", "happy days, easy one",
        "fair enough, it's a confusing one", "no worries at all", "glad u messaged"]
ACCEPT = ["oh nice, that works", "perfect ta", "ah ok that makes sense", "yep all good now", "sweet", "legend, ta",
          "ok great", "ah brill"]
ESC_OK = ["ok fine", "ok", "alright", "fine, ta", "k"]
CLOSING = ["anything else I can sort for u? 🙌", "that's u sorted, have a good one ✌️", "catch ya later 👋",
           "shout if anything else pops up", "laters! take care", "anything else while I've got u?",
           "have a good arvo 👋", "enjoy the rest of ur day!", "give us a shout anytime, bye for now"]
NO_CLOSING = ["👍", "yep", "ok", "noted", "right", "cool", "k", "sure"]
LAST = {"positive": ["cheers, legend", "thanks so much!", "ta, u've been great", "love it, thanks 🙏",
                     "nice one, thank u"],
        "neutral": ["nah all good", "k", "no thats it", "ok", "nope"],
        "negative": ["whatever. switching networks", "great, just great", "useless as always",
                     "im putting in a complaint", "well that was a waste of time"]}


def _fill(rng: random.Random, text: str, ctx: dict[str, str]) -> str:
    return text.format(**ctx)


def _cust(rng: random.Random, text: str) -> str:
    """A customer line typed this team's customers' way: sometimes lowercased, apostrophes dropped, no full stop."""
    if rng.random() < 0.3:
        text = text.replace("'", "")
    if rng.random() < 0.2 and not text.isupper():
        text = text.lower()
    return text


def _join(*parts: str) -> str:
    """Agent parts as one turn: each part a sentence of its own (ending in . ! ? or an emoji)."""
    out = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        out.append(part if part[-1] in ".!?:" or ord(part[-1]) > 0x2000 else part + ".")
    return " ".join(out)


def chat(n: int, rng: random.Random) -> dict[str, Any]:
    """One chat and its labels (every label follows from the parts chosen)."""
    agent_id, agent = AGENTS[rng.randrange(len(AGENTS))]
    first = rng.choice(FIRST)
    topic = rng.choice(TOPICS)
    ctx = {"agent": agent.split()[0], "first": first, "amt": f"£{rng.randint(38, 140)}.{rng.randint(0, 99):02d}",
           "amt2": f"£{rng.randint(12, 36)}.{rng.randint(0, 99):02d}", "months": str(rng.randint(2, 9)),
           "dob": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1962, 2004)}",
           "pc": rng.choice(["LS6 2AB", "M14 5RT", "BS3 4QP", "G12 8LN", "CF10 3AT", "NE2 1XY"]),
           "last4": str(rng.randint(1000, 9999)), "house": str(rng.randint(1, 120)),
           "street": rng.choice(["harbour view", "mill lane", "oak st", "station rd", "park ave"]),
           "word": rng.choice(["pickles", "bluebird", "marmite", "rover"]), "code": str(rng.randint(100000, 999999)),
           "n": str(rng.randint(1, 99))}

    upset = rng.random() < 0.45
    acknowledges = upset and rng.random() < 0.55
    greets = rng.random() < 0.7
    outcome = rng.choices(["fix", "answer", "escalate", "fail", "approved"], [40, 18, 20, 15, 7])[0]
    shows_detail = outcome in ("fix", "approved") or (outcome in ("escalate", "fail") and rng.random() < 0.5)
    verifies = rng.random() < (0.65 if shows_detail else 0.3)
    hold = rng.choices([None, True, False], [55, 30, 15])[0]
    aside = rng.choices([None, "rude", "fine"], [50, 27, 23])[0]
    if upset and not acknowledges and aside == "fine":
        aside = None  # a kind aside could read as acknowledging the upset
    closes = rng.random() < 0.65

    turns: list[tuple[str, str, int]] = []  # (speaker, text, seconds after the previous turn)
    opener = rng.choice(topic["upset" if upset else "calm"])
    turns.append(("customer", _cust(rng, _fill(rng, opener, ctx)), 0))
    first_reply = [rng.choice(GREETING if greets else NO_GREETING)]
    if acknowledges:
        first_reply.append(rng.choice(ACK))
    first_reply.append(rng.choice(BRIDGE))
    asked = rng.randrange(len(VERIFY))
    if verifies:
        first_reply.append(VERIFY[asked])
    turns.append(("agent", _fill(rng, _join(*first_reply), ctx), rng.randint(20, 70)))
    if verifies:
        turns.append(("customer", _fill(rng, VERIFY_REPLY[asked], ctx), rng.randint(15, 50)))
    if hold is not None:
        turns.append(("agent", rng.choice(HOLD), rng.randint(10, 30)))
    middle = []
    if hold is True:
        middle.append(rng.choice(THANKS + (SORRY_WAIT if not (upset and not acknowledges) else [])))
    elif hold is False:
        middle.append(rng.choice(BACK))
    if aside is not None:
        middle.append(rng.choice(RUDE if aside == "rude" else FINE))
    next_steps = False
    if shows_detail:
        middle.append(rng.choice(topic["detail"]))
    if outcome in ("fix", "approved"):
        line, next_steps = rng.choice(topic["fix"])
        if outcome == "approved":
            middle.append(rng.choice(["checked w my team lead and she's ok'd it", "my tl's approved it"]))
        middle.append(line)
    elif outcome == "answer":
        middle.append(rng.choice(topic["general"]))
    elif outcome == "escalate":
        middle.append(rng.choice(topic["escalate"]))
        next_steps = True
    else:  # fail: a general answer the customer rejects
        middle.append(rng.choice(topic["general"]))
    turns.append(("agent", _fill(rng, _join(*middle), ctx), rng.randint(120, 420) if hold is not None
                  else rng.randint(25, 90)))
    if outcome in ("fix", "approved", "answer"):
        reaction = rng.choice(ACCEPT)
    elif outcome == "escalate":
        reaction = rng.choice(ESC_OK)
    else:
        reaction = rng.choice(topic["reject"])
    turns.append(("customer", _cust(rng, reaction), rng.randint(15, 60)))
    turns.append(("agent", rng.choice(CLOSING if closes else NO_CLOSING), rng.randint(10, 40)))
    resolved = outcome in ("fix", "approved", "answer")
    mood = rng.choice(["positive", "neutral"] if resolved else ["neutral", "negative"] if outcome == "fail"
                      else ["positive", "neutral", "negative"])
    turns.append(("customer", _cust(rng, rng.choice(LAST[mood])), rng.randint(10, 40)))

    started = START + timedelta(minutes=round(n * (181 * 24 * 60) / COUNT))
    at, out_turns = started, []
    for speaker, text, delay in turns:
        at += timedelta(seconds=delay)
        out_turns.append({"speaker": speaker, "text": text, "at": at.strftime("%Y-%m-%dT%H:%M:%SZ")})
    labels = {
        "greeting": greets,
        "closing": closes or next_steps,  # next steps in the agent's last two turns close too
        "empathy_when_needed": acknowledges if upset else None,
        "identity_verified_before_account_details": verifies if shows_detail else None,
        "prohibited_language_by_agent": aside == "rude",
        "resolved": resolved,
        "escalated": outcome == "escalate",
        "hold_etiquette": hold,
        "customer_sentiment_end": mood,
        "unredacted_pii": [],
    }
    styles = ["team-kestrel", "upset" if upset else "calm", outcome] + (["hold"] if hold is not None else [])
    return {"id": f"kt-{n + 1:04d}", "channel": "chat", "agent": {"id": agent_id, "name": agent, "team": "kestrel"},
            "customer": {"id": f"cust-kt-{n + 1:04d}"}, "started_at": out_turns[0]["at"], "queue": "kestrel",
            "topic": topic["calm"][0][:40], "language": "en", "turns": out_turns,
            "metadata": {"domain": "telecom", "styles": styles}, "labels": labels}


def build() -> str:
    """The whole file's text (the same every time)."""
    rng = random.Random(SEED)
    return "".join(json.dumps(chat(n, rng), ensure_ascii=False) + "\n" for n in range(COUNT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail when the file is out of date")
    args = parser.parse_args()
    text = build()
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT}: out of date: run python {Path(__file__)}", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"written {OUT} ({COUNT} chats)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
