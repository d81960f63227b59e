#!/usr/bin/env python3
"""Write calls.yaml: the spoken-PII call set, as call scripts for tools/synth_calls.py.

    python bench/data/spoken_pii/make_scripts.py     # rewrites calls.yaml (same seed, same file)

Customers read card numbers (digit by digit, with "oh", "double"/"triple", in pairs, in groups split
across turns while the agent says "mhm"), with expiry dates and security codes after them, SSNs, phone
numbers and account numbers, and say or spell e-mail addresses; every span is marked ({kind:...}) so
its time is known. Calls "fp-*" are full of numbers that are not personal data: amounts, dates, times,
order and ticket numbers that fail Luhn, extensions, counts. Every third call, and two of each kind the
third calls miss (SSN, phone, account), are the dev split (what the detector may be tuned on); the rest,
20 calls, are the test split.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
WORDS = "zero one two three four five six seven eight nine".split()
TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}
TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
MONTHS = "january february march april may june july august september october november december".split()
NAMES = ["maria", "john", "anna", "li", "omar", "sofia", "peter", "grace", "ivan", "fatima", "lucas", "emma"]
SURNAMES = ["lopez", "smith", "kowalski", "nguyen", "haddad", "rossi", "brown", "okafor", "silva", "berg"]
DOMAINS = [("example", "com"), ("northwind", "co dot uk"), ("mailbox", "org"), ("gmail", "com"), ("yahoo", "com")]


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    total = 0
    for position, char in enumerate(reversed(body + "0")):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return body + str((10 - total % 10) % 10)


def luhn_failing(length: int, rng: random.Random) -> str:
    number = luhn_complete(str(rng.randrange(1, 10)), length, rng)
    return number[:-1] + str((int(number[-1]) + 1 + rng.randrange(8)) % 10)


def two_digits(pair: str) -> str:
    n = int(pair)
    if pair[0] == "0":
        return f"oh {WORDS[n]}"
    if n < 10:
        return WORDS[n]
    if n < 20:
        return TEENS[n - 10]
    return TENS[n // 10] + ("" if n % 10 == 0 else " " + WORDS[n % 10])


def say_digits(digits: str, style: str, rng: random.Random) -> str:
    """Digits as a caller reads them: one by one, with "oh", with double/triple, or in pairs."""
    if style == "pairs" and len(digits) % 2 == 0:
        return " ".join(two_digits(digits[i:i + 2]) for i in range(0, len(digits), 2))
    out, i = [], 0
    while i < len(digits):
        d = digits[i]
        run = len(digits[i:]) - len(digits[i:].lstrip(d))
        word = "oh" if d == "0" and style in ("oh", "double") else WORDS[int(d)]
        if style == "double" and run >= 3:
            out.append(f"triple {word}")
            i += 3
        elif style == "double" and run == 2:
            out.append(f"double {word}")
            i += 2
        else:
            out.append(word)
            i += 1
    return " ".join(out)


def grouped(digits: str, sizes: list[int], style: str, rng: random.Random) -> list[str]:
    groups, pos = [], 0
    for size in sizes:
        groups.append(say_digits(digits[pos:pos + size], style, rng))
        pos += size
    return groups


def card_call(i: int, rng: random.Random) -> list[dict]:
    number = luhn_complete(rng.choice(["4", "51", "55", "6011"]), 16, rng)
    style = ["plain", "oh", "double", "pairs"][i % 4]
    groups = grouped(number, [4, 4, 4, 4], style, rng)
    utts = [{"agent": "Thank you for calling Northwind cards. How can I help today?"},
            {"customer": rng.choice(["I'd like to pay my bill by card.", "I want to set up a card payment, please.",
                                     "Hi, I need to update the card on my account."])},
            {"agent": rng.choice(["Sure. What's the long number on the front of the card?",
                                  "Of course. Can I have the card number please?", "Go ahead with the card number."])}]
    if i % 3 == 0:  # read in two halves, the agent acknowledging in between
        utts += [{"customer": f"It's {{card:{groups[0]}, {groups[1]}}}"},
                 {"agent": rng.choice(["Mhm.", "Okay.", "Go on."]), "gap": 0.3},
                 {"customer": f"{{card:{groups[2]}, {groups[3]}}}.", "gap": 0.3}]
    else:
        utts.append({"customer": f"Yes, it's {{card:{', '.join(groups)}}}."})
    if i % 2 == 0:
        month, year = rng.randrange(1, 13), rng.randrange(27, 32)
        expiry = rng.choice([f"oh {WORDS[month]} {two_digits(str(year))}" if month < 10 else f"{two_digits(str(month))} {two_digits(str(year))}",
                             f"{MONTHS[month - 1]} twenty {two_digits(str(year))}"])
        cvv = say_digits("".join(str(rng.randrange(10)) for _ in range(3)), "plain", rng)
        utts += [{"agent": "And the expiry date and the security code on the back?"},
                 {"customer": f"It expires {{expiry:{expiry}}} and the security code is {{cvv:{cvv}}}."}]
    else:
        utts += [{"agent": "Thank you. Where should I send the receipt?"},
                 {"customer": f"To {{email:{email_address(i + 1, rng)}}}, please."}]
    utts += [{"agent": "Thank you, the payment went through. Anything else?"},
             {"customer": "No, that's all. Thanks."}]
    return utts


def ssn_call(i: int, rng: random.Random) -> list[dict]:
    area = rng.randrange(1, 900)
    while area == 666:
        area = rng.randrange(1, 900)
    digits = f"{area:03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"
    style = ["plain", "oh", "double"][i % 3]
    groups = grouped(digits, [3, 2, 4], style, rng)
    said = ", ".join(groups) if i % 2 == 0 else " ".join(groups)
    return [{"agent": "Northwind benefits desk, how can I help?"},
            {"customer": "I'm calling about my tax form, it never arrived."},
            {"agent": rng.choice(["I can look into that. What's your social security number?",
                                  "To verify you, can I have your social security number?"])},
            {"customer": f"Sure, it's {{ssn:{said}}}."},
            {"agent": "Thanks. I've sent a new copy to the address on file. Is there a number we can text?"},
            {"customer": f"Yes, {{phone:{', '.join(grouped(_phone(rng), [3, 3, 4], style, rng))}}}."},
            {"agent": "Done. You'll get a text when it ships."}]


def _phone(rng: random.Random) -> str:
    area = rng.choice(["212", "415", "312", "617", "303", "206", "512", "404"])
    line = f"{rng.randrange(2, 10)}{rng.randrange(10)}{rng.randrange(10)}"
    return area + line + f"{rng.randrange(10000):04d}"


def phone_call(i: int, rng: random.Random) -> list[dict]:
    digits = _phone(rng)
    style = ["plain", "oh", "double"][i % 3]
    groups = grouped(digits, [3, 3, 4], style, rng)
    return [{"agent": "Northwind support, this is Sam. How can I help?"},
            {"customer": "Hi, I'd like a call back about my claim."},
            {"agent": "Of course. What's the best number to reach you on?"},
            {"customer": f"You can call me on {{phone:{', '.join(groups)}}}."},
            {"agent": "Got it. Someone will call you this afternoon."},
            {"customer": "Perfect, thanks a lot."}]


def email_address(i: int, rng: random.Random) -> str:
    name, surname = rng.choice(NAMES), rng.choice(SURNAMES)
    domain, tld = rng.choice(DOMAINS)
    style = i % 4
    if style == 0:
        local = f"{name} dot {surname}"
    elif style == 1:
        local = " ".join(name)  # spelled
    elif style == 2:
        local = f"{name} underscore {surname} {say_digits(str(rng.randrange(10, 100)), 'plain', rng)}"
    else:
        local = f"{name[0]} dot {surname}"
    return f"{local} at {domain} dot {tld}"


def email_call(i: int, rng: random.Random) -> list[dict]:
    return [{"agent": "Northwind online help, this is Priya."},
            {"customer": "Hi, I never got the confirmation e-mail for my order."},
            {"agent": "Let me check. What e-mail address did you use?"},
            {"customer": f"It's {{email:{email_address(i, rng)}}}."},
            {"agent": "I see a typo on our side. I've resent it now."},
            {"customer": "Thanks, I can see it."}]


def account_call(i: int, rng: random.Random) -> list[dict]:
    digits = "".join(str(rng.randrange(10)) for _ in range(rng.choice([8, 10])))
    said = say_digits(digits, ["plain", "oh", "double"][i % 3], rng)
    return [{"agent": "Northwind Bank, how can I help?"},
            {"customer": "I want to check a transfer to my savings."},
            {"agent": "Can you give me the account number please?"},
            {"customer": f"Yes, account number {{account:{said}}}."},
            {"agent": "Thanks. The transfer arrived this morning."},
            {"customer": "Good to know, thank you."}]


def false_positive_call(i: int, rng: random.Random) -> list[dict]:
    order = luhn_failing(16, rng)
    ticket = "".join(str(rng.randrange(10)) for _ in range(rng.choice([6, 8, 12])))
    amount = rng.choice(["two hundred and fifty dollars", "forty nine ninety nine", "one thousand two hundred dollars",
                         "three hundred and twelve dollars and fifty cents"])
    return [{"agent": "Northwind orders, how can I help?"},
            {"customer": f"Hi, my order number is {say_digits(order, ['plain', 'oh'][i % 2], rng)}."},
            {"agent": f"Thanks. I see {rng.choice(['two', 'three', 'four'])} items, {amount} in total, "
                      f"shipped on the {rng.choice(['first', 'twenty first', 'ninth'])} of "
                      f"{rng.choice(MONTHS)} twenty twenty six."},
            {"customer": f"It was due at {rng.choice(['three thirty', 'ten fifteen', 'two o clock'])} yesterday. "
                         f"I have ticket number {say_digits(ticket, 'plain', rng)} open about it."},
            {"agent": f"I'll transfer you to logistics, extension {say_digits(str(rng.randrange(1000, 10000)), 'plain', rng)}. "
                      f"It takes five to seven working days, sorry."},
            {"customer": f"Okay. I've waited {rng.choice(['ten', 'twelve', 'fourteen'])} days already, but fine."}]


def split(n: int) -> str:
    """Every third call is dev, and the first and fourth call of each kind that would have none."""
    return "dev" if n % 3 == 0 or n in (1, 19, 2, 20, 5, 23) else "test"


def main() -> None:
    rng = random.Random(14)
    makers = [card_call, ssn_call, phone_call, email_call, card_call, account_call]
    calls = []
    for i in range(30):
        maker = makers[i % len(makers)]
        utts = maker(i // len(makers) * 7 + i, rng)
        calls.append((f"pii-{i + 1:02d}", utts))
    for i in range(10):
        calls.append((f"fp-{i + 1:02d}", false_positive_call(i, rng)))
    out = []
    for n, (name, utts) in enumerate(calls):
        pitch = round(rng.uniform(0.85, 1.25), 2)
        speed = round(rng.uniform(0.88, 1.1), 2)
        out.append({
            "file": f"{name}.flac",
            "metadata": {"call_id": f"SP-{name}", "agent_id": "a-maria", "queue": "cards",
                         "split": split(n)},
            "seed": n,
            "audio": {"mulaw": n % 2 == 0, "snr_db": rng.choice([20, 25, 30, 35]),
                      "crosstalk_db": -30, "channel_gain_db": {"right": rng.choice([0, -3, -6])}},
            "voices": {"agent": {"pitch": round(rng.uniform(0.85, 1.0), 2), "speed": round(rng.uniform(0.95, 1.1), 2)},
                       "customer": {"pitch": pitch, "speed": speed}},
            "utterances": utts,
        })
    header = "# Generated by make_scripts.py: edit that, not this file.\n"
    text = yaml.safe_dump({"defaults": {"audio": {"telephone": True}}, "calls": out}, sort_keys=False, width=120)
    (HERE / "calls.yaml").write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    main()
