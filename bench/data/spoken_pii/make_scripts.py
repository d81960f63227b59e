#!/usr/bin/env python3
"""Write calls.yaml: the spoken-PII call set, as call scripts for tools/synth_calls.py.

    python bench/data/spoken_pii/make_scripts.py     # rewrites calls.yaml (same seed, same file)

Customers read card numbers (digit by digit, with "oh", "double"/"triple", in pairs, in groups split
across turns while the agent says "mhm"), with expiry dates and security codes after them, SSNs, phone
numbers and account numbers, and say or spell e-mail addresses; every span is marked ({kind:...}) so
its time is known. Calls "fp-*" are full of numbers that are not personal data: amounts, dates, times,
order and ticket numbers that fail Luhn, extensions, counts.

Splits: the first two batches (86 calls) are all dev now; their old test split was looked at while the detector
was tuned, so it moved into dev. The test split is the third batch (28 calls, below), written before the
detector changes it measures and never tuned on, and the fourth: the same 28 scripts said by voices in the dev
calls' range (the third batch's voices and noise were hard enough for tiny.en to measure the recogniser more
than the detector).

A second batch (46 calls, its own random generator so the first 40 stay as they were; dev and test alternate
within each kind) adds new speakers (the piper voice stretched further), louder line noise (12-25 dB SNR) and more styles: cards, account numbers and SSNs read group by group
with the agent's "mhm", "okay", "go on" in between, pairs and single digits mixed ("forty one, oh two,
double five"), 15-digit cards with 4-digit codes, expiry dates as "march of twenty thirty", e-mail addresses
with a spelled first name or surname, digits, dashes or a name run together, identity checks (account
number, SSN, cell number in one call), and calls full of numbers that are no personal data: an order number
read in groups around "mhm" that fails Luhn, the last four digits of a card, prices, dates, years, times, a
zip code, sizes, a flat number and an extension.

Later batches (t3/t4, t5, d5, t6, d6, d7, t7, d8, d9) are described where they are made, below; each has its own random generator, so
the batches before it stay byte for byte as they were.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

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


# --- second batch (issue 14, round 2): more spans per type, new speakers and styles -----------------

ACKS = ["Mhm.", "Okay.", "Uh huh.", "Yep.", "Got it.", "Go on."]


def say_mixed(digits: str, rng: random.Random) -> str:
    """Pairs and single digits mixed, with "oh" and "double" here and there ("forty one, oh two, double five")."""
    out, i = [], 0
    while i < len(digits):
        # a pair, but no "ninety" before another digit: "ninety nine" would be read as 99
        pair_ok = digits[i] != "0" and (digits[i + 1:i + 2] != "0" or digits[i] == "1" or i + 2 == len(digits))
        if i + 1 < len(digits) and pair_ok and rng.random() < 0.4:
            out.append(two_digits(digits[i:i + 2]))
            i += 2
        elif i + 1 < len(digits) and digits[i] == digits[i + 1] and rng.random() < 0.7:
            out.append(f"double {'oh' if digits[i] == '0' else WORDS[int(digits[i])]}")
            i += 2
        else:
            out.append("oh" if digits[i] == "0" and rng.random() < 0.6 else WORDS[int(digits[i])])
            i += 1
    return " ".join(out)


def say_any(digits: str, style: str, rng: random.Random) -> str:
    return say_mixed(digits, rng) if style == "mixed" else say_digits(digits, style, rng)


def read_in_turns(kind: str, groups: list[str], lead: str, rng: random.Random) -> list[dict]:
    """A number read in groups, one turn each, the agent acknowledging in between ("mhm")."""
    utts: list[dict] = []
    for n, group in enumerate(groups):
        text = f"{{{kind}:{group}}}"
        utts.append({"customer": (f"{lead} {text}" if n == 0 else text) + ("." if n == len(groups) - 1 else ",")})
        if n < len(groups) - 1:
            utts.append({"agent": rng.choice(ACKS), "gap": round(rng.uniform(0.2, 0.5), 2)})
    return utts


def card_call_2(i: int, rng: random.Random) -> list[dict]:
    """A card (in one go, in two halves or group by group around "mhm"), its expiry and code, sometimes an e-mail."""
    number = luhn_complete(rng.choice(["4", "51", "53", "6011", "37"]), 15 if i % 7 == 6 else 16, rng)
    style = ["plain", "oh", "double", "pairs", "mixed"][i % 5]
    sizes = [4, 6, 5] if len(number) == 15 else [4, 4, 4, 4]
    groups = [say_any(number[a:a + n], style, rng) for a, n in zip([0, 4, 10] if len(number) == 15 else [0, 4, 8, 12], sizes)]
    utts = [{"agent": rng.choice(["Northwind billing, you're speaking with Leo.", "Thanks for holding, this is Ana in payments."])},
            {"customer": rng.choice(["Hi, I want to pay off my balance today.", "Hello, yeah, I need to make a payment.",
                                     "Hi there, my autopay failed so I'm paying by phone."])},
            {"agent": rng.choice(["No problem. Which card would you like to use? Read me the number when you're ready.",
                                  "Sure. Go ahead with the sixteen digit number on the card.",
                                  "Okay, what's the card number?"])}]
    mode = i % 3
    if mode == 0:
        utts += read_in_turns("card", groups, rng.choice(["Okay, it's", "Right, so", "Um, it's"]), rng)
    elif mode == 1:
        half = len(groups) // 2
        utts += [{"customer": f"Okay. {{card:{', '.join(groups[:half])}}}"},
                 {"agent": rng.choice(ACKS), "gap": 0.3},
                 {"customer": f"{{card:{', '.join(groups[half:])}}}.", "gap": 0.3}]
    else:
        utts.append({"customer": f"Sure, {{card:{', '.join(groups)}}}."})
    month, year = rng.randrange(1, 13), rng.randrange(26, 33)
    expiry = rng.choice([f"oh {WORDS[month]} {two_digits(str(year))}" if month < 10 else f"{two_digits(str(month))} {two_digits(str(year))}",
                         f"{MONTHS[month - 1]} twenty {two_digits(str(year))}",
                         f"{MONTHS[month - 1]} of twenty {two_digits(str(year))}"])
    cvv = say_digits("".join(str(rng.randrange(10)) for _ in range(4 if number.startswith("37") else 3)),
                     rng.choice(["plain", "oh"]), rng)
    if i % 2 == 0:
        utts += [{"agent": "And when does it expire?"},
                 {"customer": f"It expires {{expiry:{expiry}}}."},
                 {"agent": "And the three digit code on the back?"},
                 {"customer": f"{{cvv:{cvv}}}."}]
    else:
        utts += [{"agent": "Thanks. The expiry date and the security code, please."},
                 {"customer": f"Expiry {{expiry:{expiry}}}, security code {{cvv:{cvv}}}."}]
    if i % 4 in (1, 2):
        utts += [{"agent": "Would you like a receipt by e-mail?"},
                 {"customer": f"Yes please, send it to {{email:{email_address_2(i, rng)}}}."}]
    utts += [{"agent": rng.choice(["That's all done, two hundred and forty dollars paid.",
                                   "Payment of eighty five dollars and twenty cents received."])},
             {"customer": "Great, thank you."}]
    return utts


def email_address_2(i: int, rng: random.Random) -> str:
    """Addresses said in more ways: spelled names, digits, dashes, "at gmail dot com"."""
    name, surname = rng.choice(NAMES), rng.choice(SURNAMES)
    domain, tld = rng.choice(DOMAINS + [("outlook", "com"), ("hotmail", "co dot uk"), ("proton", "me")])
    style = i % 5
    if style == 0:
        local = f"{' '.join(name)} dot {surname}"  # spelled first name
    elif style == 1:
        local = f"{name} {' '.join(surname)}"  # name said, surname spelled
    elif style == 2:
        local = f"{name} dash {surname} {say_digits(str(rng.randrange(1, 100)), 'plain', rng)}"
    elif style == 3:
        local = f"{name}{surname}"
    else:
        local = f"{name[0]} {surname[0]} {say_digits(str(rng.randrange(1970, 2005)), 'pairs', rng)}"
    return f"{local} at {domain} dot {tld}"


def email_call_2(i: int, rng: random.Random) -> list[dict]:
    address = email_address_2(i, rng)
    return [{"agent": "Northwind accounts, this is Joe speaking."},
            {"customer": rng.choice(["Hi, I'd like to change the e-mail on my profile.",
                                     "Hello, I'm not getting your e-mails anymore."])},
            {"agent": "Sure, what's the e-mail address you want us to use?"},
            {"customer": f"Oh, it's {{email:{address}}}."},
            {"agent": "Let me read that back. Is that right?"},
            {"customer": rng.choice(["Yes, that's it.", "Yep, correct."])},
            {"agent": "Updated. You'll get a confirmation in a few minutes."}]


def identity_call(i: int, rng: random.Random) -> list[dict]:
    """Identity checks: account number, SSN and a phone number, some read group by group around "mhm"."""
    account = "".join(str(rng.randrange(10)) for _ in range(rng.choice([8, 10, 12])))
    area = rng.randrange(1, 900)
    while area == 666:
        area = rng.randrange(1, 900)
    ssn = f"{area:03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"
    style = ["plain", "oh", "double", "mixed"][i % 4]
    utts = [{"agent": "Northwind Bank security team, how can I help?"},
            {"customer": rng.choice(["Hi, I think someone used my account.", "I got locked out of online banking."])},
            {"agent": "I'm sorry to hear that. First, what's your account number?"}]
    if i % 2 == 0:
        size = len(account) // 2
        utts += read_in_turns("account", [say_any(account[:size], style, rng), say_any(account[size:], style, rng)],
                              "It's", rng)
    else:
        utts.append({"customer": f"Yeah, it's {{account:{say_any(account, style, rng)}}}."})
    utts.append({"agent": rng.choice(["Thanks. And your social security number to verify?",
                                      "Thank you. Can you confirm your social security number?"])})
    groups = [say_any(ssn[a:b], style, rng) for a, b in ((0, 3), (3, 5), (5, 9))]
    if i % 3 == 0:
        utts += read_in_turns("ssn", groups, "Sure,", rng)
    else:
        utts.append({"customer": f"{{ssn:{', '.join(groups)}}}."})
    phone = _phone(rng)
    utts += [{"agent": "Thanks, you're verified. What's a good number to reach you if we need to?"},
             {"customer": f"My cell is {{phone:{', '.join(say_any(phone[a:b], style, rng) for a, b in ((0, 3), (3, 6), (6, 10)))}}}."},
             {"agent": "Okay. I've blocked the card and opened a fraud case. It takes ten business days."},
             {"customer": "Okay, thank you so much."}]
    return utts


def false_positive_call_2(i: int, rng: random.Random) -> list[dict]:
    """More numbers that are no personal data: an order number read in groups around "mhm" (fails Luhn), the
    last four of a card, prices, dates, years, times, zip code, quantities, an extension, a tracking number."""
    order = luhn_failing(16, rng)
    groups = [say_any(order[a:a + 4], ["plain", "oh", "mixed"][i % 3], rng) for a in range(0, 16, 4)]
    utts = [{"agent": "Northwind returns, how can I help?"},
            {"customer": "Hi, I'm returning a jacket. The order number is"}]
    for n, group in enumerate(groups):
        utts.append({"customer": group + ("." if n == 3 else ",")})
        if n < 3:
            utts.append({"agent": rng.choice(ACKS), "gap": 0.3})
    utts += [
        {"agent": f"Found it. Paid with the card ending in {say_digits(f'{rng.randrange(10000):04d}', 'plain', rng)}, "
                  f"{rng.choice(['one hundred and nineteen dollars', 'fifty nine ninety five', 'two thousand and twenty dollars'])}, "
                  f"on {rng.choice(MONTHS)} {rng.choice(['third', 'twelfth', 'thirtieth'])} "
                  f"{rng.choice(['twenty twenty five', 'two thousand and twenty six'])}."},
        {"customer": f"Yes. I bought {rng.choice(['two', 'three', 'eleven'])} of them, size {rng.choice(['twelve', 'forty two', 'ten'])}. "
                     f"My zip code is {say_digits(f'{rng.randrange(10000, 99999)}', 'plain', rng)}."},
        {"agent": f"The courier comes between {rng.choice(['nine and eleven', 'one and five', 'eight thirty and noon'])} "
                  f"on {rng.choice(['monday', 'the fifteenth', 'friday'])}. We're open twenty four seven, "
                  f"or call extension {say_digits(str(rng.randrange(100, 10000)), 'plain', rng)}."},
        {"customer": f"My building was built in {rng.choice(['nineteen eighty four', 'nineteen ninety nine', 'two thousand and five'])}, "
                     f"so ring flat {rng.choice(['twelve b', 'four oh two', 'thirty one'])}. How much is the refund?"},
        {"agent": f"{rng.choice(['Ninety nine dollars ninety nine', 'One hundred and twelve fifty', 'Four hundred and five dollars'])} "
                  f"back in {rng.choice(['three to five', 'five to ten', 'seven'])} days, minus "
                  f"{rng.choice(['a six dollar', 'a seven fifty', 'a twelve dollar'])} fee."},
        {"customer": "Fine, thanks."}]
    return utts


# --- third batch (issue 14, round 3): a fresh test split ---------------------------------------------
# Written before any detector change of this round and never tuned on: another company, other agents' and
# customers' wording, cues only in the agent's question, hesitations between groups, hold music between a card
# and its expiry, addresses with other names and domains, a UK mobile, a "plus one", and false-positive calls
# with reference, flight, room, serial and invoice numbers, a date of birth and a customer-service line's hours.

NAMES3 = ["dee", "kate", "rahul", "mei", "tom", "nadia", "carlos", "yuki", "ben", "aisha"]
SURNAMES3 = ["okonkwo", "walsh", "patel", "chen", "moreau", "ferreira", "dubois", "jensen"]
DOMAINS3 = [("fastmail", "com"), ("icloud", "com"), ("contoso", "net"), ("hey", "com"), ("gmail", "com"),
            ("btinternet", "co dot uk"), ("outlook", "com")]
ACKS3 = ["Mm-hm.", "Yes.", "Alright.", "Keep going.", "Right.", "Uh-huh, go ahead."]


def card_call_3(i: int, rng: random.Random) -> list[dict]:
    """A card in new words: the cue only in the agent's question, hesitations, hold music before the expiry."""
    amex = i % 4 == 3
    number = luhn_complete(rng.choice(["37", "34"]) if amex else rng.choice(["4", "52", "54", "6011"]),
                           15 if amex else 16, rng)
    style = ["mixed", "plain", "double", "oh", "pairs"][i % 5]
    bounds = [(0, 4), (4, 10), (10, 15)] if amex else [(0, 4), (4, 8), (8, 12), (12, 16)]
    groups = [say_any(number[a:b], style if not amex or style != "pairs" else "plain", rng) for a, b in bounds]
    utts: list[dict] = [
        {"agent": rng.choice(["Good afternoon, Contoso Mobile billing, Rita speaking.",
                              "Contoso Energy, you're through to Dev. What can I do for you?"])},
        {"customer": rng.choice(["Hiya. I want to settle what I owe before it goes to collections.",
                                 "Hello. Can I pay the overdue invoice over the phone?",
                                 "Hi, I had a text saying my direct debit bounced."])},
        {"agent": rng.choice(["Alright, whenever you're ready, the digits across the front.",
                              "I can take that now. What's the long number?",
                              "Okay, let's take a payment. Read me the number, nice and slowly.",
                              "Sure thing. Which one are you paying with? I'll need the full number."])}]
    mode = i % 3
    if mode == 0:  # group by group, an acknowledgement between
        for n, group in enumerate(groups):
            lead = rng.choice(["Okay so", "Yeah, it's", "Let me grab it. Right,"]) + " " if n == 0 else ""
            utts.append({"customer": f"{lead}{{card:{group}}}" + ("." if n == len(groups) - 1 else ",")})
            if n < len(groups) - 1:
                utts.append({"agent": rng.choice(ACKS3), "gap": round(rng.uniform(0.2, 0.5), 2)})
    elif mode == 1:  # in one go with a hesitation in the middle
        half = len(groups) // 2
        utts.append({"customer": f"It's {'an amex' if amex else 'a visa'}, um, "
                                 f"{{card:{', '.join(groups[:half])}}}, uh, {{card:{', '.join(groups[half:])}}}."})
    else:
        utts.append({"customer": f"{{card:{', '.join(groups)}}}."})
    month, year = rng.randrange(1, 13), rng.randrange(26, 33)
    expiry = rng.choice([f"oh {WORDS[month]} slash {two_digits(str(year))}" if month < 10
                         else f"{two_digits(str(month))} slash {two_digits(str(year))}",
                         f"{MONTHS[month - 1]} twenty {two_digits(str(year))}",
                         f"{'oh ' if month < 10 else ''}{two_digits(str(month)) if month >= 10 else WORDS[month]} "
                         f"twenty {two_digits(str(year))}"])
    cvv = say_digits("".join(str(rng.randrange(10)) for _ in range(4 if amex else 3)),
                     rng.choice(["plain", "oh", "double"]), rng)
    if i % 2 == 0:
        utts += [{"agent": "Lovely. Just bear with me one moment."}, {"hold": round(rng.uniform(4, 7), 1)},
                 {"agent": "Thanks for holding. What's the expiration date?"},
                 {"customer": f"{{expiry:{expiry}}}."},
                 {"agent": f"And the {'four digits on the front, above the number' if amex else 'three numbers on the back'}?"},
                 {"customer": f"{rng.choice(['Um, ', 'That is ', ''])}{{cvv:{cvv}}}."}]
    else:
        utts += [{"agent": "Great. Valid thru date and the CVC, please."},
                 {"customer": f"Valid thru {{expiry:{expiry}}}, and the code is {{cvv:{cvv}}}."}]
    if i % 3 == 2:
        utts += [{"agent": "Do you want the confirmation e-mailed?"},
                 {"customer": f"Go on then, {{email:{email_address_3(i + 3, rng)}}}."}]
    utts += [{"agent": rng.choice(["Done. That's one hundred and sixty two pounds forty taken today.",
                                   "All sorted, reference will follow. Payment was three hundred and five dollars."])},
             {"customer": "Brilliant, cheers."}]
    return utts


def email_address_3(i: int, rng: random.Random) -> str:
    name, surname = rng.choice(NAMES3), rng.choice(SURNAMES3)
    domain, tld = rng.choice(DOMAINS3)
    style = i % 5
    if style == 0:
        local = f"{name} dot {surname}"
    elif style == 1:
        local = f"{' '.join(name)} underscore {surname[0]}"
    elif style == 2:
        local = f"{name}{surname[:3]} {say_digits(str(rng.randrange(10, 100)), 'pairs', rng)}"
    elif style == 3:
        local = f"{name[0]} dot {' '.join(surname)}"
    else:
        local = f"{surname} dot {name}"
    return f"{local} at {domain} dot {tld}"


def email_call_3(i: int, rng: random.Random) -> list[dict]:
    return [{"agent": "Contoso Mobile, you're speaking to Rita."},
            {"customer": rng.choice(["Hi, my bills keep going to an old address.",
                                     "Hello, I can't log in, the reset link never comes."])},
            {"agent": rng.choice(["Okay. What's the best e-mail for you now?",
                                  "Right, which address should the link go to?"])},
            {"customer": f"{rng.choice(['Yeah, so it is', 'Use', 'Send it to'])} {{email:{email_address_3(i, rng)}}}."},
            {"agent": "Thanks, I've updated that and sent a test."},
            {"customer": "Got it, thanks a million."}]


def uk_mobile(rng: random.Random) -> str:
    return "07" + rng.choice(["700", "911", "833", "456", "564"]) + f"{rng.randrange(1000000):06d}"


def contact_call_3(i: int, rng: random.Random) -> list[dict]:
    """Identity and contact details in new words: the social, an account number, a callback number."""
    area = rng.randrange(1, 900)
    while area == 666:
        area = rng.randrange(1, 900)
    ssn = f"{area:03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"
    account = "".join(str(rng.randrange(10)) for _ in range(rng.choice([9, 11])))
    style = ["plain", "double", "mixed", "oh"][i % 4]
    utts: list[dict] = [{"agent": "Contoso Bank fraud line, this is Marcus."},
                        {"customer": rng.choice(["There's a payment on my statement I don't recognise.",
                                                 "My card was declined and I don't know why."])},
                        {"agent": "I'll need to verify you first. Your account number, please?"},
                        {"customer": f"Sure, my account number's {{account:{say_any(account, style, rng)}}}."},
                        {"agent": rng.choice(["And the social on the account?", "And the last step, your social security number."])}]
    groups = [say_any(ssn[a:b], style, rng) for a, b in ((0, 3), (3, 5), (5, 9))]
    if i % 2 == 0:
        utts.append({"customer": f"{{ssn:{' '.join(groups)}}}."})
    else:
        utts += [{"customer": f"It's {{ssn:{groups[0]}}},"}, {"agent": rng.choice(ACKS3), "gap": 0.3},
                 {"customer": f"{{ssn:{groups[1]}, {groups[2]}}}.", "gap": 0.3}]
    utts += [{"agent": "Thank you. And your date of birth?"},
             {"customer": f"The {rng.choice(['fourth', 'nineteenth', 'twenty second'])} of "
                          f"{rng.choice(MONTHS)} nineteen {rng.choice(['seventy', 'eighty', 'ninety'])} {rng.choice(WORDS[1:])}."},
             {"agent": "You're verified. If we get cut off, what's the best callback number?"}]
    if i % 4 == 3:
        phone = uk_mobile(rng)
        said = f"{say_any(phone[:5], 'oh', rng)}, {say_any(phone[5:], style, rng)}"
        utts.append({"customer": f"I'm in the UK at the moment, so my mobile, {{phone:{said}}}."})
    else:
        phone = _phone(rng)
        said = ", ".join(say_any(phone[a:b], style, rng) for a, b in ((0, 3), (3, 6), (6, 10)))
        utts.append({"customer": f"{rng.choice(['Ring me on', 'Call me at', 'My mobile is'])} "
                                 f"{{phone:{'plus one, ' if i % 3 == 1 else ''}{said}}}."})
    utts += [{"agent": "Noted. I've frozen the card, a new one takes five to seven days."},
             {"customer": "Okay, thanks for your help."}]
    return utts


def false_positive_call_3(i: int, rng: random.Random) -> list[dict]:
    """Numbers that are no personal data, in new words: a booking reference, a flight, a room, an invoice and a
    serial number, a date of birth, a year, opening hours, prices, a tracking number read in groups."""
    tracking = luhn_failing(16, rng)
    invoice = "".join(str(rng.randrange(10)) for _ in range(10))
    serial = "".join(str(rng.randrange(10)) for _ in range(12))
    style = ["plain", "oh", "mixed", "double"][i % 4]
    utts: list[dict] = [
        {"agent": "Contoso Travel, Dev speaking. How can I help?"},
        {"customer": f"Hi, my booking reference is {say_any(f'{rng.randrange(100000, 1000000)}', style, rng)} and the "
                     f"flight was {rng.choice(['two oh four', 'B A one one seven', 'nine eighty one'])} on the "
                     f"{rng.choice(['third', 'seventeenth', 'twenty eighth'])} of {rng.choice(MONTHS)}."},
        {"agent": f"I see it. Room {rng.choice(['twelve oh six', 'four fourteen', 'three hundred and two'])}, "
                  f"{rng.choice(['two', 'three', 'five'])} nights, {rng.choice(['six hundred and forty nine dollars', 'eighty nine ninety nine a night', 'one thousand and twenty pounds'])}."},
        {"customer": f"Right. The invoice number on my copy is {say_any(invoice, style, rng)}."},
        {"agent": "Thanks. And the tracking number of the parcel you sent back?"}]
    groups = [say_any(tracking[a:a + 4], style, rng) for a in range(0, 16, 4)]
    for n, group in enumerate(groups):
        utts.append({"customer": group + ("." if n == 3 else ",")})
        if n < 3:
            utts.append({"agent": rng.choice(ACKS3), "gap": 0.3})
    utts += [{"agent": f"Got it. The kettle's serial number should be on the base, it's twelve digits."},
             {"customer": f"It says {say_any(serial, style, rng)}."},
             {"agent": f"Perfect. Your date of birth for the file? "},
             {"customer": f"{rng.choice(['Second', 'Eleventh', 'Thirtieth'])} of {rng.choice(MONTHS)}, "
                          f"nineteen {rng.choice(['sixty', 'seventy', 'eighty'])} {rng.choice(WORDS[1:])}."},
             {"agent": f"We're open eight till eight, and the refund of {rng.choice(['forty two fifty', 'one hundred and nineteen dollars', 'sixty pounds'])} "
                       f"lands in {rng.choice(['three to five', 'ten'])} working days. Extension {say_digits(str(rng.randrange(200, 999)), 'plain', rng)} if you need me."},
             {"customer": f"Thanks. It's been since twenty {rng.choice(['nineteen', 'twenty two', 'twenty four'])} I've flown with you, so cheers."}]
    return utts


# --- fifth batch (issue 14, round 5): a fresh test split, t5 ----------------------------------------
# Written before any detector change of round 5 and measured first with the detector as it was (the honest unseen
# figure); never tuned on. Another firm (Harbour Telecom and Lakeside Insurance), other agents' wording and other
# callers' habits: hesitations inside a number ("uh, hang on"), corrections ("no wait, four six"), cards read in
# threes (3-3-3-3-4) or as four-digit groups said as two pairs, numbers volunteered before anyone asks,
# e-mail addresses spelled letter by letter ("all lower case"), an agent who reads the last four back, a
# transfer to a second agent, hold music; false-positive calls with IMEIs (which pass Luhn, as real ones do),
# claim and policy references read in groups, meter readings, postcodes and corrected amounts. Some agents speak
# with espeak-ng voices (customers keep the piper voice: espeak's digits are a test of the synthesizer).

NAMES5 = ["zoe", "femi", "ingrid", "raj", "hana", "marek", "lupe", "owen", "sana", "theo"]
SURNAMES5 = ["adeyemi", "lindqvist", "marsh", "tanaka", "novak", "quinn", "castillo", "obi", "whitford"]
DOMAINS5 = [("protonmail", "com"), ("zoho", "com"), ("aol", "com"), ("live", "co dot uk"), ("harbourtel", "net"),
            ("gmx", "de"), ("gmail", "com"), ("yahoo", "co dot uk")]
ACKS5 = ["Yep.", "Mm.", "Okay, yep.", "Uh-huh.", "Got that.", "Sure, carry on."]
FILLERS5 = ["uh, hang on,", "um, sorry, the light's bad here,", "er,", "hold on, let me turn it over,", "right, uh,"]


def corrected(digits: str, style: str, rng: random.Random) -> str:
    """Digits said with one slip put right: "four five three, no wait, four six three"."""
    cut = rng.randrange(1, len(digits))
    wrong = digits[:cut - 1] + str((int(digits[cut - 1]) + rng.randrange(1, 9)) % 10)
    fix = rng.choice(["no wait,", "sorry, no,", "no, hang on,", "scratch that,"])
    return f"{say_any(wrong, style, rng)}, {fix} {say_any(digits, style, rng)}"


def pairs_of_four(group: str) -> str:
    """A four-digit group said as two pairs ("forty five, twelve"), "oh" for a leading zero."""
    return f"{two_digits(group[:2])} {two_digits(group[2:])}"


def card_call_5(i: int, rng: random.Random) -> list[dict]:
    """A card read in new habits: threes, pairs, a slip corrected, a hesitation, volunteered before the question."""
    number = luhn_complete(rng.choice(["4", "51", "55", "2221", "6011", "35"]), 16, rng)
    style = ["plain", "oh", "mixed", "double"][i % 4]
    habit = i % 4
    if habit == 0:  # in threes, then the last four
        groups = [say_any(number[a:a + 3], style, rng) for a in (0, 3, 6, 9)] + [say_any(number[12:], style, rng)]
    elif habit == 1:  # each four as two pairs
        groups = [pairs_of_four(number[a:a + 4]) for a in range(0, 16, 4)]
    elif habit == 2:  # a slip in the third group put right
        groups = [say_any(number[a:a + 4], style, rng) for a in (0, 4)] + [corrected(number[8:12], style, rng),
                                                                           say_any(number[12:], style, rng)]
    else:  # fours, with a hesitation in the middle
        groups = [say_any(number[a:a + 4], style, rng) for a in range(0, 16, 4)]
        groups[2] = f"{rng.choice(FILLERS5)} {groups[2]}"
    opening = [{"agent": rng.choice(["Harbour Telecom, accounts, you're through to Gus.",
                                     "Hi, Lakeside Insurance payments, Moira here, how can I help?"])}]
    volunteered = i % 3 == 1
    if volunteered:  # the number before any question
        opening += [{"customer": f"Hi, I want to clear my balance, I've got the card here, "
                                 f"{{card:{', '.join(groups)}}}."},
                    {"agent": "Oh, you're quick! Okay, I've got that."}]
    else:
        opening += [{"customer": rng.choice(["Hiya, I'm ringing to pay the premium that's overdue.",
                                             "Hello, I'd like to pay my phone bill, please.",
                                             "Hi, the payment link didn't work so I'm calling instead."])},
                    {"agent": rng.choice(["No bother. Pop the card number over when you're ready.",
                                          "Right, which card is it? Just read out the number for me.",
                                          "Okay, I'll need the sixteen digits on the card, please."])}]
        if i % 2 == 0:
            for n, group in enumerate(groups):
                opening.append({"customer": ("Okay, " if n == 0 else "") + f"{{card:{group}}}"
                                            + ("." if n == len(groups) - 1 else ",")})
                if n < len(groups) - 1:
                    opening.append({"agent": rng.choice(ACKS5), "gap": round(rng.uniform(0.2, 0.6), 2)})
        else:
            opening.append({"customer": f"Yeah, {{card:{', '.join(groups)}}}."})
    month, year = rng.randrange(1, 13), rng.randrange(27, 34)
    expiry = rng.choice([f"{MONTHS[month - 1]} {two_digits(str(year))}",
                         f"{'oh ' + WORDS[month] if month < 10 else two_digits(str(month))}, {two_digits(str(year))}",
                         f"end of {MONTHS[month - 1]}, twenty {two_digits(str(year))}"])
    cvv = say_digits("".join(str(rng.randrange(10)) for _ in range(3)), rng.choice(["plain", "oh", "double"]), rng)
    utts = opening
    if i % 4 in (0, 3):
        utts += [{"agent": "Bear with me while I bring up the payment screen."}, {"hold": round(rng.uniform(3, 6), 1)},
                 {"agent": "Sorry about that. When does the card run out?"},
                 {"customer": f"Um, {{expiry:{expiry}}}."},
                 {"agent": "And the last three on the signature strip?"},
                 {"customer": f"{{cvv:{cvv}}}."}]
    else:
        utts += [{"agent": "Lovely. And the dates on it?"},
                 {"customer": f"It runs out {{expiry:{expiry}}}, and before you ask, the code on the back is "
                              f"{{cvv:{cvv}}}."}]
    utts += [{"agent": f"So that's the card ending {say_digits(number[12:], 'plain', rng)}, "
                       f"{rng.choice(['eighty four pounds twenty', 'two hundred and twelve dollars', 'forty one fifty'])}, "
                       f"going through now."}]
    if i % 3 == 2:
        utts += [{"agent": "Where should the receipt go?"},
                 {"customer": f"Same as always, {{email:{email_address_5(i + 2, rng)}}}."}]
    utts += [{"agent": "Done, you're all paid up."}, {"customer": rng.choice(["Ta, bye.", "Brilliant, thank you."])}]
    return utts


def email_address_5(i: int, rng: random.Random) -> str:
    name, surname = rng.choice(NAMES5), rng.choice(SURNAMES5)
    domain, tld = rng.choice(DOMAINS5)
    style = i % 5
    if style == 0:  # every letter spelled
        local = f"{' '.join(name)} dot {' '.join(surname)}"
    elif style == 1:  # name run together with a year
        local = f"{name}{surname} {say_any(str(rng.randrange(1975, 2006)), 'pairs', rng)}"
    elif style == 2:
        local = f"{surname} underscore {name[0]}"
    elif style == 3:  # a hyphen, a spelled surname
        local = f"{name} hyphen {' '.join(surname)}"
    else:
        local = f"{name[0]} {surname}"
    return f"{local} at {domain} dot {tld}"


def email_call_5(i: int, rng: random.Random) -> list[dict]:
    """Addresses said in new ways: letter by letter, 'all lower case', volunteered, a slip put right."""
    address = email_address_5(i, rng)
    if i % 2 == 0:
        return [{"agent": "Harbour Telecom, Gus speaking."},
                {"customer": f"Hi, I moved to a new e-mail and nothing arrives. It's {{email:{address}}}, "
                             f"all lower case."},
                {"agent": "Okay, let me put that in. I'll send a test now."},
                {"customer": "Yep, it's come through, thanks."}]
    return [{"agent": "Lakeside Insurance, Moira speaking."},
            {"customer": "Hello, I need my policy documents again, I deleted them."},
            {"agent": "No problem. Where shall I send them?"},
            {"customer": f"{rng.choice(['Er, to', 'Okay so, it is', 'You can use'])} {{email:{address}}}."},
            {"agent": "Got it. They're on their way."},
            {"customer": "Cheers."}]


def identity_call_5(i: int, rng: random.Random) -> list[dict]:
    """Identity and contact details: an account number volunteered at the start, the social with a slip or in
    pairs, a phone number given unasked at the end."""
    area = rng.randrange(1, 900)
    while area == 666:
        area = rng.randrange(1, 900)
    ssn = f"{area:03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"
    account = "".join(str(rng.randrange(10)) for _ in range(rng.choice([8, 10])))
    style = ["plain", "mixed", "oh", "double"][i % 4]
    utts: list[dict] = [{"agent": "Lakeside Insurance claims, Moira speaking."}]
    if i % 2 == 0:
        utts += [{"customer": f"Hi, I'm phoning about account {{account:{say_any(account, style, rng)}}}, "
                              f"I've had a letter I don't understand."},
                 {"agent": "Let me pull that up. I'll need to take you through security."}]
    else:
        utts += [{"customer": "Hi, I've had a letter I don't understand."},
                 {"agent": "Let's have a look. What's the account number on the letter?"},
                 {"customer": f"{{account:{corrected(account, style, rng)}}}."}]
    utts.append({"agent": rng.choice(["And can you give me your social, please?",
                                      "Okay. Your social security number, please."])})
    if i % 3 == 0:
        said = f"{say_any(ssn[:3], style, rng)}, {two_digits(ssn[3:5])}, {pairs_of_four(ssn[5:])}"
        utts.append({"customer": f"Yeah, {{ssn:{said}}}."})
    elif i % 3 == 1:
        said = f"{say_any(ssn[:3], style, rng)}, {rng.choice(FILLERS5)} {say_any(ssn[3:5], style, rng)}, {say_any(ssn[5:], style, rng)}"
        utts.append({"customer": f"{{ssn:{said}}}."})
    else:
        utts += [{"customer": f"{{ssn:{say_any(ssn[:3], style, rng)}}}"}, {"agent": rng.choice(ACKS5), "gap": 0.4},
                 {"customer": f"{{ssn:{corrected(ssn[3:], style, rng)}}}.", "gap": 0.3}]
    phone = _phone(rng)
    said = ", ".join(say_any(phone[a:b], style, rng) for a, b in ((0, 3), (3, 6), (6, 10)))
    utts += [{"agent": "Thanks, that's you through security. The letter is about a missed premium, it's been "
                       "sorted now, nothing to pay."},
             {"customer": f"Oh good. If anything else comes up, I'm on {{phone:{said}}}, "
                          f"better than the landline."},
             {"agent": "I'll add a note. Anything else today?"}, {"customer": "No, that's all, thanks."}]
    return utts


def transfer_call_5(i: int, rng: random.Random) -> list[dict]:
    """A call handed to a second agent, who asks again: the phone first, then an account number, then an e-mail."""
    phone = _phone(rng)
    account = "".join(str(rng.randrange(10)) for _ in range(9))
    style = ["oh", "mixed", "plain"][i % 3]
    return [{"agent": "Harbour Telecom, Gus speaking."},
            {"customer": "Hi, my broadband's been down since Tuesday."},
            {"agent": "I'm sorry. I'll put you through to the faults team, one second."},
            {"hold": round(rng.uniform(3, 5), 1)},
            {"agent_2": "Faults team, Jo here. Can I get the number the account's under?"},
            {"customer": f"It's {{phone:{', '.join(say_any(phone[a:b], style, rng) for a, b in ((0, 3), (3, 6), (6, 10)))}}}."},
            {"agent_2": "And the account reference, it starts with a nine?"},
            {"customer": f"Yeah, {{account:{say_any(account, style, rng)}}}."},
            {"agent_2": "Okay, there's an outage on your exchange, about four hundred homes. Fixed by six tonight. "
                        "Shall I e-mail you when it's done?"},
            {"customer": f"Please, {{email:{email_address_5(i + 4, rng)}}}."},
            {"agent_2": "Will do."}]


def false_positive_call_5(i: int, rng: random.Random) -> list[dict]:
    """Numbers that are no personal data: an IMEI (Luhn-valid, as real ones are), a claim reference in groups, a
    meter reading, an amount put right, a postcode, times, the last four of a card, a case number."""
    imei = luhn_complete(rng.choice(["35", "86", "01"]), 15, rng)
    claim = luhn_failing(16, rng)
    style = ["plain", "oh", "mixed"][i % 3]
    utts: list[dict] = [{"agent": "Harbour Telecom device support, Gus speaking."},
                        {"customer": "Hi, my new phone won't connect and I want to claim on the insurance."},
                        {"agent": "Okay. Can you read me the IMEI? It's under settings, about."},
                        {"customer": f"Right, {', '.join(say_any(imei[a:b], style, rng) for a, b in ((0, 2), (2, 8), (8, 14), (14, 15)))}."},
                        {"agent": "Thanks. And the claim reference from the e-mail?"}]
    for n, a in enumerate(range(0, 16, 4)):
        utts.append({"customer": say_any(claim[a:a + 4], style, rng) + ("." if n == 3 else ",")})
        if n < 3:
            utts.append({"agent": rng.choice(ACKS5), "gap": 0.3})
    utts += [{"agent": f"Found it, case {say_digits(str(rng.randrange(10000, 99999)), 'plain', rng)}. You paid "
                       f"{rng.choice(['forty, no wait, fifty four pounds', 'a hundred and nine ninety nine', 'three hundred, sorry, three hundred and twenty'])} "
                       f"on the card ending {say_digits(f'{rng.randrange(10000):04d}', 'plain', rng)}?"},
             {"customer": f"That's it. Oh, and the engineer wants the meter reading, it's "
                          f"{say_any(str(rng.randrange(10000, 99999)), style, rng)}, and the postcode is "
                          f"{rng.choice(['B S four, one D Y', 'M one four, two P Q', 'E C one A, one B B'])}."},
             {"agent": f"Noted. A courier comes between {rng.choice(['ten and two', 'eight and twelve'])} on the "
                       f"{rng.choice(['ninth', 'twenty first', 'thirtieth'])}, "
                       f"{rng.choice(['two', 'three', 'four'])} working days, and we're open till nine."},
             {"customer": f"Grand. I've been with you since twenty {rng.choice(['twelve', 'sixteen', 'oh nine'])}, so cheers."}]
    return utts


def voices_5(rng: random.Random, n: int) -> dict:
    """Customers: the piper voice in the dev calls' range. Agents: the piper voice, or every third call an espeak-ng
    voice (a British or American voice the earlier batches never used)."""
    customer = {"pitch": round(rng.uniform(0.85, 1.3), 2), "speed": round(rng.uniform(0.9, 1.12), 2)}
    agent: dict = {"pitch": round(rng.uniform(0.85, 1.05), 2), "speed": round(rng.uniform(0.95, 1.1), 2)}
    if n % 3 == 2:
        agent = {"engine": "espeak", "voice": rng.choice(["en-gb+m3", "en-us+f2", "en-gb-x-rp+m1"]),
                 "pitch": 1.0, "speed": 1.0}
    return {"agent": agent, "agent_2": {"pitch": 0.9, "speed": 1.05}, "customer": customer}


# --- d5 (issue 14, round 5): a dev batch in the brief's habits, written after t5 was measured -------------------
# The detector reached 0.97 on the older dev calls through tiny.en, so they no longer show what it misses. d5 is
# dev (tuned on): cue questions and answers paraphrased widely (several ways to ask for each kind), slips put
# right, hesitations inside numbers, numbers and addresses volunteered, cards read in threes, fives or pairs, SSNs
# in pairs, spelled addresses; and false-positive calls (meter and policy numbers, IMEIs, amounts put right).
# Written by the same hand as t5, after t5's frozen measurement: t5 is no longer unseen once d5 is tuned on.

CARD_ASKS_D5 = ["Can you read me the card number, please?", "What are the digits on your card?",
                "Go ahead with the number on the front of the card.", "Which card, and what's the number on it?",
                "I'll take the card number now when you're ready."]
EXPIRY_ASKS_D5 = ["What's the expiry?", "When does it run out?", "And the end date on the card?",
                  "What date is on the front, month and year?", "When is it valid until?"]
CVV_ASKS_D5 = ["And the three digit code?", "The last three digits on the back, please.",
               "And the little code by the signature?", "What's the security number on the back?",
               "Then the CVV."]
SSN_ASKS_D5 = ["Can I get your social security number?", "What's your social?", "And your SSN for verification?",
               "Last thing, the social security number on the account."]
ACCOUNT_ASKS_D5 = ["What's the account number?", "Do you have your account number handy?",
                   "Could you give me the account number from the bill?"]
PHONE_ASKS_D5 = ["What's a good number to reach you?", "And a phone number for the account?",
                 "Which number should we call you back on?", "Can I take a contact number?"]
EMAIL_ASKS_D5 = ["What's your email address?", "Where do you want the confirmation emailed?",
                 "Can I take an email for the receipt?"]
SLIPS_D5 = ["no, sorry,", "wait, no,", "I mean", "oops,", "no, let me start again,"]
PAUSES_D5 = ["um,", "uh, one sec,", "er, hang on,", "sorry, it's worn,", "let me just check,"]


def d5_digits(digits: str, i: int, rng: random.Random) -> str:
    """Digits read in one of d5's habits: fours, threes, pairs, a slip put right, a pause inside."""
    habit = i % 5
    style = ["plain", "oh", "mixed", "double"][rng.randrange(4)]
    if habit == 0:
        return ", ".join(say_any(digits[a:a + 3], style, rng) for a in range(0, len(digits), 3))
    if habit == 1 and len(digits) % 2 == 0:
        return ", ".join(two_digits(digits[a:a + 2]) for a in range(0, len(digits), 2))
    if habit == 2:
        cut = rng.randrange(2, len(digits) - 1)
        wrong = digits[cut - 2:cut - 1] + str((int(digits[cut - 1]) + 3) % 10)
        head = f"{say_any(digits[:cut - 2], style, rng)}, " if cut > 2 else ""
        return f"{head}{say_any(wrong, style, rng)}, {rng.choice(SLIPS_D5)} {say_any(digits[cut - 2:], style, rng)}"
    if habit == 3:
        half = len(digits) // 2
        return f"{say_any(digits[:half], style, rng)}, {rng.choice(PAUSES_D5)} {say_any(digits[half:], style, rng)}"
    return ", ".join(say_any(digits[a:a + 4], style, rng) for a in range(0, len(digits), 4))


def card_call_d5(i: int, rng: random.Random) -> list[dict]:
    number = luhn_complete(rng.choice(["4", "53", "2720", "6011", "36"]), 16, rng)
    utts: list[dict] = [{"agent": "Fernhill Bank card services, Alan speaking."}]
    if i % 3 == 2:
        utts += [{"customer": f"Hello, I'd like to pay the statement with my debit card, {{card:{d5_digits(number, i, rng)}}}."},
                 {"agent": "Thanks, I've got that down."}]
    else:
        utts += [{"customer": "Hi, I want to make a payment."}, {"agent": rng.choice(CARD_ASKS_D5)},
                 {"customer": f"{rng.choice(['Okay,', 'Yep,', 'Right so,'])} {{card:{d5_digits(number, i, rng)}}}."}]
    month, year = rng.randrange(1, 13), rng.randrange(26, 34)
    expiry = rng.choice([f"{MONTHS[month - 1]} {two_digits(str(year))}", f"{say_any(f'{month:02d}', 'oh', rng)} {two_digits(str(year))}",
                         f"the {rng.choice(['end', 'first'])} of {MONTHS[month - 1]} twenty {two_digits(str(year))}"])
    cvv = say_digits("".join(str(rng.randrange(10)) for _ in range(3)), rng.choice(["plain", "oh"]), rng)
    utts += [{"agent": rng.choice(EXPIRY_ASKS_D5)}, {"customer": f"{rng.choice(['', 'Um, ', 'It says '])}{{expiry:{expiry}}}."},
             {"agent": rng.choice(CVV_ASKS_D5)}, {"customer": f"{rng.choice(['', 'That is ', 'Er, '])}{{cvv:{cvv}}}."}]
    if i % 2:
        utts += [{"agent": rng.choice(EMAIL_ASKS_D5)}, {"customer": f"{{email:{email_address_d5(i, rng)}}}."}]
    utts += [{"agent": f"That's gone through, {rng.choice(['sixty five pounds', 'one hundred and three dollars'])}, card ending "
                       f"{say_digits(number[12:], 'plain', rng)}."}, {"customer": "Thanks, bye."}]
    return utts


def email_address_d5(i: int, rng: random.Random) -> str:
    name, surname = rng.choice(["nico", "ruth", "ade", "kim", "jonas", "elif", "pat"]), rng.choice(
        ["barros", "hale", "mensah", "sato", "keller", "ryan"])
    domain, tld = rng.choice([("gmail", "com"), ("hotmail", "com"), ("btinternet", "com"), ("fernhill", "org")])
    local = [f"{' '.join(name)}{' '.join(surname)}", f"{name} dot {surname}", f"{name[0]} {' '.join(surname)}",
             f"{surname} {say_digits(str(rng.randrange(10, 99)), 'plain', rng)}"][i % 4]
    return f"{local} at {domain} dot {tld}"


def id_call_d5(i: int, rng: random.Random) -> list[dict]:
    area = rng.randrange(1, 900)
    while area == 666:
        area = rng.randrange(1, 900)
    ssn = f"{area:03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"
    account = "".join(str(rng.randrange(10)) for _ in range(rng.choice([8, 10, 12])))
    phone = _phone(rng)
    utts: list[dict] = [{"agent": "Meridian Water, Tess speaking."}]
    if i % 2:
        utts += [{"customer": f"Hi, it's about my bill, account {{account:{d5_digits(account, i, rng)}}}."}]
    else:
        utts += [{"customer": "Hi, it's about my bill."}, {"agent": rng.choice(ACCOUNT_ASKS_D5)},
                 {"customer": f"{{account:{d5_digits(account, i + 1, rng)}}}."}]
    utts += [{"agent": rng.choice(SSN_ASKS_D5)}, {"customer": f"Sure, {{ssn:{d5_digits(ssn, i + 2, rng)}}}."},
             {"agent": "Thanks. The meter was read on the fourth, it's three hundred and ten pounds for the quarter."}]
    if i % 3 == 0:
        utts += [{"customer": f"Okay. You can text me on {{phone:{d5_digits(phone, i + 3, rng)}}} when it's sorted."}]
    else:
        utts += [{"customer": "Okay."}, {"agent": rng.choice(PHONE_ASKS_D5)},
                 {"customer": f"{{phone:{d5_digits(phone, i + 3, rng)}}}."}]
    utts += [{"agent": "Done."}, {"customer": "Thanks."}]
    return utts


def fp_call_d5(i: int, rng: random.Random) -> list[dict]:
    imei = luhn_complete("35", 15, rng)
    policy = luhn_failing(14, rng)
    return [{"agent": "Fernhill Insurance, Alan speaking."},
            {"customer": f"Hi, my policy number is {d5_digits(policy, i, rng)}, my phone was stolen."},
            {"agent": "Sorry to hear. What's the handset's IMEI?"},
            {"customer": f"{d5_digits(imei, i + 1, rng)}."},
            {"agent": f"Thanks. The excess is {rng.choice(['seventy five pounds', 'fifty, sorry, sixty dollars'])}, "
                      f"and the meter, I mean the claim, is number {say_digits(str(rng.randrange(100000, 999999)), 'plain', rng)}."},
            {"customer": f"Okay. It was taken on the {rng.choice(['ninth', 'twenty third'])} at {rng.choice(['ten past six', 'half nine'])}, "
                         f"near {rng.choice(['forty two', 'one hundred and six'])} High Street."},
            {"agent": "A replacement comes in three to five days."}, {"customer": "Cheers."}]


# --- t6 (issue 14, round 6): a fresh test batch by a new writer ---------------------------------------------
# Written without reading the detector's code or cue lists, never tuned on, measured first with the detector frozen
# at db8ac2b. Other firms (Kestrel Bank, Orchard Mobile, Bluefin Travel) and habits the earlier batches lack: groups
# said as pairs and hundreds ("forty-one twelve", "four twelve", "three hundred and six"), one digit put right in
# the middle of a number ("six, no wait, seven"), the agent reading a number back (labelled: it is said in clear),
# a read-back with a slip the customer corrects, groups spread over turns with "yeah?" / "mhm" / "yep" between (an
# agent's "mhm" overtalking), e-mail addresses spelled with "as in" / "for" ("b as in bravo"), "double n", "dash",
# "underscore", "at the rate", international phone numbers (+44, +33 in pairs, +91, 0049), non-native phrasing,
# a relative reading for the account holder (a second voice on the customer's line); and calls full of numbers that
# are no personal data: an order number read in pairs that fails Luhn, an IMEI read in pairs, flight numbers, seat
# and gate, a case number read 3-2-4 like a social, an order number read 3-3-4 like a phone number, a 22-digit
# tracking number, extensions, postcodes, dates said like an expiry, amounts, counts and percentages.

KIN6 = {"relative": {"pitch": 1.32, "speed": 1.04, "side": "right"}}
ACKS6 = ["Mhm.", "Yeah.", "Yep.", "Mm-hm, yeah.", "Yeah, go on.", "Uh-huh."]
SLIPS6 = ["no wait,", "sorry, no,", "no,", "I mean", "no no,"]
CARD_ASKS_6 = ["Okay, I'll need the long card number when you're ready.", "Sure, can you read the card number out for me?",
               "Go ahead with the number across the front.", "Right, let's do the card details. The number first."]
EXPIRY_ASKS_6 = ["And what's the good thru date?", "The date it expires, month and year?", "And the expiry on that one?",
                 "When does the card expire?"]
CVV_ASKS_6 = ["And the three-digit number by your signature?", "Last bit, the verification code on the back.",
              "And the CVV, please.", "And the security digits on the back?"]


def span(kind: str, text: str) -> str:
    """``{kind:text}``: a labelled span for tools/synth_calls.py."""
    return "{" + kind + ":" + text + "}"


def small_number(n: int) -> str:
    """0-99 in words, tens hyphenated as people write them ("forty-one")."""
    if n < 10:
        return WORDS[n]
    if n < 20:
        return TEENS[n - 10]
    return TENS[n // 10] + ("" if n % 10 == 0 else "-" + WORDS[n % 10])


def pair_6(pair: str) -> str:
    """Two digits as one number: "41" forty-one, "05" oh five, "00" double oh."""
    if pair == "00":
        return "double oh"
    return f"oh {WORDS[int(pair[1])]}" if pair[0] == "0" else small_number(int(pair))


def pairs_6(digits: str) -> str:
    """Four digits as two pairs ("forty-one twelve"); any even number of digits likewise."""
    return " ".join(pair_6(digits[a:a + 2]) for a in range(0, len(digits), 2))


def hundreds_6(triple: str, rng: random.Random) -> str:
    """Three digits as a caller says them: "four twelve", "four oh five", "four hundred and twelve"."""
    head, rest = WORDS[int(triple[0])], triple[1:]
    if triple[0] == "0":
        return f"oh {pair_6(rest)}"
    if rest == "00":
        return f"{head} hundred"
    if rng.random() < 0.35:
        return f"{head} hundred and {small_number(int(rest))}"
    return f"{head} {pair_6(rest)}"


def singles_6(digits: str) -> str:
    return " ".join("oh" if d == "0" else WORDS[int(d)] for d in digits)


def fours_6(digits: str) -> str:
    """Digit by digit in groups of four, as an agent reads a number back."""
    return ", ".join(singles_6(digits[a:a + 4]) for a in range(0, len(digits), 4))


def slip_6(digits: str, rng: random.Random) -> str:
    """Digit by digit in fours with one digit put right where it was said ("six, no wait, seven")."""
    at = rng.randrange(5, len(digits) - 2)
    wrong = str((int(digits[at]) + rng.randrange(1, 9)) % 10)
    words = ["oh" if d == "0" else WORDS[int(d)] for d in digits]
    words[at] = f"{'oh' if wrong == '0' else WORDS[int(wrong)]}, {rng.choice(SLIPS6)} {words[at]},"
    groups = [" ".join(words[a:a + 4]) for a in range(0, len(words), 4)]
    return ", ".join(groups).replace(",,", ",")


def expiry_6(rng: random.Random) -> str:
    month, year = rng.randrange(1, 13), rng.randrange(27, 34)
    return rng.choice([f"{pair_6(f'{month:02d}')} slash {small_number(year)}", f"{small_number(month)} {small_number(year)}",
                       f"{MONTHS[month - 1]} twenty {small_number(year)}",
                       f"{singles_6(f'{month:02d}')}, {singles_6(str(year))}",
                       f"{MONTHS[month - 1]} of twenty {small_number(year)}"])


def cvv_6(length: int, rng: random.Random) -> str:
    code = "".join(str(rng.randrange(10)) for _ in range(length))
    if length == 4:
        return rng.choice([pairs_6(code), singles_6(code)])
    return rng.choice([singles_6(code), hundreds_6(code, rng) if code[0] != "0" else singles_6(code)])


def card_call_6(i: int, rng: random.Random) -> list[dict]:
    """A card in t6's habits (one per call), then its expiry and code, sometimes an e-mail for the receipt."""
    amex = i == 1
    number = luhn_complete("37" if amex else ["4", "4", "51", "2223", "6011", "55", "4"][i], 15 if amex else 16, rng)
    fours = [number[a:a + 4] for a in range(0, 16, 4)]
    utts: list[dict] = [
        {"agent": rng.choice(["Kestrel Bank card payments, Nia speaking, how can I help?",
                              "Good morning, Orchard Mobile billing, this is Sven.",
                              "Kestrel Bank, you're through to Nia. What can I do for you today?"])},
        {"customer": rng.choice(["Hi, I've got a bill to pay, the one from last month.",
                                 "Morning. I want to put a payment on my account, please.",
                                 "Hello, yes, I am calling to pay the invoice I received."])},
        {"agent": CARD_ASKS_6[i % len(CARD_ASKS_6)]}]
    if i == 0:  # fours as pairs, one turn each, "mhm" between (one of them overtalking)
        for n, group in enumerate(fours):
            utts.append({"customer": ("Okay, it's " if n == 0 else "") + span("card", pairs_6(group))
                         + ("." if n == 3 else ",")})
            if n < 3:
                utts.append({"agent": rng.choice(ACKS6), "gap": -0.15 if n == 1 else 0.3})
    elif i == 1:  # an Amex in threes said as hundreds, the agent reading it back
        said = ", ".join(hundreds_6(number[a:a + 3], rng) for a in range(0, 15, 3))
        utts += [{"customer": f"It's an Amex, so fifteen. {span('card', said)}."},
                 {"agent": f"Let me read that back. {span('card', ', '.join(singles_6(number[a:b]) for a, b in ((0, 4), (4, 10), (10, 15))))}?"},
                 {"customer": "Yep, spot on."}]
    elif i == 2:  # one digit put right in the middle, the agent reading it back
        utts += [{"customer": f"Sure. {span('card', slip_6(number, rng))}."},
                 {"agent": f"Okay, so that's {span('card', fours_6(number))}."},
                 {"customer": "That's the one."}]
    elif i == 3:  # the agent's read-back has a slip; the customer puts the third group right
        bad = fours[2][:1] + str((int(fours[2][1]) + 3) % 10) + fours[2][2:]
        utts += [{"customer": f"Yeah, {span('card', ', '.join(say_any(g, 'mixed', rng) for g in fours))}."},
                 {"agent": f"So I have {span('card', fours_6(number[:8] + bad + number[12:]))}?"},
                 {"customer": f"No, the third lot is {span('card', singles_6(fours[2]))}."},
                 {"agent": f"Sorry, {span('card', singles_6(fours[2]))}. Got it now."}]
    elif i == 4:  # each group checked with "yeah?"
        for n, group in enumerate(fours):
            utts.append({"customer": span("card", say_any(group, "double", rng)) + (", yeah?" if n < 3 else ".")})
            if n < 3:
                utts.append({"agent": rng.choice(["Yeah.", "Yep, go on.", "Yes.", "Mhm, yeah."]), "gap": 0.25})
    elif i == 5:  # non-native phrasing, "and then" between the groups
        said = ", and then ".join(singles_6(g) for g in fours)
        utts += [{"customer": f"Yes. The number of my card, it is {span('card', said)}. Is okay?"},
                 {"agent": "That's fine, thank you."}]
    else:  # eight pairs in one go; the line breaks up and the customer says it again, digit by digit
        utts += [{"customer": f"Okay. {span('card', pairs_6(number))}."},
                 {"agent": "Sorry, you broke up in the middle there. Can you say it again, slowly?"},
                 {"customer": f"Sure. {span('card', fours_6(number))}."}]
    expiry, cvv = expiry_6(rng), cvv_6(4 if amex else 3, rng)
    if i % 3 == 0:
        utts += [{"agent": rng.choice(EXPIRY_ASKS_6)}, {"customer": f"{rng.choice(['', 'Uh, ', 'It says '])}{span('expiry', expiry)}."},
                 {"agent": "And the four digits above the number on the front?" if amex else rng.choice(CVV_ASKS_6)},
                 {"customer": f"{rng.choice(['', 'That is ', 'Er, '])}{span('cvv', cvv)}."}]
    elif i % 3 == 1:
        utts += [{"agent": "And the expiry and the code on the back?"},
                 {"customer": f"Expires {span('expiry', expiry)}, code {span('cvv', cvv)}."}]
    else:
        utts += [{"agent": rng.choice(EXPIRY_ASKS_6)},
                 {"customer": f"The month is {span('expiry', expiry)}." if i == 5 else f"{span('expiry', expiry)}, and the "
                              f"code's {span('cvv', cvv)}, before you ask."}]
        if i == 5:
            utts += [{"agent": rng.choice(CVV_ASKS_6)}, {"customer": f"Three numbers, {span('cvv', cvv)}."}]
    if i in (2, 5):
        utts += [{"agent": "Shall I e-mail you the receipt?"},
                 {"customer": f"Yes please. {span('email', email_address_6(i, rng))}."}]
    utts += [{"agent": f"All done, {rng.choice(['ninety-four pounds twelve', 'two hundred and six dollars', 'forty-one twenty'])} "
                       f"on the card ending {singles_6(number[-4:])}."},
             {"customer": rng.choice(["Great, thanks.", "Thank you, bye.", "Perfect, cheers."])}]
    return utts


NAMES6 = ["bea", "dario", "oksana", "kwame", "lena", "arjun", "pilar", "sami", "greta", "rahul"]
SURNAMES6 = ["obrien", "bennett", "szabo", "mensah", "lund", "sharma", "gallo", "hughes"]
DOMAINS6 = [("gmail", "com"), ("outlook", "com"), ("yahoo", "co dot in"), ("orange", "fr"), ("web", "de"),
            ("kestrelbank", "com"), ("icloud", "com")]
NATO = {"a": "alpha", "b": "bravo", "c": "charlie", "d": "delta", "e": "echo", "f": "foxtrot", "g": "golf",
        "h": "hotel", "i": "india", "k": "kilo", "l": "lima", "m": "mike", "n": "november", "o": "oscar",
        "p": "papa", "r": "romeo", "s": "sierra", "t": "tango", "u": "uniform", "z": "zulu", "w": "whiskey"}
HOMELY = {"b": "boy", "s": "sugar", "m": "mary", "n": "nancy", "d": "david", "p": "peter", "t": "tom", "g": "george"}


def as_in(word: str, rng: random.Random) -> str:
    """A name spelled with "as in" / "for" for some letters, doubled letters as "double"."""
    out, i = [], 0
    while i < len(word):
        c = word[i]
        if i + 1 < len(word) and word[i + 1] == c:
            out.append(f"double {c}")
            i += 1
        elif c in HOMELY and rng.random() < 0.4:
            out.append(f"{c} for {HOMELY[c]}")
        elif c in NATO and rng.random() < 0.5:
            out.append(f"{c} as in {NATO[c]}")
        else:
            out.append(c)
        i += 1
    return ", ".join(out)


def email_address_6(i: int, rng: random.Random) -> str:
    name, surname = rng.choice(NAMES6), rng.choice(SURNAMES6)
    domain, tld = rng.choice(DOMAINS6)
    at = "at the rate" if tld == "co dot in" else "at"
    style = i % 5
    if style == 0:
        local = f"{as_in(name, rng)}, dot, {surname}"
    elif style == 1:
        local = f"{name} underscore {surname} dash {small_number(rng.randrange(11, 99))}"
    elif style == 2:
        local = f"{name[0]} dash {as_in(surname, rng)}"
    elif style == 3:
        local = f"{name} dot {surname} {singles_6(str(rng.randrange(1970, 2006)))}"
    else:
        local = f"{surname} underscore {name} underscore {singles_6(str(rng.randrange(1, 10)))}"
    return f"{local} {at} {domain} dot {tld}"


def email_call_6(i: int, rng: random.Random) -> list[dict]:
    """An address spelled the way people spell on the phone; read back by the agent or split over turns."""
    name, surname = rng.choice(NAMES6), rng.choice(SURNAMES6)
    utts: list[dict] = [{"agent": rng.choice(["Orchard Mobile, Sven speaking.", "Kestrel Bank online support, Nia here."])},
                        {"customer": rng.choice(["Hi, I'm not getting any of your e-mails.",
                                                 "Hello, I want to change the e-mail on my account."])},
                        {"agent": rng.choice(["Okay, what e-mail should we have?", "Sure, what's the address?"])}]
    if i == 0:  # "as in", then the agent reads it back
        local = f"{as_in(name, rng)}, dot, {surname}"
        utts += [{"customer": f"It's {span('email', f'{local} at gmail dot com')}."},
                 {"agent": f"So {span('email', f'{name} dot {surname} at gmail dot com')}?"},
                 {"customer": "Exactly."}]
    elif i == 1:  # dash and underscore, all one word
        addr = f"{name} underscore {surname} dash {small_number(rng.randrange(20, 99))} at outlook dot com"
        utts += [{"customer": f"Okay, all lower case, all one word, {span('email', addr)}."},
                 {"agent": "Underscore, then the dash?"},
                 {"customer": "Yes, underscore first, then dash."}]
    elif i == 2:  # "at the rate", non-native
        addr = f"{name} dot {surname} {small_number(rng.randrange(21, 99))} at the rate yahoo dot co dot in"
        utts += [{"customer": f"Yes, I tell you. My e-mail is {span('email', addr)}. You got?"},
                 {"agent": "Yes, got it, thank you."}]
    else:  # local part and domain in two turns, spelled with doubles, "mhm" between
        local = f"{as_in(name, rng)}, {as_in(surname, rng)}"
        utts += [{"customer": f"Right, it's {span('email', local)},"},
                 {"agent": "Mhm.", "gap": 0.3},
                 {"customer": f"{span('email', 'at hotmail dot co dot uk')}.", "gap": 0.3},
                 {"agent": "Lovely."}]
    utts += [{"agent": "I've updated it and sent you a test message."},
             {"customer": rng.choice(["It's arrived, thanks.", "Got it, cheers."])}]
    return utts


def ssn_6(rng: random.Random) -> str:
    area = rng.randrange(1, 900)
    while area == 666:
        area = rng.randrange(1, 900)
    return f"{area:03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"


def us_phone_6(rng: random.Random) -> str:
    return rng.choice(["206", "646", "773", "503", "919", "702"]) + str(rng.randrange(2, 10)) + \
        f"{rng.randrange(100):02d}{rng.randrange(10000):04d}"


def id_call_6(i: int, rng: random.Random) -> list[dict]:
    """The social, an account number and a phone number in t6's habits."""
    ssn, account, phone = ssn_6(rng), "".join(str(rng.randrange(10)) for _ in range(rng.choice([9, 10, 12]))), us_phone_6(rng)
    utts: list[dict] = [{"agent": rng.choice(["Kestrel Bank, security, this is Omar.", "Kestrel Bank fraud team, Omar speaking."])},
                        {"customer": rng.choice(["Hi, I think somebody has been in my account.",
                                                 "Hello, my online banking is locked."])},
                        {"agent": rng.choice(["Okay, let's get you verified. The account number first?",
                                              "I can help. What's your account number?"])}]
    if i == 0:  # the account with dashes; the social as a hundred, a pair and two pairs
        utts += [{"customer": f"It's {span('account', f'{singles_6(account[:3])} dash {singles_6(account[3:-2])} dash {singles_6(account[-2:])}')}."},
                 {"agent": "And your social?"},
                 {"customer": f"{span('ssn', f'{hundreds_6(ssn[:3], rng)}, {pair_6(ssn[3:5])}, {pairs_6(ssn[5:])}')}."}]
    elif i == 1:  # the social over three turns with "mhm" / "yeah"
        cut = len(account) - (4 if len(account) % 3 == 1 else 0)
        said = ", ".join([hundreds_6(account[a:a + 3], rng) for a in range(0, cut, 3)] + ([pairs_6(account[cut:])] if cut < len(account) else []))
        utts += [{"customer": f"Sure, {span('account', said)}."},
                 {"agent": "Thanks. And the social security number?"},
                 {"customer": f"The first three are {span('ssn', singles_6(ssn[:3]))},"},
                 {"agent": "Mhm.", "gap": 0.3},
                 {"customer": f"then {span('ssn', singles_6(ssn[3:5]))},", "gap": 0.3},
                 {"agent": "Yeah.", "gap": 0.3},
                 {"customer": f"and {span('ssn', singles_6(ssn[5:]))}.", "gap": 0.3}]
    elif i == 2:  # non-native, "dash" in the social, the agent reading the account back
        utts += [{"customer": f"Yes. The account, the number is {span('account', singles_6(account))}."},
                 {"agent": f"Let me repeat. {span('account', singles_6(account))}, correct?"},
                 {"customer": f"Is correct. And you need my social security, no? Is {span('ssn', f'{singles_6(ssn[:3])} dash {singles_6(ssn[3:5])} dash {singles_6(ssn[5:])}')}."}]
    elif i == 3:  # one digit of the social put right
        at = rng.randrange(3, 8)
        wrong = str((int(ssn[at]) + 2) % 10)
        said = singles_6(ssn[:at]) + f" {singles_6(wrong)}, {rng.choice(SLIPS6)} {singles_6(ssn[at:])}"
        utts += [{"customer": f"Yep. {span('account', say_any(account, 'double', rng))}."},
                 {"agent": "Thank you. And the social on the account, please."},
                 {"customer": f"{span('ssn', said)}."}]
    else:  # the agent reads the social back to check it
        utts += [{"customer": f"Um, {span('account', pairs_6(account) if len(account) % 2 == 0 else singles_6(account))}."},
                 {"agent": "And your social?"},
                 {"customer": f"{span('ssn', say_any(ssn, 'mixed', rng))}."},
                 {"agent": f"Just to check, {span('ssn', f'{singles_6(ssn[:3])}, {singles_6(ssn[3:5])}, {singles_6(ssn[5:])}')}?"},
                 {"customer": "Yes."}]
    cue = rng.choice(["And a phone number we can reach you on today?", "What's the best number to call you back?"])
    if i % 2 == 0:
        said = f"area code {WORDS[int(phone[0])]} {pair_6(phone[1:3])}, {singles_6(phone[3:6])}, {pairs_6(phone[6:])}"
    else:
        said = f"{singles_6(phone[:3])}, {say_any(phone[3:6], 'double', rng)}, {say_any(phone[6:], 'double', rng)}"
    utts += [{"agent": cue}, {"customer": f"{rng.choice(['My cell, ', 'Sure, ', ''])}{span('phone', said)}."},
             {"agent": "Thanks. I've locked the account, a new card takes five to seven days."},
             {"customer": "Okay, thank you."}]
    return utts


def intl_call_6(i: int, rng: random.Random) -> list[dict]:
    """International phone numbers as their owners say them: +44 in groups, +33 in pairs, +91 with doubles, 0049."""
    utts: list[dict] = [{"agent": "Bluefin Travel, you're speaking to Ines."}]
    if i == 0:
        rest = "7" + rng.choice(["4", "5", "7", "8", "9"]) + f"{rng.randrange(10 ** 8):08d}"
        utts += [{"customer": "Hi, I'm stuck in London, my flight home got cancelled."},
                 {"agent": "I'm sorry. What number can we reach you on while you're there?"},
                 {"customer": f"It's a UK one, {span('phone', f'plus four four, {singles_6(rest[:4])}, {singles_6(rest[4:7])}, {singles_6(rest[7:])}')}."},
                 {"agent": f"So {span('phone', f'plus forty-four, {singles_6(rest[:4])}, {singles_6(rest[4:])}')}?"},
                 {"customer": "That's right."}]
    elif i == 1:
        rest = rng.choice(["6", "7"]) + "".join(f"{rng.randrange(10, 100)}" for _ in range(4))
        utts += [{"customer": "Hello. I have a reservation, and I want that you call me when the hotel is confirmed."},
                 {"agent": "Of course. What number?"},
                 {"customer": f"My portable, it is {span('phone', f'plus thirty-three, {WORDS[int(rest[0])]}, {pairs_6(rest[1:])}')}."},
                 {"agent": "Thank you."}]
    elif i == 2:
        rest = rng.choice(["98", "99", "97", "88"]) + f"{rng.randrange(100000000):08d}"
        utts += [{"customer": "Hi, I am calling from India about my booking to Chicago."},
                 {"agent": "Sure, what's a contact number?"},
                 {"customer": span("phone", f"plus nine one, {say_any(rest[:5], 'double', rng)}") + ","},
                 {"agent": "Mhm.", "gap": -0.1},
                 {"customer": f"{span('phone', say_any(rest[5:], 'double', rng))}.", "gap": 0.3},
                 {"agent": "Got it."}]
    else:
        rest = "15" + rng.choice(["1", "2", "7"]) + f"{rng.randrange(100000000):08d}"
        utts += [{"customer": "Good day. My hotel booking for Munich shows the wrong dates."},
                 {"agent": "Let me fix that. Is there a number I can text the new confirmation to?"},
                 {"customer": f"Yes, it is a German number, {span('phone', f'double oh four nine, {singles_6(rest[:3])}, {pairs_6(rest[3:])}')}."}]
    utts += [{"agent": "Perfect. You'll hear from us within the hour."}, {"customer": rng.choice(["Thank you so much.", "Thanks, bye."])}]
    return utts


def kin_call_6(i: int, rng: random.Random) -> list[dict]:
    """A relative on the customer's line reads the card or the social for the account holder."""
    if i == 0:
        number = luhn_complete("4", 16, rng)
        said = ", ".join(pairs_6(number[a:a + 4]) if a % 8 == 0 else singles_6(number[a:a + 4]) for a in range(0, 16, 4))
        return [{"agent": "Kestrel Bank card payments, Nia speaking."},
                {"customer": "Hello dear, I want to pay my bill, but I can't read the little numbers. My granddaughter is here."},
                {"agent": "That's fine, as long as you're happy for her to read them."},
                {"customer": "Yes, yes. Go on, love."},
                {"relative": f"Hi. Okay, the card is {span('card', said)}."},
                {"agent": "Thank you. And the expiry date?"},
                {"relative": f"{span('expiry', expiry_6(rng))}, and the three on the back are {span('cvv', cvv_6(3, rng))}."},
                {"agent": "Lovely, that's paid. Anything else?"},
                {"customer": "No, thank you dear."}]
    ssn = ssn_6(rng)
    return [{"agent": "Kestrel Bank, Omar speaking."},
            {"relative": "Hi, I'm calling with my dad, he's on speaker. He's locked out of his online banking."},
            {"agent": "Okay. Can I speak to him, please?"},
            {"customer": "Yes, hello, I'm here. My son will do the numbers."},
            {"agent": "That's fine. His social security number?"},
            {"relative": f"Dad, the social, where is it... right, {span('ssn', singles_6(ssn[:3]))},"},
            {"agent": "Mhm.", "gap": 0.3},
            {"relative": f"{span('ssn', f'{pair_6(ssn[3:5])}, {pairs_6(ssn[5:])}')}.", "gap": 0.3},
            {"agent": "And the e-mail on the account?"},
            {"relative": f"It's his, {span('email', email_address_6(2, rng))}."},
            {"agent": "Thanks. I've sent a reset link there."},
            {"customer": "Thank you."}]


def fp_call_6(i: int, rng: random.Random) -> list[dict]:
    """Numbers that are no personal data, said the way t6's PII is: pairs, hundreds, 3-2-4 and 3-3-4 groups."""
    if i == 0:  # an order number in pairs that fails Luhn, a date said like an expiry, amounts, an extension
        order = luhn_failing(16, rng)
        return [{"agent": "Orchard Mobile orders, Sven speaking."},
                {"customer": f"Hi. My order number is {pairs_6(order[:8])},"},
                {"agent": "Mhm.", "gap": 0.3},
                {"customer": f"{pairs_6(order[8:])}.", "gap": 0.3},
                {"agent": f"Thanks. That shipped on {rng.choice(['oh three slash twenty-six', 'three twenty-six', 'the third of the twelfth'])}, "
                          f"{rng.choice(['forty-one twelve', 'ninety-nine ninety-nine', 'two hundred and eleven dollars'])} for two items."},
                {"customer": "It came with one missing. I've called four times, twenty minutes each."},
                {"agent": f"Sorry. I'll pass it to returns, extension {singles_6(str(rng.randrange(2000, 9999)))}. The refund is "
                          f"{rng.choice(['thirty-four fifty', 'twelve pounds', 'fifty-five dollars'])}, in three to five days."},
                {"customer": "Okay, thanks."}]
    if i == 1:  # flights, seats, gates, times, a baggage tag
        return [{"agent": "Bluefin Travel, Ines speaking."},
                {"customer": f"Hi, I was on flight {rng.choice(['U A nine forty-one', 'B A two eighty-three', 'eleven twelve'])} "
                             f"and my bag didn't arrive. The tag number is {singles_6(str(rng.randrange(10 ** 9, 10 ** 10)))}."},
                {"agent": f"I see it. It's on the {rng.choice(['seven forty-five', 'twenty-one ten', 'six oh five'])} tomorrow, gate "
                          f"{rng.choice(['forty-one', 'twelve B', 'C nine'])}, seat {rng.choice(['twenty-three C', 'fourteen A'])} was yours."},
                {"customer": f"Right. I'm in room {rng.choice(['four twelve', 'fourteen oh six', 'three hundred and two'])} "
                             f"till the {rng.choice(['ninth', 'twenty-first'])}, checkout at eleven."},
                {"agent": f"We'll deliver it by {rng.choice(['two', 'four thirty'])}. The compensation is "
                          f"{rng.choice(['one hundred and twenty-five dollars', 'seventy-five euros'])}, claim "
                          f"{singles_6(str(rng.randrange(100000, 999999)))}."},
                {"customer": "Thanks."}]
    if i == 2:  # an IMEI in pairs (Luhn-valid, 15 digits), a model and a firmware version, a postcode
        imei = luhn_complete("35", 15, rng)
        return [{"agent": "Orchard Mobile device support, Sven here."},
                {"customer": "Hi, my phone keeps dropping calls. It's only six weeks old."},
                {"agent": "Can you read me the IMEI? Star hash zero six hash."},
                {"customer": f"Okay, {pairs_6(imei[:14])}, {WORDS[int(imei[14])]}."},
                {"agent": f"Thanks. It's on version {rng.choice(['fourteen point two', 'eleven point oh point three'])}, "
                          f"model {rng.choice(['S twenty-three', 'A fifty-four'])}. What's the postcode where it drops?"},
                {"customer": f"{rng.choice(['S W one A, two A A', 'M four, one B T', 'L S six, three Q W'])}. It's been "
                             f"{rng.choice(['forty-one', 'twelve', 'nineteen'])} times this week."},
                {"agent": f"There's a mast fault there, fixed by the {rng.choice(['fourteenth', 'thirtieth'])}. "
                          f"I've added {rng.choice(['five', 'ten'])} pounds credit."},
                {"customer": "Cheers."}]
    if i == 3:  # a case number read 3-2-4 like a social, an order number read 3-3-4 like a phone number
        case = f"{rng.randrange(100, 999)}{rng.randrange(10, 99)}{rng.randrange(1000, 9999)}"
        order = f"{rng.randrange(200, 999)}{rng.randrange(200, 999)}{rng.randrange(1000, 9999)}"
        return [{"agent": "Kestrel Bank complaints, Omar speaking."},
                {"customer": f"Hi, I have a case open, the case number is {singles_6(case[:3])}, {singles_6(case[3:5])}, "
                             f"{singles_6(case[5:])}."},
                {"agent": "Found it. It's about a refund from a shop?"},
                {"customer": f"Yes, order number {singles_6(order[:3])}, {singles_6(order[3:6])}, {singles_6(order[6:])}, "
                             f"{rng.choice(['three hundred and nine dollars', 'eighty-eight fifty'])}."},
                {"agent": f"The merchant has {rng.choice(['ten', 'fifteen'])} working days, so by the "
                          f"{rng.choice(['twenty-second', 'eighth'])}. The interest is {rng.choice(['four point one two', 'nineteen point nine'])} percent."},
                {"customer": "Okay, thank you."}]
    tracking = "94" + "".join(str(rng.randrange(10)) for _ in range(20))
    return [{"agent": "Orchard Mobile, Sven speaking."},  # a 22-digit tracking number, a zip code, counts, a year
            {"customer": f"Hi, my new SIM never came. The tracking number is {fours_6(tracking[:20])}, {singles_6(tracking[20:])}."},
            {"agent": f"It's at the depot for zip code {singles_6(str(rng.randrange(10000, 99999)))}. Delivery on "
                      f"{rng.choice(['the ninth', 'Tuesday the twelfth'])}, between {rng.choice(['eight and twelve', 'one and six'])}."},
            {"customer": f"I've had three SIMs since {rng.choice(['twenty nineteen', 'two thousand and eighteen'])}, and "
                         f"{rng.choice(['two', 'both'])} went missing."},
            {"agent": f"Sorry. I've put {rng.choice(['twenty-five', 'ten'])} pounds on the account."},
            {"customer": "Thanks."}]


def voices_6(rng: random.Random, name: str, i: int) -> dict:
    """Customers and relatives: piper in the dev calls' range, two customers an espeak-ng voice (the French and the
    German number). Agents: piper, or every third call an espeak-ng voice."""
    customer: dict = {"pitch": round(rng.uniform(0.85, 1.3), 2), "speed": round(rng.uniform(0.9, 1.12), 2)}
    agent: dict = {"pitch": round(rng.uniform(0.85, 1.05), 2), "speed": round(rng.uniform(0.95, 1.1), 2)}
    if name in ("t6-intl-02", "t6-intl-04"):
        customer = {"engine": "espeak", "voice": rng.choice(["en-us+m3", "en-gb+f3"]), "pitch": 1.0, "speed": 0.95}
    elif i % 3 == 2:
        agent = {"engine": "espeak", "voice": rng.choice(["en-gb+f4", "en-us+m1", "en-gb-scotland+m2"]),
                 "pitch": 1.0, "speed": 1.0}
    return {"agent": agent, "customer": customer, **KIN6}


# --- d6 (issue 14, round 6): a dev batch for what t5 still showed, in other words -------------------------------
# Dev (tuned on). Written in round 6 without t5's or t6's scripts at hand, after the README's list of what t5 still
# missed: the security code asked for by where it is printed (the signature panel, the white box, the reverse),
# expiry dates given as two numbers ("ten, thirty one") after a cue that names no expiry ("when does it lapse?"),
# cards and SSNs read in pairs or as three-digit chunks ("four twelve"), a slip put right in the middle, and
# false-positive calls where claim, parcel and booking references are read in groups (some pass Luhn), an IMEI, a
# card's last four and amounts. Other firms: Oakridge Credit Union, Bluewater Energy, Kestrel Mobile.

CARD_ASKS_D6 = ["Let's start with the sixteen digits across the front.", "Read me the number embossed on it, please.",
                "Okay, and the card's own number, whenever you're ready.", "What's printed along the front of it?",
                "Pop the full number on the plastic over to me."]
EXPIRY_ASKS_D6 = ["And when does it lapse?", "Till when is it good?", "What's the valid-to on it?",
                  "And the date it stops working?", "Which month and year is printed under the number?"]
CVV_ASKS_D6 = ["Lastly the three numbers printed by the signature panel.", "Flip it over, what's in the little white box?",
               "And the short number on the reverse side?", "The three digits to the right of where you sign, please.",
               "Now the small digits on the back, after the long number."]
SSN_ASKS_D6 = ["To confirm it's you, your nine-digit social, please.", "What's the social on your file?",
               "I'll need your social security to go ahead.", "Can you confirm your tax ID, the SSN?"]
ACCOUNT_ASKS_D6 = ["Which account are we paying into? The number, please.", "What's the number of your account with us?",
                   "Can you read me the account reference on the letter?"]
PHONE_ASKS_D6 = ["Which mobile should the texts go to?", "Can I get a number to ring you back on?",
                 "What's the best line to get you on?", "Is there a phone we can use if we get cut off?"]
EMAIL_ASKS_D6 = ["Where should the statement be emailed?", "And an email we can write to?",
                 "What address do you use for email these days?"]
SLIPS_D6 = ["scratch that,", "hang about, that's wrong,", "sorry, misread it,", "no no,", "my mistake,"]
ACKS_D6 = ["Uh huh.", "Yep, next.", "Got those.", "Right.", "Mm, carry on."]


def three_digits(chunk: str) -> str:
    """Three digits as a caller says them as one chunk: "412" → "four twelve", "405" → "four oh five",
    "070" → "oh seventy", "500" → "five hundred"."""
    if chunk[0] == "0":
        return f"oh {two_digits(chunk[1:])}" if chunk[1] != "0" else f"oh oh {WORDS[int(chunk[2])]}"
    if chunk[1:] == "00":
        return f"{WORDS[int(chunk[0])]} hundred"
    return f"{WORDS[int(chunk[0])]} {two_digits(chunk[1:])}"


def d6_digits(digits: str, habit: int, rng: random.Random) -> str:
    """Digits read in one of d6's habits: in pairs, in three-digit chunks, with a slip put right, one by one with
    "oh", or in fours with one pair."""
    habit %= 5
    if habit == 0:  # pairs, a lone digit at the end of an odd count
        pairs = [two_digits(digits[a:a + 2]) for a in range(0, len(digits) - 1, 2)]
        return ", ".join(pairs + ([WORDS[int(digits[-1])]] if len(digits) % 2 else []))
    if habit == 1:  # three-digit chunks, the rest as pairs or a digit
        chunks = [three_digits(digits[a:a + 3]) for a in range(0, len(digits) - len(digits) % 3, 3)]
        rest = digits[len(digits) - len(digits) % 3:]
        return ", ".join(chunks + ([say_digits(rest, "oh", rng)] if rest else []))
    if habit == 2:  # a slip in the middle, put right by reading the group again
        cut = len(digits) // 2 + rng.randrange(-1, 2)
        start = max(0, cut - 3)
        wrong = digits[start:cut - 1] + str((int(digits[cut - 1]) + 5) % 10)
        head = f"{say_digits(digits[:start], 'oh', rng)}, " if start else ""
        return f"{head}{say_digits(wrong, 'oh', rng)}, {rng.choice(SLIPS_D6)} {say_digits(digits[start:], 'oh', rng)}"
    if habit == 3:
        return ", ".join(say_digits(digits[a:a + 4], "oh", rng) for a in range(0, len(digits), 4))
    groups = [digits[a:a + 4] for a in range(0, len(digits), 4)]
    return ", ".join(pairs_of_four(g) if n == 1 and len(g) == 4 else say_digits(g, "double", rng)
                     for n, g in enumerate(groups))


def expiry_d6(rng: random.Random) -> str:
    """An expiry date the way it is printed, read as two numbers ("ten, thirty one", "oh six twenty eight")."""
    month, year = rng.randrange(1, 13), rng.randrange(26, 34)
    said_month = two_digits(f"{month:02d}")
    return rng.choice([f"{said_month}, {two_digits(str(year))}", f"{said_month} slash {two_digits(str(year))}",
                       f"{MONTHS[month - 1]} of twenty {two_digits(str(year))}", f"{said_month} {two_digits(str(year))}"])


def card_call_d6(i: int, rng: random.Random) -> list[dict]:
    amex = i % 4 == 3
    number = luhn_complete("37" if amex else rng.choice(["4", "51", "2221", "6011"]), 15 if amex else 16, rng)
    agent = rng.choice(["Oakridge Credit Union, this is Priya.", "You're through to Oakridge payments, Dev here."])
    utts: list[dict] = [{"agent": agent}, {"customer": rng.choice(
        ["Hiya, I want to clear what I owe on the loan.", "Morning. I'd like to pay off this month's bill.",
         "Hello, I am calling for pay the balance, please."])}, {"agent": rng.choice(CARD_ASKS_D6)}]
    if i % 3 == 1:  # in two halves around the agent's acknowledgement
        half = 8
        utts += [{"customer": f"{{card:{d6_digits(number[:half], i, rng)}}},"},
                 {"agent": rng.choice(ACKS_D6), "gap": round(rng.uniform(0.2, 0.5), 2)},
                 {"customer": f"{{card:{d6_digits(number[half:], i, rng)}}}.", "gap": 0.3}]
    else:
        utts.append({"customer": f"{rng.choice(['Right, ', 'Ok so ', 'Ready? '])}{{card:{d6_digits(number, i, rng)}}}."})
    utts += [{"agent": rng.choice(EXPIRY_ASKS_D6)},
             {"customer": f"{rng.choice(['', 'It says ', 'Erm, '])}{{expiry:{expiry_d6(rng)}}}."}]
    code = "".join(str(rng.randrange(10)) for _ in range(4 if amex else 3))
    cvv_ask = ("And for Amex there's four little digits on the front, above the long number?" if amex
               else rng.choice(CVV_ASKS_D6))
    said_code = rng.choice([say_digits(code, "oh", rng), ", ".join(WORDS[int(c)] for c in code)])
    utts += [{"agent": cvv_ask}, {"customer": f"{rng.choice(['', 'Okay, ', 'That would be '])}{{cvv:{said_code}}}."}]
    if i % 2 == 0:
        utts += [{"agent": rng.choice(EMAIL_ASKS_D6)}, {"customer": f"{{email:{email_address_d6(i, rng)}}}."}]
    utts += [{"agent": f"All done: {rng.choice(['two hundred and forty dollars', 'eighty nine fifty', 'one thousand and twelve pounds'])} "
                       f"taken from the card ending {say_digits(number[-4:], 'plain', rng)}, on the {rng.choice(['third', 'nineteenth'])}."},
             {"customer": "Lovely, cheers."}]
    return utts


def email_address_d6(i: int, rng: random.Random) -> str:
    name, surname = rng.choice(["tomas", "ines", "kofi", "mei", "arjun", "hana"]), rng.choice(
        ["delgado", "ferris", "osei", "lindqvist", "patel", "moreau"])
    domain, tld = rng.choice([("outlook", "com"), ("proton", "me"), ("oakridge", "net"), ("icloud", "com")])
    local = [f"{name} {surname}", f"{name} underscore {' '.join(surname[:3])}", f"{' '.join(name)} {rng.randrange(70, 99)}",
             f"{surname} dot {name[0]}"][i % 4]
    return f"{local} at {domain} dot {tld}"


def id_call_d6(i: int, rng: random.Random) -> list[dict]:
    area = rng.randrange(1, 900)
    while area == 666:
        area = rng.randrange(1, 900)
    ssn = f"{area:03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"
    account = "".join(str(rng.randrange(10)) for _ in range(rng.choice([8, 9, 11])))
    phone = _phone(rng)
    utts: list[dict] = [{"agent": "Bluewater Energy, you're speaking with Marcus."},
                        {"customer": "Hi there, I think I've been charged twice."},
                        {"agent": rng.choice(ACCOUNT_ASKS_D6)},
                        {"customer": f"{rng.choice(['', 'Yeah, ', 'One moment, '])}{{account:{d6_digits(account, i + 1, rng)}}}."},
                        {"agent": rng.choice(SSN_ASKS_D6)}]
    if i % 2:  # the SSN read the written way, dashes and all
        ssn_said = (f"{three_digits(ssn[:3])} dash {two_digits(ssn[3:5])} dash "
                    f"{two_digits(ssn[5:7])} {two_digits(ssn[7:])}")
        utts.append({"customer": f"{{ssn:{ssn_said}}}."})
    else:
        utts.append({"customer": f"Sure, {{ssn:{d6_digits(ssn, i, rng)}}}."})
    utts += [{"agent": "Thank you. I can see two payments of sixty one pounds forty on the twelfth, I'll refund one."},
             {"agent": rng.choice(PHONE_ASKS_D6)},
             {"customer": f"{{phone:{d6_digits(phone, i + 3, rng)}}}."},
             {"agent": "Great, you'll get a text within the hour."}, {"customer": "Brilliant, thanks."}]
    return utts


def fp_call_d6(i: int, rng: random.Random) -> list[dict]:
    """No personal data: references read in groups (one passes Luhn, as a card would), an IMEI, a card's last four."""
    claim = luhn_complete(str(rng.randrange(1, 10)), 16, rng) if i % 2 else luhn_failing(16, rng)
    imei = luhn_complete("86", 15, rng)
    reference = rng.choice(["claim reference", "parcel tracking number", "booking reference", "case number"])
    return [{"agent": "Kestrel Mobile claims, Joe speaking."},
            {"customer": f"Hello, I'm ringing about my {reference}, it's {d6_digits(claim, i + 3, rng)}."},
            {"agent": "Thanks. And the handset's IMEI, from the box?"},
            {"customer": f"Um, {d6_digits(imei, i, rng)}."},
            {"agent": f"Got it. Is that the card ending {say_digits(str(rng.randrange(1000, 10000)), 'plain', rng)} "
                      f"we refund to?"},
            {"customer": f"Yes. It cost me {rng.choice(['four hundred and ninety nine', 'three twenty'])} on the "
                         f"{rng.choice(['second', 'thirtieth'])} of {rng.choice(MONTHS)}."},
            {"agent": "You'll have it back in five to seven working days."}, {"customer": "Okay, ta."}]



# --- d7 (issue 14, round 7): a dev batch in the styles the dev batches lack --------------------------------------
# Dev (tuned on). Written in round 7 without t6's or t7's scripts at hand, from the habits the brief lists and the
# dev batches lack: cards read in pairs ("forty one, twelve") or in hundreds ("four hundred and twelve"), a group
# put right ("no sorry, that's ..."), a number broken by "sorry" and an aside ("sorry, the print's worn here"),
# the agent reading a card, a phone or an SSN back (labelled: said in clear), a read-back the customer corrects,
# e-mail addresses spelled with "as in" ("k as in kilo"), "double l", "dash" and "underscore", a relative reading
# for the caller (a second voice on the customer's line); and false-positive calls full of amounts, dates said
# as numbers, order and ticket numbers read in groups (failing Luhn), extensions, counts and a PIN-less last four.
# Other firms: Larchmont Savings, Tidewater Gas, Pinecrest Mobile.

CARD_ASKS_D7 = ["Okay, go ahead with the card number.", "What's the number across the card, please?",
                "Can I take the long card number?", "And the card number itself?", "Read me the card digits, please."]
EXPIRY_ASKS_D7 = ["And the expiry?", "What's the expiry date on it?", "When does the card expire?",
                  "And the end date?"]
CVV_ASKS_D7 = ["And the three digit code on the back?", "Last thing, the security code.", "The CVV, please?",
               "And the little code by the signature?"]
ASIDES_D7 = ["sorry, the print's worn here,", "sorry, hang on, I need my glasses,", "sorry, it's a bit faded,",
             "sorry, the dog's barking,", "sorry,"]
FIXES_D7 = ["no sorry, that's", "no, sorry, I meant", "oops, no,", "sorry, wrong, it's"]
NATO_D7 = {"a": "alpha", "b": "bravo", "c": "charlie", "d": "delta", "e": "echo", "k": "kilo", "l": "lima",
           "m": "mike", "n": "november", "o": "oscar", "p": "papa", "r": "romeo", "s": "sierra", "t": "tango",
           "v": "victor", "w": "whiskey"}
WORDS_AS_D7 = {"b": "bob", "d": "dog", "f": "frank", "j": "john", "m": "mother", "n": "nancy", "p": "paul",
               "s": "sam", "t": "tom", "v": "violet"}


def hundreds_d7(chunk: str, rng: random.Random) -> str:
    """Three digits said as a number with hundreds: "412" → "four hundred and twelve", "405" → "four hundred five",
    "070" → "oh seventy", "500" → "five hundred"."""
    if chunk[0] == "0":
        return three_digits(chunk)
    tail = int(chunk[1:])
    if tail == 0:
        return f"{WORDS[int(chunk[0])]} hundred"
    rest = WORDS[tail] if tail < 10 else two_digits(chunk[1:])
    return f"{WORDS[int(chunk[0])]} hundred{rng.choice([' and', ''])} {rest}"


def pairs_d7(digits: str) -> str:
    """Digits read in pairs ("forty one, twelve, oh five"), a lone digit last for an odd count."""
    out = [two_digits(digits[a:a + 2]) for a in range(0, len(digits) - 1, 2)]
    return ", ".join(out + ([WORDS[int(digits[-1])]] if len(digits) % 2 else []))


def chunks_d7(digits: str, rng: random.Random) -> str:
    """Digits in three-digit chunks said with hundreds, the rest digit by digit."""
    cut = len(digits) - len(digits) % 3
    out = [hundreds_d7(digits[a:a + 3], rng) for a in range(0, cut, 3)]
    return ", ".join(out + ([say_digits(digits[cut:], "oh", rng)] if cut < len(digits) else []))


def fours_d7(digits: str, rng: random.Random, style: str = "oh") -> list[str]:
    return [say_digits(digits[a:a + 4], style, rng) for a in range(0, len(digits), 4)]


def fixed_d7(digits: str, rng: random.Random) -> str:
    """Fours, one group said wrong first and put right ("four five five six, no sorry, that's four five six six")."""
    groups = [digits[a:a + 4] for a in range(0, len(digits), 4)]
    slip = rng.randrange(1, len(groups))
    said = []
    for n, group in enumerate(groups):
        if n == slip:
            wrong = group[:2] + str((int(group[2]) + 4) % 10) + group[3:]
            said.append(f"{say_digits(wrong, 'oh', rng)}, {rng.choice(FIXES_D7)} {say_digits(group, 'oh', rng)}")
        else:
            said.append(say_digits(group, "oh", rng))
    return ", ".join(said)


def broken_d7(digits: str, rng: random.Random) -> str:
    """Fours with "sorry" and an aside inside the number."""
    groups = fours_d7(digits, rng, rng.choice(["oh", "double"]))
    cut = rng.randrange(1, len(groups))
    return ", ".join(groups[:cut]) + f", {rng.choice(ASIDES_D7)} " + ", ".join(groups[cut:])


def card_said_d7(number: str, habit: int, rng: random.Random) -> str:
    habit %= 4
    if habit == 0:
        return pairs_d7(number)
    if habit == 1:
        return chunks_d7(number, rng)
    if habit == 2:
        return fixed_d7(number, rng)
    return broken_d7(number, rng)


def expiry_d7(rng: random.Random) -> str:
    month, year = rng.randrange(1, 13), rng.randrange(26, 34)
    return rng.choice([f"{two_digits(f'{month:02d}')} {two_digits(str(year))}", f"{MONTHS[month - 1]} {two_digits(str(year))}",
                       f"{two_digits(f'{month:02d}')} of twenty {two_digits(str(year))}",
                       f"{MONTHS[month - 1]}, sorry, {MONTHS[month % 12]} twenty {two_digits(str(year))}"])


def card_call_d7(i: int, rng: random.Random) -> list[dict]:
    """A card and its details, in one of the card habits; calls 4-5 have the agent read the card back (5: with a slip
    the customer corrects), call 6 the groups over turns, call 7 an Amex, call 8 a relative reading it."""
    amex = i == 7
    number = luhn_complete("34" if amex else rng.choice(["4", "52", "2223", "6011"]), 15 if amex else 16, rng)
    reader = "relative" if i == 8 else "customer"
    utts: list[dict] = [{"agent": rng.choice(["Larchmont Savings, Nadia speaking.", "Larchmont card line, this is Ben."])}]
    if reader == "relative":
        utts += [{"customer": "Hi, I'm paying my mum's card bill, she's here with me, she'll read the card."},
                 {"agent": "That's fine. Go ahead with the card number."},
                 {"relative": f"Hello dear. It's {{card:{' '.join(fours_d7(number, rng, 'plain'))}}}."}]
    else:
        utts += [{"customer": rng.choice(["Hi, I'd like to pay off my balance.", "Hello, I need to make a payment please.",
                                          "Yes hi, paying my bill by card."])}, {"agent": rng.choice(CARD_ASKS_D7)}]
        if i == 6:  # groups over turns, in pairs, with the agent's acknowledgements
            groups = [number[a:a + 4] for a in range(0, 16, 4)]
            for n, group in enumerate(groups):
                utts.append({"customer": f"{{card:{pairs_of_four(group)}}}" + ("." if n == 3 else ","), "gap": 0.3})
                if n < 3:
                    utts.append({"agent": rng.choice(["Mhm.", "Yep.", "Okay.", "Go on."]), "gap": 0.2})
        elif amex:
            said = f"{say_digits(number[:4], 'plain', rng)}, {chunks_d7(number[4:10], rng)}, {pairs_d7(number[10:])}"
            utts.append({"customer": f"It's an Amex, {{card:{said}}}."})
        else:
            utts.append({"customer": f"{rng.choice(['Sure, ', 'Okay so, ', ''])}{{card:{card_said_d7(number, i, rng)}}}."})
    if i in (4, 5):  # the agent reads it back
        back = number if i == 4 else number[:9] + str((int(number[9]) + 2) % 10) + number[10:]
        utts.append({"agent": f"Let me read that back: {{card:{', '.join(fours_d7(back, rng, 'plain'))}}}?"})
        if i == 4:
            utts.append({"customer": "Yes, that's it."})
        else:
            utts += [{"customer": f"No, the third group is {{card:{say_digits(number[8:12], 'plain', rng)}}}."},
                     {"agent": "Sorry, got it now."}]
    utts += [{"agent": rng.choice(EXPIRY_ASKS_D7)},
             {reader: f"{rng.choice(['', 'Um, ', 'It says '])}{{expiry:{expiry_d7(rng)}}}."}]
    code = "".join(str(rng.randrange(10)) for _ in range(4 if amex else 3))
    said_code = rng.choice([say_digits(code, "oh", rng), hundreds_d7(code, rng) if not amex else pairs_d7(code)])
    utts += [{"agent": "And the four digit code on the front?" if amex else rng.choice(CVV_ASKS_D7)},
             {reader: f"{rng.choice(['', 'That is ', 'Er, '])}{{cvv:{said_code}}}."}]
    utts += [{"agent": f"Thanks. {rng.choice(['Two hundred and twelve dollars fifty', 'Ninety nine pounds', 'Four hundred and six dollars'])} "
                       f"paid on the card ending {say_digits(number[-4:], 'plain', rng)}, reference "
                       f"{say_digits(str(rng.randrange(100000, 999999)), 'plain', rng)}."},
             {"customer": "Great, thank you."}]
    return utts


def spelled_d7(word: str, rng: random.Random) -> str:
    """A word spelled with "as in" for some letters ("k as in kilo, a, t, e"), "double l" for a double letter."""
    out, i = [], 0
    while i < len(word):
        c = word[i]
        if i + 1 < len(word) and word[i + 1] == c:
            out.append(f"double {c}")
            i += 2
            continue
        table = rng.choice([NATO_D7, WORDS_AS_D7])
        out.append(f"{c} as in {table[c]}" if c in table and rng.random() < 0.6 else c)
        i += 1
    return ", ".join(out)


def email_address_d7(i: int, rng: random.Random) -> str:
    name, surname = rng.choice(["kate", "bella", "tom", "anna", "milo", "dora"]), rng.choice(
        ["vance", "mills", "novak", "penn", "sato", "walsh"])
    domain, tld = rng.choice([("gmail", "com"), ("larchmont", "net"), ("fastmail", "com"), ("aol", "com")])
    local = [f"{name}, that's {spelled_d7(name, rng)}, dot {surname}",
             f"{spelled_d7(name + surname[0], rng)}",
             f"{name} dash {surname} {say_digits(str(rng.randrange(10, 99)), 'plain', rng)}",
             f"{name} underscore {spelled_d7(surname, rng)}",
             f"{surname} {name[0]}"][i % 5]
    return f"{local} at {domain} dot {tld}"


def email_call_d7(i: int, rng: random.Random) -> list[dict]:
    reader = "relative" if i == 4 else "customer"
    utts: list[dict] = [{"agent": "Pinecrest Mobile, how can I help?"},
                        {"customer": rng.choice(["Hi, I never got my bill by email.", "Hello, I want paperless billing.",
                                                 "Hi, can you send the contract to my email?"])},
                        {"agent": rng.choice(["Which email should it go to?", "What's your email address?",
                                              "Can I take an email for that?"])}]
    if reader == "relative":
        utts += [{"customer": "My son set it up, he'll tell you."}]
    utts += [{reader: f"{rng.choice(['Sure, ', 'It is ', 'Okay, '])}{{email:{email_address_d7(i, rng)}}}."}]
    if i % 2:
        utts += [{"agent": "Let me check I have it. Can you spell the domain?"},
                 {reader: f"{rng.choice(['Just the normal one.', 'Like I said.'])}"}]
    utts += [{"agent": f"Done, the bill for {rng.choice(['thirty two pounds', 'forty five dollars ninety'])} is on its way, "
                       f"it covers the first to the thirtieth."}, {"customer": "Thanks a lot."}]
    return utts


def id_call_d7(i: int, rng: random.Random) -> list[dict]:
    """An SSN, a phone number and an account number: in hundreds, broken by "sorry", put right, read back."""
    area = rng.randrange(1, 900)
    while area == 666:
        area = rng.randrange(1, 900)
    ssn = f"{area:03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"
    account = "".join(str(rng.randrange(10)) for _ in range(rng.choice([8, 10])))
    phone = _phone(rng)
    utts: list[dict] = [{"agent": "Tidewater Gas, Omar speaking."},
                        {"customer": "Hi, I'm moving house and need to close my account."},
                        {"agent": rng.choice(["Sure, the account number?", "What's your account number with us?"])}]
    account_said = [pairs_d7(account), f"{say_digits(account[:4], 'oh', rng)}, {rng.choice(ASIDES_D7)} {say_digits(account[4:], 'oh', rng)}",
                    chunks_d7(account, rng)][i % 3]
    utts += [{"customer": f"{{account:{account_said}}}."},
             {"agent": rng.choice(["And for security, your social security number?", "Can I have your SSN to verify?"])}]
    if i % 2 == 0:
        ssn_said = f"{hundreds_d7(ssn[:3], rng)}, {two_digits(ssn[3:5])}, {pairs_d7(ssn[5:])}"
    else:
        wrong = ssn[:3] + str((int(ssn[3]) + 3) % 10) + ssn[4:5]
        ssn_said = (f"{say_digits(wrong, 'oh', rng)}, {rng.choice(FIXES_D7)} {say_digits(ssn[:5], 'oh', rng)}, "
                    f"{say_digits(ssn[5:], 'oh', rng)}")
    utts += [{"customer": f"{{ssn:{ssn_said}}}."}]
    if i % 3 == 1:
        utts += [{"agent": f"So that's {{ssn:{say_digits(ssn[:3], 'plain', rng)}, {say_digits(ssn[3:5], 'plain', rng)}, "
                           f"{say_digits(ssn[5:], 'plain', rng)}}}?"}, {"customer": "Correct."}]
    utts += [{"agent": "Thanks. The final reading is due on the fifteenth, the balance is sixty two dollars."},
             {"agent": rng.choice(["What number can we reach you on?", "And a phone number for the engineer?"])}]
    phone_said = [f"{say_digits(phone[:3], 'oh', rng)}, {say_digits(phone[3:6], 'oh', rng)}, {rng.choice(ASIDES_D7)} "
                  f"{say_digits(phone[6:], 'oh', rng)}", f"{hundreds_d7(phone[:3], rng)}, {hundreds_d7(phone[3:6], rng)}, "
                  f"{pairs_of_four(phone[6:])}", f"{say_digits(phone, 'double', rng)}"][i % 3]
    utts += [{"customer": f"{{phone:{phone_said}}}" + (", extension four one two." if i % 3 == 2 else ".")}]
    if i % 2 == 0:
        utts += [{"agent": f"I'll read it back, {{phone:{say_digits(phone, 'plain', rng)}}}."}, {"customer": "Yes."}]
    utts += [{"agent": "All set, the account closes on the thirtieth."}, {"customer": "Thanks, bye."}]
    return utts


def fp_call_d7(i: int, rng: random.Random) -> list[dict]:
    """No personal data: amounts, dates said as numbers, order and ticket numbers in groups that fail Luhn, extensions,
    counts, the last four of a card, a store's opening hours."""
    order = luhn_failing(16, rng)
    ticket = "".join(str(rng.randrange(10)) for _ in range(rng.choice([7, 9, 10])))
    kinds = [
        [{"agent": "Pinecrest Mobile orders, Lia speaking."},
         {"customer": f"Hi, my order number is {', '.join(fours_d7(order, rng))}, it hasn't arrived."},
         {"agent": "Let me look. It shipped on the twenty second, two boxes, the total was three hundred and twelve dollars forty."},
         {"customer": f"I paid with the card ending {say_digits(str(rng.randrange(1000, 10000)), 'plain', rng)}, "
                      f"on oh three twenty six."},
         {"agent": f"I'll raise a ticket, number {say_digits(ticket, 'plain', rng)}, and transfer you to extension "
                   f"{say_digits(str(rng.randrange(1000, 9999)), 'plain', rng)}."},
         {"customer": "Okay, thanks."}],
        [{"agent": "Tidewater Gas billing, Omar speaking."},
         {"customer": f"Hi, I was charged one thousand two hundred and forty dollars and fifty cents, "
                      f"sorry, one thousand two hundred and fourteen, on the twelfth of {rng.choice(MONTHS)}."},
         {"agent": f"Right. Your meter read {chunks_d7(str(rng.randrange(100000, 999999)), rng)} on the fourth."},
         {"customer": f"It should be about four hundred units, we're two people in a {rng.choice(['three', 'four'])} bedroom flat."},
         {"agent": "I'll refund eighty eight dollars within five to seven days. If it doesn't come, ask for extension "
                   "two two one, we're open eight to six."},
         {"customer": "Thanks."}],
        [{"agent": "Larchmont Savings, Nadia speaking."},
         {"customer": f"Hi, about my loan, reference {pairs_d7(luhn_failing(12, rng))}."},
         {"agent": "Thanks. You owe two thousand and six dollars, the next payment of one fifty is due on the first of "
                   f"{rng.choice(MONTHS)}, twenty twenty seven."},
         {"customer": "Can I pay twenty five percent more, from twenty six thirty one?"},
         {"agent": f"Yes, I'll note it on case {say_digits(ticket, 'oh', rng)}. Anything else?"},
         {"customer": "No, that's all."}],
    ]
    return kinds[i % len(kinds)]


def voices_d7(rng: random.Random, n: int) -> dict:
    """voices_5's range, and a relative on the customer's line (another pitch of the piper voice)."""
    voices = voices_5(rng, n)
    voices["relative"] = {"pitch": round(rng.choice([rng.uniform(0.75, 0.85), rng.uniform(1.25, 1.4)]), 2),
                          "speed": round(rng.uniform(0.9, 1.05), 2), "side": "right"}
    return voices

# --- d8 (issue 14, round 8): a dev batch for account numbers, security codes and expiry dates ---------------------
# Dev (tuned on). Written in round 8 without t6's or t7's scripts or transcripts, after t7 showed account numbers found
# 0 of 6 (even on its reference text), security codes 1-2 of 8 and expiry dates 4 of 9 through speech recognition.
# What counts as an account number here (labelled "account"): the number that identifies the caller's own account
# with the firm, whatever the firm calls it: account number, member or membership number, customer number, customer
# reference or customer ID, billing account. What does not (no label): policy, meter, contract, claim, order and
# ticket numbers, meter readings, sort codes, an account's balance or its last four digits. Security codes asked for
# and given in other words ("the three numbers by the signature", "the verification number", "CVV two"), and given
# unasked in the card's turn; expiry dates as "runs out", "good until", "the end of", month and year named apart,
# "slash". Firms: Heron Credit Union, Brightwater Utilities, Summit Gyms, Kelp Broadband, Alder Bank.

ACCOUNT_NAMES_D8 = ["member number", "membership number", "customer number", "customer reference", "customer ID",
                    "billing account number", "account reference"]
ACCOUNT_ASKS_D8 = {
    "member number": "Can I take your member number, please?",
    "membership number": "Have you got your membership number there?",
    "customer number": "What's your customer number? It's at the top of the bill.",
    "customer reference": "Do you have the customer reference from the letter?",
    "customer ID": "And your customer ID, please?",
    "billing account number": "Can you read me the billing account number?",
    "account reference": "What's the account reference on your statement?",
}


def account_said_d8(digits: str, habit: int, rng: random.Random) -> str:
    habit %= 4
    if habit == 0:
        return pairs_d7(digits)
    if habit == 1:
        return chunks_d7(digits, rng)
    if habit == 2:
        return ", ".join(say_digits(digits[a:a + 3], "oh", rng) for a in range(0, len(digits), 3))
    return say_digits(digits, "double", rng)


def account_call_d8(i: int, rng: random.Random) -> list[dict]:
    """One account number, named one of seven ways: asked for by that name, volunteered with it, or read back by the
    agent; some calls also have a number that is no personal data (a meter serial, a contract or policy number)."""
    name = ACCOUNT_NAMES_D8[i % len(ACCOUNT_NAMES_D8)]
    digits = "".join(str(rng.randrange(10)) for _ in range(rng.choice([7, 8, 9, 10, 11])))
    firm = rng.choice(["Heron Credit Union", "Brightwater Utilities", "Summit Gyms", "Kelp Broadband"])
    said = account_said_d8(digits, i, rng)
    utts: list[dict] = [{"agent": f"{firm}, you're through to {rng.choice(['Mo', 'Jess', 'Ravi'])}."}]
    if i % 3 == 1:  # volunteered with its name
        utts += [{"customer": f"Hi, {rng.choice(['my', 'so my', 'er, my'])} {name} is {{account:{said}}}, "
                              f"{rng.choice(['I want to change my plan.', 'I think I was charged twice.', 'I need to cancel.'])}"}]
    else:
        utts += [{"customer": rng.choice(["Hi, I've a question about my bill.", "Hello, I want to cancel.",
                                          "Hi, I moved house and need to update things."])},
                 {"agent": ACCOUNT_ASKS_D8[name]},
                 {"customer": f"{rng.choice(['Yeah, ', 'Hang on. ', 'Sure, it is ', ''])}{{account:{said}}}."}]
    if i % 3 == 2:  # the agent reads it back
        utts += [{"agent": f"Thanks, so {{account:{say_digits(digits, 'plain', rng)}}}?"}, {"customer": "That's it."}]
    other = i % 4
    if other == 0:
        utts += [{"agent": "And the serial number on the meter, for the reading?"},
                 {"customer": f"It's {say_digits(str(rng.randrange(10 ** 7, 10 ** 8)), 'plain', rng)}, and it reads "
                              f"{chunks_d7(str(rng.randrange(10000, 99999)), rng)}."}]
    elif other == 1:
        utts += [{"agent": f"I see contract number {say_digits(str(rng.randrange(10 ** 8, 10 ** 9)), 'oh', rng)} on it, "
                           "the one from March."}, {"customer": "Yes, that one."}]
    elif other == 2:
        utts += [{"customer": f"Oh and my policy number is {pairs_d7(luhn_failing(12, rng))} if you need it."},
                 {"agent": "That's the insurance side, I don't need it here."}]
    utts += [{"agent": f"All done. Your balance is {rng.choice(['forty two pounds ten', 'one hundred and eight dollars', 'nine fifty'])}, "
                       f"due on the {rng.choice(['fifth', 'twentieth', 'twenty eighth'])}."},
             {"customer": "Thanks, bye."}]
    return utts


def expiry_d8(rng: random.Random) -> str:
    month, year = rng.randrange(1, 13), rng.randrange(26, 34)
    mm, yy = two_digits(f"{month:02d}"), two_digits(str(year))
    return rng.choice([f"{mm} slash {yy}", f"month {mm}, year {yy}", f"the end of {MONTHS[month - 1]} twenty {yy}",
                       f"{MONTHS[month - 1]} twenty {yy}", f"{mm}, twenty {yy}", f"{mm} {yy}"])


EXPIRY_ASKS_D8 = ["When does it run out?", "What's the valid until date?", "What date is it good until?",
                  "And the month and year at the bottom?", "The expiration?"]
CVV_ASKS_D8 = ["And the three numbers by the signature strip?", "What's the verification number on the back?",
               "And the CVV two, please?", "The last three digits on the back?", "And the security number?"]


def card_call_d8(i: int, rng: random.Random) -> list[dict]:
    """A card, then its expiry date and security code in the words above; calls 3 and 5 give all three unasked in one
    turn ("... expiring ..., and the code is ...")."""
    number = luhn_complete(rng.choice(["4", "51", "2221", "6011"]), 16, rng)
    code = "".join(str(rng.randrange(10)) for _ in range(3))
    said_code = rng.choice([say_digits(code, "oh", rng), hundreds_d7(code, rng), say_digits(code, "plain", rng)])
    utts: list[dict] = [{"agent": "Alder Bank payments, Tomas speaking."},
                        {"customer": rng.choice(["Hi, I'd like to pay my loan instalment by card.",
                                                 "Hello, I want to pay the overdue amount."])},
                        {"agent": rng.choice(["Sure, what's the card number?", "Go ahead with the long number."])}]
    card_said = ", ".join(fours_d7(number, rng, rng.choice(["oh", "double", "plain"])))
    if i in (3, 5):
        utts += [{"customer": f"{{card:{card_said}}}, {rng.choice(['expiring', 'it runs out', 'valid till'])} "
                              f"{{expiry:{expiry_d8(rng)}}}, and the {rng.choice(['code', 'number on the back'])} "
                              f"is {{cvv:{said_code}}}."},
                 {"agent": "Lovely, thank you."}]
    else:
        utts += [{"customer": f"{{card:{card_said}}}."},
                 {"agent": EXPIRY_ASKS_D8[i % len(EXPIRY_ASKS_D8)]},
                 {"customer": f"{rng.choice(['', 'Um, ', 'It says '])}{{expiry:{expiry_d8(rng)}}}."},
                 {"agent": CVV_ASKS_D8[i % len(CVV_ASKS_D8)]},
                 {"customer": f"{rng.choice(['', 'Er, ', 'That is '])}{{cvv:{said_code}}}."}]
    utts += [{"agent": f"Thank you. {rng.choice(['Two hundred pounds', 'Eighty five dollars'])} taken, confirmation "
                       f"{say_digits(str(rng.randrange(100000, 999999)), 'plain', rng)}."}, {"customer": "Cheers."}]
    return utts


def fp_call_d8(i: int, rng: random.Random) -> list[dict]:
    """No personal data: meter serials and readings, contract, policy and claim numbers, a sort code, amounts, dates,
    an account's balance and its last four digits, a three-digit extension and a date said as month and year."""
    kinds = [
        [{"agent": "Brightwater Utilities, Mo speaking."},
         {"customer": f"Hi, I'm giving a meter reading. The meter number is {pairs_d7(str(rng.randrange(10 ** 9, 10 ** 10)))}."},
         {"agent": "Go ahead with the reading."},
         {"customer": f"{chunks_d7(str(rng.randrange(100000, 999999)), rng)}, taken on the third of {rng.choice(MONTHS)}."},
         {"agent": "Thanks, your next bill is about sixty one pounds, due oh four twenty seven."},
         {"customer": "Okay, thanks."}],
        [{"agent": "Kelp Broadband, Jess speaking."},
         {"customer": f"Hi, my contract number is {say_digits(str(rng.randrange(10 ** 8, 10 ** 9)), 'oh', rng)}, when does it end?"},
         {"agent": "It runs until march twenty twenty eight, twenty four months from the start."},
         {"customer": "And the code on the router says three four one, is that right?"},
         {"agent": "Yes. I'll put you through to extension four one two for the upgrade."},
         {"customer": "Thanks."}],
        [{"agent": "Heron Credit Union, Ravi speaking."},
         {"customer": f"Hi, my policy number is {pairs_d7(luhn_failing(10, rng))}, the home insurance."},
         {"agent": f"Got it. The claim number is {say_digits(str(rng.randrange(10 ** 6, 10 ** 7)), 'plain', rng)}, "
                   "the excess is two fifty."},
         {"customer": "And which account does the payout go to?"},
         {"agent": "The one ending four seven, sort code twenty, forty, sixty five, it should land by the twelfth."},
         {"customer": "Great."}],
        [{"agent": "Alder Bank, Tomas speaking."},
         {"customer": "Hi, what's my account balance? I've been overdrawn since november twenty five."},
         {"agent": "Your account ending three one is at minus one hundred and twelve pounds forty."},
         {"customer": "And the overdraft limit?"},
         {"agent": "Five hundred, and it renews in twelve months, on oh six twenty seven."},
         {"customer": "Okay, thank you."}],
    ]
    return kinds[i % len(kinds)]


# --- d9 (issue 14, round 9): a dev batch for security codes and expiry dates said after a card -------------------
# Dev (tuned on). Written in round 9 without t6's or t7's scripts, transcripts or misses, after the lead's t7 figures
# showed security codes found 1-2 of 8 and expiry dates 4 of 9 through speech recognition. Codes and dates said after
# a card in many spoken ways: "the three digits on the back are four one seven", "four seventeen", "four hundred and
# seventeen", "four, one, seven", a four-digit Amex code as two pairs; "oh nine twenty-eight", "September twenty
# eight", "September twenty twenty eight", "nine slash twenty-eight", "zero nine, two eight", "oh nine of twenty
# eight"; the month and the year asked for apart (one label each), code and date in one answer, given unasked in the
# card's turn, the agent reading them back (labelled: said in clear), a customer who hesitates ("hang on, it's worn")
# or asks which number is meant before answering. Hard negatives in the same calls: a date of birth asked for as an
# identity check, amounts, appointment and delivery dates, times, counts, order numbers, a customer who will not give
# the code; and calls with no personal data at all whose numbers sit right after words like "expires" and "code"
# (a membership or contract end date, a door or promo code, a card's last four). Firms: Fenwick Bank, Marlow Energy,
# Quayside Pharmacy, Bramble Mobile, Osprey Travel.

EXPIRY_ASKS_D9 = ["And the expiry date?", "When does the card expire?", "Expiry, month and year?",
                  "What's the end date on the front?", "And the valid-to date?", "The date it runs out?",
                  "And the expiration?", "What's the date on the front, under the number?"]
CVV_ASKS_D9 = ["And the three digits on the back?", "The security code, please.", "Last thing, the CVV.",
               "Flip it over for me, what are the three numbers by the signature?", "And the code on the back?",
               "What's the little number on the reverse?", "And the card verification code?",
               "The three digit security number on the back, please."]
CVV_LEADS_D9 = ["", "It's ", "Um, ", "The three digits on the back are ", "On the back it says ", "The code's ",
                "Hang on, it's worn, ", "Okay, "]
EXPIRY_LEADS_D9 = ["", "It's ", "Erm, ", "It expires ", "It says ", "Expiry ", "Valid till ", "Runs out "]


def expiry_d9(month: int, year: int, habit: int) -> str:
    """An expiry date in one of nine spoken habits."""
    mm, yy = two_digits(f"{month:02d}"), two_digits(str(year))
    name = MONTHS[month - 1]
    return [f"{mm} {yy}", f"{name} {yy}", f"{name} twenty {yy}", f"{WORDS[month] if month < 10 else mm} slash {yy}",
            f"zero {WORDS[month % 10]}, {WORDS[year // 10]} {WORDS[year % 10]}" if month < 10 else f"{mm}, {WORDS[year // 10]} {WORDS[year % 10]}",
            f"{mm} of {yy}", f"{name} of twenty {yy}", f"{mm}, twenty {yy}",
            f"{WORDS[month] if month < 10 else mm} {yy}"][habit % 9]


def cvv_d9(code: str, habit: int, rng: random.Random) -> str:
    """A security code: digit by digit, as a digit and a pair ("four seventeen"), with hundreds, slowly, or for four
    digits as two pairs ("twelve thirty four")."""
    if len(code) == 4:
        return [f"{two_digits(code[:2])} {two_digits(code[2:])}", say_digits(code, "oh", rng)][habit % 2]
    habit %= 5
    if habit == 0:
        return say_digits(code, "oh", rng)
    if habit == 1 and code[0] != "0":
        return f"{WORDS[int(code[0])]} {two_digits(code[1:])}"
    if habit == 2 and code[0] != "0":
        return hundreds_d7(code, rng)
    if habit == 3:
        return ", ".join(WORDS[int(c)] for c in code)
    return say_digits(code, "plain", rng)


def card_call_d9(i: int, rng: random.Random) -> list[dict]:
    """A card, then its expiry date and code in one of eight shapes (i % 8): asked apart; asked together and given
    in one answer; the month and year asked apart; given unasked in the card's turn; read back by the agent; a
    customer who asks which number is meant; a date of birth asked first (no label); a code the customer will not
    give until asked again. Amounts, counts and a confirmation number come after."""
    amex = i % 6 == 5
    number = luhn_complete("37" if amex else rng.choice(["4", "51", "2221", "6011"]), 15 if amex else 16, rng)
    code = "".join(str(rng.randrange(10)) for _ in range(4 if amex else 3))
    month, year = rng.randrange(1, 13), rng.randrange(26, 34)
    date = expiry_d9(month, year, i + rng.randrange(3))
    said_code = cvv_d9(code, i + rng.randrange(2), rng)
    firm = rng.choice(["Fenwick Bank", "Marlow Energy", "Bramble Mobile", "Osprey Travel"])
    card_said = ", ".join(fours_d7(number, rng, rng.choice(["oh", "double", "plain"]))) if not amex else \
        ", ".join(say_digits(g, "oh", rng) for g in (number[:4], number[4:10], number[10:]))
    utts: list[dict] = [{"agent": f"{firm}, {rng.choice(['Nadia', 'Owen', 'Keith', 'Priti'])} speaking."},
                        {"customer": rng.choice(["Hi, I need to pay my bill, it's two hundred and seventeen pounds.",
                                                 "Hello, I'd like to settle the balance by card.",
                                                 "Hiya, paying for the order I placed, three items.",
                                                 "Hi, yes, calling for pay my invoice please."])}]
    shape = i % 8
    if shape == 6:  # an identity check first: a date of birth is no card detail
        utts += [{"agent": "Before we start, can you confirm your date of birth?"},
                 {"customer": rng.choice(["The ninth of September, nineteen eighty eight.", "Oh three, oh nine, eighty eight.",
                                          "Twelfth of March, seventy nine.", "Eleven, twenty, ninety one."])},
                 {"agent": "Thanks, that matches."}]
    utts += [{"agent": rng.choice(["Okay, what's the long number on the card?", "Go ahead with the card number.",
                                   "Can I have the card number, please?"])}]
    if shape == 3:  # all three unasked in the card's turn
        utts += [{"customer": f"{{card:{card_said}}}, {rng.choice(['expiry', 'it expires', 'valid till'])} "
                              f"{{expiry:{date}}}, {rng.choice(['and the back is', 'code', 'and the three digits are'])} "
                              f"{{cvv:{said_code}}}."},
                 {"agent": "Perfect, thank you."}]
    else:
        utts += [{"customer": f"{{card:{card_said}}}."}]
    if shape in (0, 4, 6):  # asked apart
        utts += [{"agent": EXPIRY_ASKS_D9[i % len(EXPIRY_ASKS_D9)]},
                 {"customer": f"{rng.choice(EXPIRY_LEADS_D9)}{{expiry:{date}}}."}]
        if shape == 4:  # the agent reads the date back before the code
            utts += [{"agent": f"{{expiry:{expiry_d9(month, year, 0)}}}, lovely. {CVV_ASKS_D9[i % len(CVV_ASKS_D9)]}"}]
        else:
            utts += [{"agent": CVV_ASKS_D9[i % len(CVV_ASKS_D9)]}]
        utts += [{"customer": f"{rng.choice(CVV_LEADS_D9)}{{cvv:{said_code}}}."}]
        if shape == 4:
            utts += [{"agent": f"So {{cvv:{say_digits(code, 'plain', rng)}}}, thank you."}]
    elif shape == 1:  # both asked at once, given in one answer
        utts += [{"agent": rng.choice(["And the expiry and the three digits on the back?",
                                       "Then the expiry date and the security code, please."])},
                 {"customer": f"{rng.choice(['Expires ', 'Okay, ', ''])}{{expiry:{date}}}, "
                              f"{rng.choice(['and the code is ', 'security code ', 'back is '])}{{cvv:{said_code}}}."}]
    elif shape == 2:  # month and year asked apart
        utts += [{"agent": "And the expiry month?"},
                 {"customer": f"{{expiry:{rng.choice([MONTHS[month - 1], two_digits(f'{month:02d}')])}}}."},
                 {"agent": "And the year?"},
                 {"customer": f"{{expiry:{rng.choice(['twenty ', ''])}{two_digits(str(year))}}}."},
                 {"agent": CVV_ASKS_D9[i % len(CVV_ASKS_D9)]},
                 {"customer": f"{rng.choice(CVV_LEADS_D9)}{{cvv:{said_code}}}."}]
    elif shape == 5:  # the customer asks which number is meant
        utts += [{"agent": EXPIRY_ASKS_D9[i % len(EXPIRY_ASKS_D9)]},
                 {"customer": f"{{expiry:{date}}}."},
                 {"agent": rng.choice(["And the code?", "Now the number on the back."])},
                 {"customer": "Sorry, which one, the one by the signature or the long one?"},
                 {"agent": "The short one, by the signature."},
                 {"customer": f"{rng.choice(['Oh right, ', 'Ah okay, ', ''])}{{cvv:{said_code}}}."}]
    elif shape == 7:  # will not give the code at first
        utts += [{"agent": EXPIRY_ASKS_D9[i % len(EXPIRY_ASKS_D9)]},
                 {"customer": f"{rng.choice(EXPIRY_LEADS_D9)}{{expiry:{date}}}."},
                 {"agent": CVV_ASKS_D9[i % len(CVV_ASKS_D9)]},
                 {"customer": "Do I have to give that? My bank says never give it out."},
                 {"agent": "For a phone payment we need it, we don't store it. Two minutes and we're done."},
                 {"customer": f"Fine. {{cvv:{said_code}}}."}]
    utts += [{"agent": rng.choice([
        "All done, two hundred and seventeen pounds taken. Your new meter gets fitted on the twenty eighth, between nine and twelve.",
        f"Thanks, that's gone through, confirmation {say_digits(str(rng.randrange(100000, 999999)), 'plain', rng)}.",
        "Done. Order four one seven two nine ships in three to five days.",
        "Paid. Your next bill is on the ninth of October, about sixty four pounds."])},
        {"customer": rng.choice(["Cheers.", "Great, thanks, bye.", "Lovely, ta."])}]
    return utts


def fp_call_d9(i: int, rng: random.Random) -> list[dict]:
    """No personal data, numbers right after the words of a card's details: a membership and a contract that expire,
    a door code and a promo code, a card's last four, a date of birth, appointments, times, counts and amounts."""
    kinds = [
        [{"agent": "Summit Gyms, Owen speaking."},
         {"customer": "Hi, when does my membership expire? I think it's soon."},
         {"agent": "It expires oh nine twenty eight, so September. The door code for the side entrance is four one seven two."},
         {"customer": "And the promo code for a friend?"},
         {"agent": "It's save twenty, that's twenty percent off for three months."},
         {"customer": "Great, thanks."}],
        [{"agent": "Quayside Pharmacy, Priti speaking."},
         {"customer": "Hi, I'm collecting a prescription. Date of birth twelfth of March, eighty one."},
         {"agent": "Thanks. It's ready Tuesday the ninth, after ten twenty. Two tablets twice a day, twenty eight in the box."},
         {"customer": "And the expiry on the box I have is oh six twenty seven, is that fine?"},
         {"agent": "Yes, that's fine until then."},
         {"customer": "Okay, thank you."}],
        [{"agent": "Fenwick Bank cards, Nadia speaking."},
         {"customer": "Hi, my card expires next month and the new one hasn't come."},
         {"agent": "Is that the card ending four one seven two?"},
         {"customer": "Yes. And what's the security code for, the one on the back? I never used it."},
         {"agent": "That's for online payments. The new card goes out today, three to five working days, the PIN two days after."},
         {"customer": "Perfect."}],
        [{"agent": "Marlow Energy, Keith speaking."},
         {"customer": "Hi, my contract runs out soon, when exactly?"},
         {"agent": "It ends on the thirtieth of September twenty eight. The new tariff is twenty four point five pence a unit."},
         {"customer": "And the engineer visit?"},
         {"agent": "Booked for the twenty eighth, nine till twelve. The reference is four one seven, nine two eight."},
         {"customer": "Thanks."}],
        [{"agent": "Osprey Travel, Owen speaking."},
         {"customer": "Hi, checking my flight, booking reference four one seven nine."},
         {"agent": "Flight two one seven, departs oh nine twenty eight, gate twelve, seat fourteen C."},
         {"customer": "And coming back?"},
         {"agent": "September twenty eighth, landing at eleven thirty. Two bags of twenty three kilos."},
         {"customer": "Great."}],
        [{"agent": "Bramble Mobile, Nadia speaking."},
         {"customer": "Hi, I was charged twice, three hundred and twelve pounds fifty."},
         {"agent": "I see it. The refund goes back to the card ending in oh nine two eight, within five working days."},
         {"customer": "And the code they texted me, four one seven?"},
         {"agent": "That was the one-time passcode, it's expired now. Anything else?"},
         {"customer": "No, cheers."}],
    ]
    return kinds[i % len(kinds)]


# --- d10 (issue 14, round 10): a dev batch by a new writer, hard like real calls ----------------------------------
# Dev (tuned on). Written in round 10 without t6's or t7's scripts, transcripts or misses, after the lead measured span
# recall through tiny.en at 0.68-0.69 on unseen calls against 0.94 on d9: the dev batches were too close to the tuning.
# Another writer's habits: a card read in four groups over four turns with the agent's "mm-hm", "yep", "got that"
# between (a slow reader with "um" inside a group, a fast one), a group said twice ("four four one two, yeah, four four
# one two"), a digit put right ("no wait, seven"), groups said as tens ("forty four, twelve"), the agent reading the
# whole card back (labelled: said in clear) and the customer putting the read-back right; the expiry date and the code
# asked for without naming them ("And the three on the back?", "When's it up to?", "And the other bit?"), given as bare
# numbers, sometimes twice; an SSN and a phone number read over turns or asked for with no keyword ("Somewhere we can
# reach you if we get cut off?"); e-mail addresses with "at" and "dot" after "where should the receipt go?". Hard
# negatives in the same calls and in calls of their own: the amount asked for right after the card ("How much today?"),
# a date of birth asked for right after the card, order and tracking numbers read in fours over turns with "mm-hm"
# (failing Luhn), an extension with the same digits as a code, times, counts, a PIN the customer is told never to say.
# Voices: slower and faster customers than the earlier dev batches, line noise 12-25 dB SNR. Firms: Larkspur Bank,
# Tidewell Insurance, Corbel Telecom, Ashgrove Water, Pennant Travel.

BACKCHANNELS_D10 = ["Mm-hm.", "Yep.", "Got that.", "Okay, go on.", "Uh huh.", "Right.", "Yep, next.", "Mm-hm, okay."]
CARD_ASKS_D10 = ["Lovely, so whenever you're ready, the long number.", "Okay, let's have the card then, the long one.",
                 "Go for it, the sixteen digits.", "Right, so read me the card across the front."]
EXPIRY_ASKS_D10 = ["And when's it up to?", "And the date on it?", "Good through when?", "And the date underneath?",
                   "Then the month and year on the front.", "And when does it run to?"]
CVV_ASKS_D10 = ["And the three on the back?", "And the other bit, on the back?", "Then the last three, by the strip.",
                "And the little three-digit one?", "Last bit, the three at the back.", "And the three by your signature?"]
LEADS_D10 = ["", "Um, ", "Yeah, ", "Er, it's ", "Okay, ", "That's "]


def expiry_d10(month: int, year: int, habit: int) -> str:
    """An expiry date the new writer's way: "oh seven, twenty nine", "seven twenty nine", "July twenty nine", "zero
    seven slash two nine", "oh seven, uh, twenty nine", "seven, two nine"."""
    mm, yy = two_digits(f"{month:02d}"), two_digits(str(year))
    bare = WORDS[month] if month < 10 else mm
    return [f"{mm}, {yy}", f"{bare} {yy}", f"{MONTHS[month - 1]} {yy}",
            f"zero {WORDS[month % 10] if month < 10 else WORDS[month]} slash {WORDS[year // 10]} {WORDS[year % 10]}"
            if month < 10 else f"{mm} slash {WORDS[year // 10]} {WORDS[year % 10]}",
            f"{mm}, uh, {yy}", f"{bare}, {WORDS[year // 10]} {WORDS[year % 10]}"][habit % 6]


def cvv_d10(code: str, habit: int, rng: random.Random) -> str:
    """A code: digit by digit, a digit and a pair, with commas, with a pause, or said twice."""
    habit %= 5
    if habit == 1 and code[0] != "0" and code[1] != "0":
        return f"{WORDS[int(code[0])]} {two_digits(code[1:])}"
    if habit == 2:
        return ", ".join(WORDS[int(c)] for c in code)
    if habit == 3:
        return f"{say_digits(code[:2], 'oh', rng)}, um, {say_digits(code[2:], 'oh', rng)}"
    if habit == 4:
        return f"{say_digits(code, 'oh', rng)}. {say_digits(code, 'oh', rng)}"
    return say_digits(code, "oh", rng)


def group_d10(group: str, habit: int, rng: random.Random) -> str:
    """One group of four: digit by digit, as tens ("forty four, twelve"), slowly ("four, um, four one two"), said twice
    ("four four one two, yeah, four four one two") or with a digit put right ("four four one, no wait, seven")."""
    habit %= 6
    if habit == 1:
        return f"{two_digits(group[:2])}, {two_digits(group[2:])}"
    if habit == 2:
        return f"{say_digits(group[:1], 'oh', rng)}, um, {say_digits(group[1:], 'oh', rng)}"
    if habit == 3:
        return f"{say_digits(group, 'oh', rng)}, {rng.choice(['yeah', 'that is', 'so'])}, {say_digits(group, 'oh', rng)}"
    if habit == 4:
        wrong = str((int(group[3]) + 3) % 10)
        return f"{say_digits(group[:3] + wrong, 'oh', rng)}, {rng.choice(['no wait', 'no, sorry', 'hang on, no'])}, " \
               f"{say_digits(group[3], 'oh', rng)}"
    return say_digits(group, rng.choice(["oh", "double", "plain"]), rng)


def card_call_d10(i: int, rng: random.Random) -> list[dict]:
    """A card read in four groups over four turns (or in one breath every third call), then the date and the code asked
    for mostly without naming them; every other call the agent reads the card back, every fourth the customer puts a
    group of it right; a hard negative after the card in most calls: the amount, a date of birth, a time."""
    number = luhn_complete(rng.choice(["4", "53", "2720", "6011"]), 16, rng)
    groups = [number[a:a + 4] for a in range(0, 16, 4)]
    code = "".join(str(rng.randrange(10)) for _ in range(3))
    month, year = rng.randrange(1, 13), rng.randrange(26, 34)
    firm = ["Larkspur Bank", "Tidewell Insurance", "Corbel Telecom", "Ashgrove Water", "Pennant Travel"][i % 5]
    said = [group_d10(g, i + n + rng.randrange(2), rng) for n, g in enumerate(groups)]
    utts: list[dict] = [{"agent": f"{firm}, you're through to {['Rhian', 'Dev', 'Mags', 'Callum', 'Yusuf'][i % 5]}."},
                        {"customer": rng.choice(["Hiya, I've got a bill to pay, the one from last month.",
                                                 "Hello, yeah, I want to pay off what I owe.",
                                                 "Hi, um, I got a letter saying I'm behind, can I pay now?",
                                                 "Morning, I need to pay the excess on my claim."])},
                        {"agent": CARD_ASKS_D10[i % len(CARD_ASKS_D10)]}]
    if i % 3 == 2:  # in one breath
        utts.append({"customer": f"{rng.choice(LEADS_D10)}{{card:{', '.join(said)}}}."})
    else:  # four turns, the agent's back-channel between
        for n, group in enumerate(said):
            if n:
                utts.append({"agent": BACKCHANNELS_D10[(i + n) % len(BACKCHANNELS_D10)], "gap": 0.25})
            utts.append({"customer": f"{'' if n else rng.choice(LEADS_D10)}{{card:{group}}}{'...' if n < 3 else '.'}",
                         "gap": 0.3})
    if i % 2 == 1:  # read back
        back = ", ".join(say_digits(g, "plain", rng) for g in groups)
        if i % 4 == 3:  # one group read back wrong, the customer puts it right
            wrong = groups[2][:2] + str((int(groups[2][2]) + 5) % 10) + groups[2][3]
            back = ", ".join(say_digits(g, "plain", rng) for g in (groups[0], groups[1], wrong, groups[3]))
            utts += [{"agent": f"Let me read that back. {{card:{back}}}?"},
                     {"customer": f"No, the third lot is {{card:{say_digits(groups[2], 'oh', rng)}}}."},
                     {"agent": "Ah, sorry, got it now."}]
        else:
            utts += [{"agent": f"So that's {{card:{back}}}?"}, {"customer": "That's it, yeah."}]
    negative = i % 5
    if negative == 1:  # the amount asked for right after the card
        utts += [{"agent": "And how much are we paying today?"},
                 {"customer": rng.choice(["All of it, so four hundred and forty nine pounds.",
                                          "Two hundred and six pounds fifty, please.",
                                          "Just a hundred and twenty for now."])}]
    elif negative == 3:  # a date of birth right after the card
        utts += [{"agent": "And for security, your date of birth?"},
                 {"customer": rng.choice(["Oh four, eleven, eighty two.", "Seventh of July, ninety.",
                                          "Twelve, oh three, seventy nine."])}]
    date = expiry_d10(month, year, i + rng.randrange(2))
    utts += [{"agent": EXPIRY_ASKS_D10[i % len(EXPIRY_ASKS_D10)]},
             {"customer": f"{rng.choice(LEADS_D10)}{{expiry:{date}}}."},
             {"agent": CVV_ASKS_D10[i % len(CVV_ASKS_D10)]},
             {"customer": f"{rng.choice(LEADS_D10)}{{cvv:{cvv_d10(code, i + rng.randrange(3), rng)}}}."}]
    if negative == 4:  # the code's digits again, as an extension
        utts += [{"agent": f"Great. If anything goes wrong, call us back on extension {say_digits(code, 'plain', rng)}."}]
    utts += [{"agent": rng.choice(["That's all gone through. You'll get a text by ten forty five.",
                                   "Done, payment taken, reference four two seven, nine one, five.",
                                   "All sorted. Next bill's due on the third, about sixty one pounds.",
                                   "Taken. Please never tell anyone your PIN, by the way, not even us."])},
             {"customer": rng.choice(["Ta, bye.", "Cheers, thanks.", "Lovely, thank you."])}]
    return utts


def id_call_d10(i: int, rng: random.Random) -> list[dict]:
    """An SSN read over turns (or asked for as "the social"), a phone number asked for without saying "number" and
    read with a slip or twice, and an address at the end in some calls."""
    area = rng.randrange(100, 900)
    ssn = f"{area:03d}{rng.randrange(10, 100):02d}{rng.randrange(1000, 10000):04d}"
    phone = rng.choice(["312", "617", "720", "503", "919"]) + f"{rng.randrange(2, 10)}{rng.randrange(10)}{rng.randrange(10)}" \
        + f"{rng.randrange(10000):04d}"
    firm = ["Tidewell Insurance", "Larkspur Bank", "Corbel Telecom"][i % 3]
    utts: list[dict] = [{"agent": f"{firm}, this is {['Mags', 'Dev', 'Rhian'][i % 3]}, how can I help?"},
                        {"customer": "Hi, I'm ringing about my policy, I moved house."},
                        {"agent": rng.choice(["I'll need to verify you first. Can I get your social?",
                                              "Sure, first can I grab your social, please?",
                                              "No problem. Your social security, when you're ready."])}]
    a, b, c = ssn[:3], ssn[3:5], ssn[5:]
    if i % 2 == 0:  # over three turns
        utts += [{"customer": f"{{ssn:{say_digits(a, 'oh', rng)}}}..."},
                 {"agent": BACKCHANNELS_D10[i % len(BACKCHANNELS_D10)], "gap": 0.25},
                 {"customer": f"{{ssn:{say_digits(b, 'oh', rng)}}}...", "gap": 0.3},
                 {"agent": BACKCHANNELS_D10[(i + 3) % len(BACKCHANNELS_D10)], "gap": 0.25},
                 {"customer": f"{{ssn:{three_digits(c[:3]) if c[0] != '0' else say_digits(c[:3], 'oh', rng)} "
                              f"{WORDS[int(c[3])]}}}.", "gap": 0.3}]
    else:  # in one go, with a dash or a slip
        said = f"{say_digits(a, 'oh', rng)} dash {say_digits(b, 'oh', rng)} dash {say_digits(c, 'oh', rng)}" if i % 4 == 1 \
            else f"{say_digits(a, 'oh', rng)}, {say_digits(b, 'oh', rng)}, {say_digits(c[:2], 'oh', rng)}, no wait, " \
                 f"{say_digits(c, 'oh', rng)}"
        utts += [{"customer": f"{rng.choice(LEADS_D10)}{{ssn:{said}}}."}]
    utts += [{"agent": "Thanks, that's you. And I've got your old address, what's the new one?"},
             {"customer": f"It's {rng.choice(['twelve', 'forty one', 'two hundred and six'])} "
                          f"{rng.choice(['Mill Lane', 'Orchard Road', 'Bay Street'])}, flat {rng.choice(['two', 'nine', 'eleven'])}."},
             {"agent": rng.choice(["Got it. Somewhere we can reach you if we get cut off?",
                                   "And the best one to get you on?", "What's a good one for texts?"])}]
    groups = [say_digits(phone[:3], "oh", rng), say_digits(phone[3:6], "oh", rng), say_digits(phone[6:], "double", rng)]
    if i % 3 == 0:  # with a slip
        wrong = say_digits(phone[3:5] + str((int(phone[5]) + 2) % 10), "oh", rng)
        utts += [{"customer": f"{{phone:{groups[0]}, {wrong}, no hang on, {groups[1]}, {groups[2]}}}."}]
    elif i % 3 == 1:  # twice
        utts += [{"customer": f"{{phone:{', '.join(groups)}}}."},
                 {"agent": "Sorry, the line went, again?"},
                 {"customer": f"{{phone:{', '.join(groups)}}}.", "gap": 0.5}]
    else:  # over two turns, the agent reading it back
        utts += [{"customer": f"{{phone:{groups[0]}, {groups[1]}}}..."},
                 {"agent": "Mm-hm.", "gap": 0.25},
                 {"customer": f"{{phone:{groups[2]}}}.", "gap": 0.3},
                 {"agent": f"So {{phone:{', '.join(say_digits(g, 'plain', rng) for g in (phone[:3], phone[3:6], phone[6:]))}}}?"},
                 {"customer": "Yep."}]
    if i % 2 == 1:
        name, surname = rng.choice(["jess", "olu", "brandon", "ines"]), rng.choice(["harte", "ford", "quinn", "dale"])
        utts += [{"agent": "And for the documents, where should they go, e-mail?"},
                 {"customer": f"Yeah, {{email:{name} {surname} {say_digits(str(rng.randrange(10, 99)), 'plain', rng)} at "
                              f"{rng.choice(['outlook', 'gmail', 'icloud'])} dot com}}, all one word."}]
    utts += [{"agent": rng.choice(["Updated. Your renewal's on the fourteenth, two hundred and twelve pounds.",
                                   "All done. It'll take two to three working days."])},
             {"customer": "Brilliant, thanks."}]
    return utts


def mail_call_d10(i: int, rng: random.Random) -> list[dict]:
    """An e-mail address asked for as "where should the receipt go?", said with "at" and "dot", part spelled, put right;
    an order number before it (no label)."""
    name, surname = rng.choice(["priya", "tomasz", "holly", "reece"]), rng.choice(["banks", "okoro", "lind", "shaw"])
    domain = rng.choice([("hotmail", "co dot uk"), ("proton", "me"), ("yahoo", "com")])
    local = [f"{name} dot {surname}", f"{' '.join(name)}, {surname}",
             f"{name} {surname[0]}, no sorry, {name} underscore {surname}"][i % 3]
    return [{"agent": "Pennant Travel, Callum speaking."},
            {"customer": f"Hi, I booked a trip last week, order {say_digits(str(rng.randrange(10**7, 10**8)), 'oh', rng)}, "
                         "and I never got anything."},
            {"agent": "Let me look. Yep, it's there. Where should the confirmation go?"},
            {"customer": f"{rng.choice(LEADS_D10)}{{email:{local} at {domain[0]} dot {domain[1]}}}."},
            {"agent": "Sent. It leaves on the ninth at six forty, gate twelve."},
            {"customer": "Thanks a lot."}]


def fp_call_d10(i: int, rng: random.Random) -> list[dict]:
    """No personal data: order and tracking numbers read in fours over turns with "mm-hm" (failing Luhn), amounts,
    a date of birth, times, an extension, a meter reading, a PIN never said."""
    order = luhn_failing(16, rng)
    fours = [say_digits(order[a:a + 4], "oh", rng) for a in range(0, 16, 4)]
    kinds = [
        [{"agent": "Corbel Telecom, Dev speaking."},
         {"customer": "Hi, I'm chasing an order, it hasn't turned up."},
         {"agent": "No problem, what's the order number?"},
         {"customer": f"{fours[0]}..."}, {"agent": "Mm-hm.", "gap": 0.25}, {"customer": f"{fours[1]}...", "gap": 0.3},
         {"agent": "Yep.", "gap": 0.25}, {"customer": f"{fours[2]}...", "gap": 0.3}, {"agent": "Got that.", "gap": 0.25},
         {"customer": f"{fours[3]}.", "gap": 0.3},
         {"agent": "Thanks. It's with the courier, due Thursday before twelve."},
         {"customer": "Okay, cheers."}],
        [{"agent": "Ashgrove Water, Rhian speaking."},
         {"customer": "Hi, I want to give a meter reading."},
         {"agent": "Go ahead."},
         {"customer": f"It's {say_digits(str(rng.randrange(10**5, 10**6)), 'oh', rng)}, um, "
                      f"{say_digits(str(rng.randrange(100, 1000)), 'oh', rng)}."},
         {"agent": "Thanks. Your bill comes to one hundred and forty four pounds twelve. Any questions, extension four four nine."},
         {"customer": "And when's it taken?"},
         {"agent": "On the twenty eighth, between nine and five."},
         {"customer": "Fine, thanks."}],
        [{"agent": "Larkspur Bank, Callum speaking."},
         {"customer": "Hi, I think someone's used my card, there's a payment I don't know."},
         {"agent": "Okay. Can you confirm your date of birth?"},
         {"customer": "Oh four, eleven, eighty two."},
         {"agent": "Thanks. Which payment?"},
         {"customer": "Three hundred and ninety nine ninety nine, on the fourth, at eleven twenty."},
         {"agent": "I've stopped the card ending four four one two. Never give your PIN to anyone who calls you."},
         {"customer": "Okay. How long for the new one?"},
         {"agent": "Three to five days, and the PIN two days later."},
         {"customer": "Thanks."}],
        [{"agent": "Pennant Travel, Yusuf speaking."},
         {"customer": "Hi, where's my parcel? The tracking number's"},
         {"customer": f"{fours[0]}, {fours[1]}...", "gap": 0.2}, {"agent": "Mm-hm.", "gap": 0.25},
         {"customer": f"{fours[2]}, {fours[3]}.", "gap": 0.3},
         {"agent": "It's at the depot, out for delivery tomorrow, seven till eleven."},
         {"customer": "Great, thanks."}],
        [{"agent": "Tidewell Insurance, Mags speaking."},
         {"customer": "Hi, I've got a claim open, claim number "
                      f"{say_digits(str(rng.randrange(10**8, 10**9)), 'double', rng)}."},
         {"agent": "Thanks. The excess is two hundred and fifty, and we pay out four thousand one hundred and twelve."},
         {"customer": "When?"},
         {"agent": "Within ten working days. Call extension six one two if it hasn't arrived by the twentieth."},
         {"customer": "Okay, ta."}],
        [{"agent": "Corbel Telecom, Rhian speaking."},
         {"customer": "Hi, I want to upgrade, how much is the new plan?"},
         {"agent": "Thirty four ninety nine a month, twenty four months, and the phone's one hundred and nine up front."},
         {"customer": "And the number stays the same?"},
         {"agent": "Yes. I'll send a code to your phone now, tell me when you've got it, it's six digits."},
         {"customer": "Got it, it says ignore if you didn't ask."},
         {"agent": "That's fine, you don't read it out. Your order's four one seven two nine, done."},
         {"customer": "Cheers."}],
    ]
    return kinds[i % len(kinds)]


# --- d11 (issue 14, round 11): a dev batch of e-mail addresses said the hard ways ------------------------------------
# Dev (tuned on). Written in round 11 without any test batch's scripts or transcripts, after the lead measured e-mail
# span recall through tiny.en and base at 0.56-0.67 on unseen calls. Addresses said with "at" or "at sign", "dot" or
# "period", a name spelled letter by letter with "as in", "underscore" and "dash", numbers inside the local part, a
# common domain said fast ("at gmail dot com"), a customer putting a letter right, the agent reading the address back
# (labelled: said in clear). Hard negatives in the same calls and in calls of their own: "I'm at the office", "dot the
# i's", a web site said with "dot com" and no "at", "at five", "dot com" on its own. Firms: Brightwater Utilities,
# Halden Mobile, Quayside Insurance.

NAMES_D11 = ["marta", "gideon", "sunita", "oskar", "beatriz", "declan", "yolanda", "ferris"]
SURNAMES_D11 = ["vance", "nakamura", "oduya", "pruitt", "sorensen", "quill", "haddad", "bexley"]
DOMAINS_D11 = [("gmail", "com"), ("outlook", "com"), ("yahoo", "co dot uk"), ("icloud", "com"), ("aol", "com")]
SAY_AS_D11 = {"a": "apple", "b": "bravo", "d": "delta", "e": "echo", "k": "kilo", "m": "mike", "n": "nancy",
              "p": "peter", "s": "sugar", "t": "tango", "v": "victor", "q": "queen", "x": "x-ray", "z": "zebra"}


def spelled_d11(word: str, rng: random.Random) -> str:
    """A word spelled letter by letter, some letters "as in" a word."""
    return ", ".join(f"{c} as in {SAY_AS_D11[c]}" if c in SAY_AS_D11 and rng.random() < 0.45 else c for c in word)


def mail_call_d11(i: int, rng: random.Random) -> list[dict]:
    """An e-mail address in one of eight hard ways, a hard negative before or after it."""
    name, surname = NAMES_D11[i % len(NAMES_D11)], SURNAMES_D11[(i * 3) % len(SURNAMES_D11)]
    host, tld = DOMAINS_D11[i % len(DOMAINS_D11)]
    year = rng.choice(["eighty seven", "ninety one", "two three", "seventy"])
    said, back = [
        (f"{name} dot {surname} at {host} dot {tld}", None),
        (f"{spelled_d11(name, rng)}, then {surname}, at {host} dot {tld}", f"{name}{surname} at {host} dot {tld}"),
        (f"{name} underscore {surname[0]} {year} at sign {host} period {tld}", None),
        (f"{name[0]} dash {surname} at {host} dot {tld}", None),
        (f"{name}{surname[:3]} {year} at {host} dot {tld}", f"{name}{surname[:3]} {year} at {host} dot {tld}"),
        (f"{name} dot {spelled_d11(surname[:4], rng)}, no sorry, {name} dot {surname} at {host} dot {tld}", None),
        (f"{surname} {name[0]} at {host} dot {tld}", f"{surname} {name[0]} at {host} dot {tld}"),
        (f"{name} period {surname} at sign {host} period {tld}", None),
    ][i % 8]
    firm = ["Brightwater Utilities", "Halden Mobile", "Quayside Insurance"][i % 3]
    negative = ["I'm at the office till five, so e-mail is easier.", "Hang on, I'm at my desk now.",
                "I checked on your web site, brightwater dot com, but couldn't find it.",
                "Sorry, I like to dot the i's and cross the t's.", "I'm at home at the moment."][i % 5]
    utts = [{"agent": f"{firm}, this is Niamh."},
            {"customer": f"Hi. {negative}"},
            {"agent": "No problem. What's the best e-mail address for you?"},
            {"customer": f"{rng.choice(['', 'Yeah, ', 'Okay, it is ', 'Sure, '])}{{email:{said}}}{', all lower case' if i % 8 == 3 else ''}."}]
    if back is not None:
        utts += [{"agent": f"Let me read that back: {{email:{back}}}."}, {"customer": "That's it."}]
    utts += [{"agent": "Great, you'll get it within the hour, at about three fifteen."}, {"customer": "Thanks, bye."}]
    return utts


def fp_call_d11(i: int, rng: random.Random) -> list[dict]:
    """No address: "at" and "dot" in other senses, a web site with no "at", times."""
    return [
        [{"agent": "Halden Mobile, Priya speaking."},
         {"customer": "Hi, I'm at the station, so it might be noisy. My bill went up."},
         {"agent": "Let me check. You can also see it on halden mobile dot com slash bills."},
         {"customer": "Oh, the dot com site? I'll look at it tonight at eight."},
         {"agent": "Great. It's gone up by four pounds at the start of the month."},
         {"customer": "Okay, thanks."}],
        [{"agent": "Quayside Insurance, Tom here."},
         {"customer": "Hello, I want to dot the i's before I sign, as it were."},
         {"agent": "Sure. Have a look at quayside dot co dot uk, under policies, dot points at the top."},
         {"customer": "Right, I'm at work, I'll do it at lunch. Is it the same for my wife at the same address?"},
         {"agent": "Yes, at no extra cost."},
         {"customer": "Thanks."}],
    ][i % 2]


# --- d12 (issue 14, round 12): a dev batch by a new writer, e-mail addresses, codes and dates said other ways ---------
# Dev (tuned on, but the detector's changes of round 12 aim at what all dev batches miss, not at these items). Written
# without reading any test batch's scripts or transcripts, after the lead measured e-mail recall on unseen calls at
# 0.57-0.67 while d11 went to 0.91: addresses said the ways d11 lacks: letters spelled with the NATO alphabet alone
# ("kilo, oscar"), "underscore" and digits in the local part, company domains with a subdomain ("mail dot corbel
# telecom dot co dot uk"), "the same as my name" with the name said after it, a letter put right mid-address, the agent
# reading back with a slip and the customer putting it right in pieces, an address split over two turns with the
# agent's "mm-hm" between. Security codes ("the three digits on the back are ...", "seven seventy one", "it's nine oh
# four, yeah") and expiry dates ("oh-nine slash twenty-seven", "September twenty seven", "the ninth of ... no, month
# nine, twenty eight", "nine, twenty-seven") after a card. Label rules: an expiry said only vaguely ("it runs out end
# of next year") is no value and not labelled; a correction's wrong letters are inside the labelled address.
# Hard negatives: web addresses with "dot com" and "slash", "at about five", version numbers ("two point four point
# one"), prices ("nineteen ninety nine", "four ninety nine a month"), "at gate twelve". Firms: Fernleigh Energy,
# Otterburn Bank, Saltmarsh Broadband.

NATO_D12 = {"a": "alpha", "b": "bravo", "c": "charlie", "d": "delta", "e": "echo", "f": "foxtrot", "g": "golf",
            "h": "hotel", "i": "india", "j": "juliet", "k": "kilo", "l": "lima", "m": "mike", "n": "november",
            "o": "oscar", "p": "papa", "r": "romeo", "s": "sierra", "t": "tango", "u": "uniform", "v": "victor",
            "w": "whiskey", "y": "yankee", "z": "zulu"}
FIRMS_D12 = ["Fernleigh Energy", "Otterburn Bank", "Saltmarsh Broadband"]
AGENTS_D12 = ["Orla", "Kwame", "Tess"]
MAIL_ASKS_D12 = ["Which e-mail should the statement go to?", "And an e-mail for the paperwork?",
                 "Can I grab an e-mail off you for the confirmation?", "What e-mail have you got for us?",
                 "Okay, I'll e-mail it. Where to?", "And your e-mail, so I can send the link?"]


def nato_d12(word: str) -> str:
    """A word spelled with the NATO alphabet alone ("kilo, oscar, lima, eight")."""
    return ", ".join(NATO_D12.get(c, WORDS[int(c)] if c.isdigit() else c) for c in word)


def mail_call_d12(i: int, rng: random.Random) -> list[dict]:
    """An e-mail address in one of twelve ways d11 lacks; the agent reads some back."""
    first = ["kofi", "linnea", "rafael", "dagny", "ottilie", "bram", "seren", "jovan", "amaya", "tobias", "niamh", "idris"][i % 12]
    last = ["achterberg", "mwangi", "duarte", "holm", "ferro", "lyle", "pryce", "teller", "ruiz", "kemp", "gallo", "voss"][i % 12]
    num = rng.choice(["seven seven", "two four", "nineteen eighty eight", "oh three", "five"])
    firm, agent = FIRMS_D12[i % 3], AGENTS_D12[i % 3]
    ask = MAIL_ASKS_D12[i % len(MAIL_ASKS_D12)]
    utts: list[dict] = [{"agent": f"{firm}, {agent} speaking."},
                        {"customer": rng.choice(["Hi, I need a copy of my last bill sent over.",
                                                 "Hello, I was told you'd e-mail me a form.",
                                                 "Hiya, I changed job, can you update my details?"])},
                        {"agent": ask}]
    way = i % 12
    if way == 0:  # NATO letters for a short surname, then a common domain
        utts += [{"customer": f"It's {{email:{first} dot {nato_d12(last[:4])} at gmail dot com}}."}]
    elif way == 1:  # underscore and digits in the local part
        utts += [{"customer": f"Sure, {{email:{first} underscore {last} {num} at outlook dot com}}."}]
    elif way == 2:  # a work address with a subdomain
        utts += [{"customer": f"Use my work one, {{email:{first[0]} dot {last} at mail dot corbel telecom dot co dot uk}}."}]
    elif way == 3:  # "the same as my name"
        utts += [{"customer": f"It's the same as my name, so {{email:{first} {last} at hotmail dot com}}, no dots."}]
    elif way == 4:  # a letter put right mid-address
        utts += [{"customer": f"{{email:{first} dot {last[:2]}, no, sorry, {first} dot {last} at proton dot me}}."}]
    elif way == 5:  # split over two turns, the agent's "mm-hm" between
        utts += [{"customer": f"Okay, {{email:{first} dot {last}}}..."},
                 {"agent": "Mm-hm.", "gap": 0.25},
                 {"customer": f"{{email:at fastmail dot net}}.", "gap": 0.4}]
    elif way == 6:  # the agent reads back with a slip, the customer puts it right
        slip = last[:-1] + ("e" if last[-1] != "e" else "a")
        utts += [{"customer": f"{{email:{first} {last} at yahoo dot com}}."},
                 {"agent": f"So {{email:{first} {slip} at yahoo dot com}}?"},
                 {"customer": f"No, {{email:{' '.join(last)}}}, {last}."}]
    elif way == 7:  # digits first, "at sign", a country domain
        utts += [{"customer": f"Right, {{email:{num} {first} at sign btinternet dot com}}, the numbers go first."}]
    elif way == 8:  # a subdomain said with "dot" and a hyphen
        utts += [{"customer": f"{{email:{first} at accounts dot ruiz hyphen holdings dot com}}, that's my company."}]
    elif way == 9:  # first name spelled with "as in" NATO words, surname plain
        spelled = ", ".join(f"{c} for {NATO_D12[c]}" if c in NATO_D12 and n % 2 == 0 else c for n, c in enumerate(first))
        utts += [{"customer": f"Um, {{email:{spelled}, then {last}, at icloud dot com}}."}]
    elif way == 10:  # address given, then a digit added in the next turn
        utts += [{"customer": f"{{email:{first} {last} at gmail dot com}}."},
                 {"agent": f"Got it."},
                 {"customer": f"Oh, {{email:with a {num} after {last}}}, sorry, before the at."}]
    else:  # the agent reads back fine, a dotted domain said "point"
        utts += [{"customer": f"{{email:{first} dot {last} at voss point de}}, it's a German one."},
                 {"agent": f"Let me repeat that, {{email:{first} dot {last} at voss dot de}}."},
                 {"customer": "Spot on."}]
    negative = i % 4
    if negative == 0:
        utts += [{"agent": "Done. You can also log in at fernleigh energy dot com slash account."}]
    elif negative == 1:
        utts += [{"agent": "Sent. It should land at about five, give or take."}]
    elif negative == 2:
        utts += [{"agent": "Done. Make sure the app is on version two point four point one, or it won't open."}]
    else:
        utts += [{"agent": "That's gone. Your plan stays at nineteen ninety nine a month."}]
    utts += [{"customer": rng.choice(["Cheers, bye.", "Thanks a lot.", "Lovely, ta."])}]
    return utts


CVV_SAID_D12 = ["the three digits on the back are {c}", "{c}, that's the one on the back", "it's {c}, yeah",
                "on the back it says {c}", "erm, {c}"]
EXPIRY_ASKS_D12 = ["And when does it expire?", "Expiry date?", "What's the date on the front?",
                   "Till when is it good?", "And the valid-to date?"]
CVV_ASKS_D12 = ["And the security code?", "The code on the back, please.", "Last thing, the CVV.",
                "And the three at the back?", "The little code, then."]


def expiry_d12(month: int, year: int, habit: int) -> str:
    """An expiry date: "oh-nine slash twenty-seven", "September twenty seven", "September of twenty-seven",
    "nine, twenty-seven", "end of September twenty seven", "oh nine, two thousand twenty seven"."""
    mm = two_digits(f"{month:02d}")
    yy = TENS[year // 10] + ("" if year % 10 == 0 else "-" + WORDS[year % 10])
    return [f"{mm.replace(' ', '-')} slash {yy}", f"{MONTHS[month - 1]} {yy.replace('-', ' ')}",
            f"{MONTHS[month - 1]} of {yy}", f"{WORDS[month] if month < 10 else mm}, {yy}",
            f"end of {MONTHS[month - 1]} {yy.replace('-', ' ')}", f"{mm}, two thousand and {yy.replace('-', ' ')}"][habit % 6]


def cvv_d12(code: str, habit: int) -> str:
    """A code: digit by digit, a digit and a pair ("seven seventy one"), "oh" for zero."""
    if habit % 3 == 1 and code[1] != "0":
        return f"{WORDS[int(code[0])]} {two_digits(code[1:])}"
    return " ".join("oh" if c == "0" and habit % 3 == 2 else WORDS[int(c)] for c in code)


def card_call_d12(i: int, rng: random.Random) -> list[dict]:
    """A card read in fours, then its expiry and security code said the ways above; every third call the customer
    says the expiry vaguely first ("end of next year, hang on") before the real one; an amount and a time after."""
    number = luhn_complete(rng.choice(["4", "51", "2221"]), 16, rng)
    code = f"{rng.randrange(1, 10)}{rng.randrange(10)}{rng.randrange(10)}"
    if i % 3 == 2:
        code = code[0] + "0" + code[2]
    month, year = rng.randrange(1, 13), rng.randrange(26, 33)
    firm, agent = FIRMS_D12[i % 3], AGENTS_D12[i % 3]
    fours = ", ".join(say_digits(number[a:a + 4], rng.choice(["oh", "plain", "double"]), rng) for a in range(0, 16, 4))
    utts: list[dict] = [{"agent": f"{firm}, {agent} speaking, how can I help?"},
                        {"customer": rng.choice(["I'd like to pay the arrears on my account.",
                                                 "Hi, I want to pay my bill over the phone."])},
                        {"agent": "Sure, the card number when you're ready."},
                        {"customer": f"{{card:{fours}}}."},
                        {"agent": EXPIRY_ASKS_D12[i % len(EXPIRY_ASKS_D12)]}]
    if i % 3 == 0:
        utts += [{"customer": "It runs out end of next year, I think. Hang on, let me look."}]
        utts += [{"agent": "No rush.", "gap": 0.4}]
    utts += [{"customer": f"{{expiry:{expiry_d12(month, year, i)}}}."},
             {"agent": CVV_ASKS_D12[i % len(CVV_ASKS_D12)]},
             {"customer": CVV_SAID_D12[i % len(CVV_SAID_D12)].format(c=f"{{cvv:{cvv_d12(code, i)}}}").capitalize() + "."},
             {"agent": rng.choice(["Thanks. That's a hundred and twenty nine pounds ninety nine taken.",
                                   "Lovely, forty five pounds fifty, done at ten past three.",
                                   "Great, that's gone through, reference nine oh four two one."])},
             {"customer": "Thank you."}]
    return utts


def fp_call_d12(i: int, rng: random.Random) -> list[dict]:
    """No personal data: web addresses, "at" for times and places, version numbers, prices, "dot" in other senses."""
    return [
        [{"agent": "Saltmarsh Broadband, Tess speaking."},
         {"customer": "Hi, my router's on firmware three point one point two, is that the latest?"},
         {"agent": "The latest is three point two point oh. You can get it at saltmarsh dot net slash support."},
         {"customer": "Okay, I'm at work till six, I'll do it at about seven."},
         {"agent": "Great. The upgrade to fibre is twenty nine ninety nine a month, if you're interested."},
         {"customer": "Maybe later, thanks."}],
        [{"agent": "Otterburn Bank, Kwame speaking."},
         {"customer": "Hi, is the branch at Mill Street open at nine?"},
         {"agent": "It opens at half nine. Details are on www dot otterburn dot co dot uk."},
         {"customer": "And the fee for the account, is it still four ninety five?"},
         {"agent": "Four ninety five, yes, or nothing if you pay in at least eight hundred."},
         {"customer": "Right, cheers."}],
        [{"agent": "Fernleigh Energy, Orla speaking."},
         {"customer": "Hello, I'm at my mum's at the moment, I'm looking at the app, version two point one."},
         {"agent": "Please update to two point four. The tariff is twenty four point five pence per unit."},
         {"customer": "And the website, fernleigh dot com?"},
         {"agent": "Yes, fernleigh dot com, under tariffs, or e-mail support at the address on your bill."},
         {"customer": "Okay, thank you."}],
    ][i % 3]


def voices_d10(rng: random.Random, n: int) -> dict:
    """Customers slower and faster than the earlier dev batches' (0.8-1.25), the agent as in voices_5."""
    voices = voices_5(rng, n)
    voices["customer"] = {"pitch": round(rng.uniform(0.8, 1.35), 2),
                          "speed": round(rng.choice([rng.uniform(0.8, 0.9), rng.uniform(1.12, 1.25), rng.uniform(0.95, 1.05)]), 2)}
    return voices


# --- d13 (issue 14, round 13): a dev batch for the re-decode of answers -------------------------------------------
# Dev, tuned on. Numbers read in the ways Whisper mishears most: digits run together fast, "oh" and "zero" mixed,
# "double"/"triple", teens and tens ("nineteen eighty"), a non-native caller's "tree" and "fife", hesitations and a
# digit put right; asked for in plain and in roundabout words; the agent's "mm" between groups; and a call where the
# answer to a question for a number holds none (amounts, a time, "I don't have it").

CARD_ASKS_D13 = ["Right, pop the card number over when you're set.", "Card number please.",
                 "Could you tell me the numbers across the front of your card?", "What's the long number, please?"]
EXPIRY_ASKS_D13 = ["Expiry?", "And what's the expiration on that?", "When does that card expire?"]
CVV_ASKS_D13 = ["And the security code on the back.", "CVV please.", "Three digits on the back of the card?"]
SSN_ASKS_D13 = ["I'll need your social security number to verify.", "Social, please.",
                "What's the SSN on the account?"]
PHONE_ASKS_D13 = ["Best phone number for you?", "And a mobile number we can text?", "What number can I call you on?"]
ACCOUNT_ASKS_D13 = ["What's your account number?", "Account number, please, it's on the top of the letter."]
HUMS_D13 = ["Mm.", "Mhm.", "Yep.", "Okay."]


def digits_d13(digits: str, habit: int, rng: random.Random) -> str:
    """A group as a caller reads it: one by one with "zero", with "oh" and "double", in tens ("nineteen eighty"),
    the non-native "tree" and "fife", or with a digit said wrong and put right."""
    habit %= 5
    if habit == 1 and len(digits) % 2 == 0:
        return say_digits(digits, "pairs", rng)
    if habit == 2:
        return " ".join({"3": "tree", "5": "fife"}.get(c, WORDS[int(c)]) for c in digits)
    if habit == 3 and len(digits) >= 3:
        wrong = str((int(digits[-1]) + 4) % 10)
        return f"{say_digits(digits[:-1] + wrong, 'plain', rng)}, no, {WORDS[int(digits[-1])]}"
    return say_digits(digits, "double" if habit == 4 else "plain", rng)


def card_call_d13(i: int, rng: random.Random) -> list[dict]:
    """A card in one breath or over turns with the agent's hums between, then the expiry and the code."""
    number = luhn_complete(rng.choice(["4", "51", "37", "6011"]), 15 if i % 4 == 2 else 16, rng)
    sizes = [4, 6, 5] if len(number) == 15 else [4, 4, 4, 4]
    groups, pos = [], 0
    for size in sizes:
        groups.append(number[pos:pos + size])
        pos += size
    said = [digits_d13(g, i + n, rng) for n, g in enumerate(groups)]
    month, year = rng.randrange(1, 13), rng.randrange(26, 33)
    code = "".join(str(rng.randrange(10)) for _ in range(4 if len(number) == 15 else 3))
    utts: list[dict] = [{"agent": "Hello, Quayside Energy, Priya here, how can I help?"},
                        {"customer": rng.choice(["I want pay my bill please.", "Hi. Paying a bill.",
                                                 "Yes hello, I am calling for make a payment."])},
                        {"agent": CARD_ASKS_D13[i % len(CARD_ASKS_D13)]}]
    if i % 2 == 0:
        utts.append({"customer": f"{rng.choice(['', 'Okay. ', 'Yes, is '])}{span('card', ', '.join(said))}."})
    else:
        for n, group in enumerate(said):
            if n:
                utts.append({"agent": HUMS_D13[(i + n) % len(HUMS_D13)], "gap": 0.2})
            utts.append({"customer": f"{span('card', group)}{'.' if n == len(said) - 1 else '...'}", "gap": 0.3})
    mm = two_digits(f"{month:02d}") if i % 3 else MONTHS[month - 1]
    utts += [{"agent": EXPIRY_ASKS_D13[i % len(EXPIRY_ASKS_D13)]},
             {"customer": f"{rng.choice(['', 'Is ', 'Um, '])}{span('expiry', mm + ' ' + two_digits(str(year)))}."},
             {"agent": CVV_ASKS_D13[i % len(CVV_ASKS_D13)]},
             {"customer": f"{rng.choice(['', 'It is ', 'Er, '])}{span('cvv', digits_d13(code, i + 2, rng))}."},
             {"agent": rng.choice(["That's gone through, twenty three pounds forty taken.",
                                   "Done. Reference is nine nine one two.", "All paid, thank you."])},
             {"customer": "Thanks, bye."}]
    return utts


def id_call_d13(i: int, rng: random.Random) -> list[dict]:
    """An SSN, then a phone number or an account number, read fast or slowly with hesitations."""
    ssn = f"{rng.randrange(100, 900):03d}{rng.randrange(10, 99):02d}{rng.randrange(1000, 9999):04d}"
    ssn_said = ", ".join(digits_d13(g, i + n, rng) for n, g in enumerate((ssn[:3], ssn[3:5], ssn[5:])))
    utts: list[dict] = [{"agent": "Harbourline Benefits, this is Tom."},
                        {"customer": rng.choice(["Hi, I need to update my details.", "Hello, my address changed.",
                                                 "Good morning, I'm calling about my claim."])},
                        {"agent": SSN_ASKS_D13[i % len(SSN_ASKS_D13)]},
                        {"customer": f"{rng.choice(['Sure, ', '', 'Yeah, it is '])}{span('ssn', ssn_said)}."}]
    if i % 2 == 0:
        phone = f"{rng.choice(['312', '415', '646', '503'])}555{rng.randrange(1000, 9999):04d}"
        said = f"{digits_d13(phone[:3], i, rng)}, {digits_d13(phone[3:6], i + 1, rng)}, {digits_d13(phone[6:], i + 3, rng)}"
        utts += [{"agent": PHONE_ASKS_D13[i % len(PHONE_ASKS_D13)]},
                 {"customer": f"{rng.choice(['', 'Mobile is ', 'Okay, '])}{span('phone', said)}."}]
    else:
        account = "".join(str(rng.randrange(10)) for _ in range(8))
        said = f"{digits_d13(account[:4], i, rng)}, {digits_d13(account[4:], i + 4, rng)}"
        utts += [{"agent": ACCOUNT_ASKS_D13[i % len(ACCOUNT_ASKS_D13)]},
                 {"customer": f"{rng.choice(['', 'Let me see. ', 'It is '])}{span('account', said)}."}]
    utts += [{"agent": "Thanks, you're verified. I've updated it, it'll show in two to three days."},
             {"customer": "Great, thank you."}]
    return utts


def fp_call_d13(i: int, rng: random.Random) -> list[dict]:
    """Questions for a number answered with none: the card not to hand, an amount, a time, an order number."""
    return [{"agent": "Quayside Energy, Priya speaking."},
            {"customer": "Hi, I was charged twice, two hundred and forty nine ninety nine each time."},
            {"agent": CARD_ASKS_D13[(i + 1) % len(CARD_ASKS_D13)]},
            {"customer": rng.choice(["I don't have it with me, can you look up by order nine four four one two?",
                                     "Oh, it's in the car. The order was number seven seven three oh eight."])},
            {"agent": PHONE_ASKS_D13[i % len(PHONE_ASKS_D13)]},
            {"customer": "Just call the one on file, after half past four, any time up to six."},
            {"agent": "No problem, I'll refund the second one, a hundred and twelve pounds back in three to five days."},
            {"customer": "Thanks."}]


# --- d14 (issue 14, round 14): a dev batch by a new writer, numbers read over a bad line ---------------------------
# Dev, tuned on. Written in round 14 before reading the detector's code or any test batch's scripts or misses: how
# people read numbers when the line is bad. The agent loses part of a card ("you broke up after four one two") and the
# customer says it again from the start or from the lost group; a card type named before the number ("it's a Visa");
# sixteen digits rattled off with no pause; a customer who reads a group and waits while the agent repeats it back
# (each repeat labelled: said in clear); a non-native caller ("tree", "is expire twelve, two thousand twenty nine");
# a card volunteered in the first turn; phone numbers with "area code", "plus one", "my cell is", said again after "you
# cut out"; SSNs as "S S N is", in hundreds and pairs ("five twelve, thirty four, sixty seven eighty nine"); e-mail
# addresses with "k as in kite", the agent asking "m for mike or n for nancy?", "first initial then last name",
# "g mail". Line noise 10-18 dB SNR, mu-law, lower right-channel gain. Firms: Gannet Mutual, Redfern Telecom, Cobalt
# Home Insurance, Wrenfield Bank.

FIRMS_D14 = ["Gannet Mutual", "Redfern Telecom", "Cobalt Home Insurance", "Wrenfield Bank"]
AGENTS_D14 = ["Bryony", "Tariq", "Soo-jin", "Wes"]
CARD_TYPES_D14 = {"4": "Visa", "5": "Mastercard", "3": "Amex", "6": "Discover"}
BROKE_D14 = ["Sorry, you broke up there. I got {g}, then nothing.", "You're cutting out, after {g} I lost you.",
             "Sorry, the line's terrible, can you say it again from {g}?"]


def spoken_d14(digits: str, habit: int) -> str:
    """A group as this writer's callers say it: "oh" or "zero", pairs, or hundreds and pairs ("five twelve")."""
    habit %= 4
    if habit == 1 and len(digits) % 2 == 0:
        return " ".join(two_digits(digits[k:k + 2]) for k in range(0, len(digits), 2))
    if habit == 2 and len(digits) == 3 and digits[0] != "0" and digits[1] != "0":
        return f"{WORDS[int(digits[0])]} {two_digits(digits[1:])}"
    zero = "zero" if habit == 3 else "oh"
    return " ".join(zero if c == "0" else WORDS[int(c)] for c in digits)


def expiry_d14(month: int, year: int, habit: int) -> str:
    """An expiry date: "oh six slash twenty-eight", "March twenty thirty", "twelve, two thousand twenty nine"."""
    yy = two_digits(f"{year:02d}")
    return [f"{two_digits(f'{month:02d}')} slash {yy}", f"{MONTHS[month - 1]} twenty {yy}",
            f"{small_number(month)}, two thousand {yy}", f"{WORDS[month] if month < 10 else small_number(month)} {yy}",
            f"end of {MONTHS[month - 1]}, {yy}"][habit % 5]


def card_call_d14(i: int, rng: random.Random) -> list[dict]:
    """A card over a bad line: lost and said again, named by type first, rattled off, repeated back group by group,
    by a non-native caller, or volunteered in the first turn; then the expiry and the code."""
    amex = i % 8 == 4
    number = luhn_complete("37" if amex else rng.choice(["4", "5", "6011"]), 15 if amex else 16, rng)
    sizes = [4, 6, 5] if amex else [4, 4, 4, 4]
    groups, pos = [], 0
    for size in sizes:
        groups.append(number[pos:pos + size])
        pos += size
    said = [spoken_d14(g, i + n if i % 8 != 6 else 0) for n, g in enumerate(groups)]
    if i % 8 == 6:
        said = [" ".join({"3": "tree"}.get(c, "zero" if c == "0" else WORDS[int(c)]) for c in g) for g in groups]
    firm, agent = FIRMS_D14[i % 4], AGENTS_D14[i % 4]
    month, year = rng.randrange(1, 13), rng.randrange(26, 33)
    code = "".join(str(rng.randrange(10)) for _ in range(4 if amex else 3))
    utts: list[dict] = [{"agent": f"{firm}, you're through to {agent}."}]
    habit = i % 8
    if habit == 7:
        utts += [{"customer": f"Hiya, I want to pay what I owe, card's {span('card', ', '.join(said))}."},
                 {"agent": "Slow down, slow down! Okay, I think I got that. Who am I speaking with?"},
                 {"customer": "Dana Whitlock."}]
    else:
        utts += [{"customer": rng.choice(["Hi, I need to make a payment, the app won't let me.",
                                          "Yeah hi, paying my premium, the line's awful, sorry.",
                                          "Hello? Hello, can you hear me? I want to pay a bill."])},
                 {"agent": rng.choice(["Sure, what card are we using?", "No worries. The long number on the card?",
                                       "I can hear you. Go ahead with the card."])}]
    if habit == 0:
        utts += [{"customer": f"{span('card', ', '.join(said[:2]))}, {span('card', ', '.join(said[2:]))}."},
                 {"agent": rng.choice(BROKE_D14).format(g=said[1])},
                 {"customer": f"Okay. {span('card', ', '.join(said))}. Did you get that?"},
                 {"agent": "Got it that time."}]
    elif habit == 1:
        utts += [{"customer": f"It's a {CARD_TYPES_D14[number[0]]}. {span('card', ', '.join(said))}."}]
    elif habit == 2:
        utts += [{"customer": f"Right, {span('card', ' '.join(WORDS[int(c)] for c in number))}.", "gap": 0.2},
                 {"agent": f"Let me read that back. {span('card', ', '.join(spoken_d14(g, 0) for g in groups))}?"},
                 {"customer": "Yep, that's it."}]
    elif habit == 3:
        half = said[1].split()
        utts += [{"customer": f"Hang on, the light's bad in here. {span('card', said[0] + ', ' + ' '.join(half[:2]))},"
                              f" uh, {span('card', ' '.join(half[2:]) + ', ' + ', '.join(said[2:]))}."}]
    elif habit == 5:
        for n, g in enumerate(said):
            utts.append({"customer": f"{span('card', g)}.", "gap": 0.3})
            utts.append({"agent": f"{span('card', spoken_d14(groups[n], 0))}, yep.", "gap": 0.2})
    else:
        utts += [{"customer": f"{rng.choice(['', 'Okay so ', 'Um, '])}{span('card', ', '.join(said))}."}]
    if habit == 5:
        pass
    utts += [{"agent": rng.choice(["And the expiry?", "Date on the front?", "When does it expire?"])}]
    if habit == 6:
        utts += [{"customer": f"Is expire {span('expiry', expiry_d14(month, year, 2))}."}]
    else:
        utts += [{"customer": f"{rng.choice(['', 'Uh, ', 'It says '])}{span('expiry', expiry_d14(month, year, i))}."}]
    code_said = " ".join(WORDS[int(c)] for c in code) if i % 3 else spoken_d14(code, 2)
    code_ask = "And the four digits on the front." if amex else "And the three digits on the back."
    utts += [{"agent": rng.choice([code_ask, "Security code?", "Then the CVV and we're done."])}]
    if i % 4 == 1:
        utts += [{"customer": f"{span('cvv', code_said)}."},
                 {"agent": "Sorry, was that the last bit? It crackled."},
                 {"customer": f"Yeah, {span('cvv', code_said)}.", "gap": 0.4}]
    else:
        utts += [{"customer": f"{rng.choice(['', 'It is ', 'The code is '])}{span('cvv', code_said)}."}]
    utts += [{"agent": rng.choice(["Lovely, that's gone through, a hundred and eighteen forty.",
                                   "All done, confirmation's on its way, the amount was sixty two fifty.",
                                   "Payment taken. Anything else?"])},
             {"customer": "No, that's it, cheers."}]
    return utts


def phone_d14(rng: random.Random) -> str:
    return rng.choice(["415", "212", "773", "206", "617", "404"]) + f"{rng.randrange(2, 10)}{rng.randrange(100):02d}" \
        + f"{rng.randrange(10000):04d}"


def contact_call_d14(i: int, rng: random.Random) -> list[dict]:
    """An SSN and a phone number over a bad line: "S S N is", hundreds and pairs, "area code", "plus one", "my cell
    is", said again after the line drops."""
    ssn = f"{rng.randrange(100, 900):03d}{rng.randrange(10, 100):02d}{rng.randrange(1000, 10000):04d}"
    phone = phone_d14(rng)
    firm, agent = FIRMS_D14[(i + 1) % 4], AGENTS_D14[(i + 2) % 4]
    a, b, c = ssn[:3], ssn[3:5], ssn[5:]
    ssn_said = [f"{spoken_d14(a, 0)}, {spoken_d14(b, 0)}, {spoken_d14(c, 0)}",
                f"{spoken_d14(a, 2)}, {two_digits(b)}, {two_digits(c[:2])} {two_digits(c[2:])}",
                f"{spoken_d14(a, 3)} {spoken_d14(b, 3)} {spoken_d14(c, 3)}"][i % 3]
    utts: list[dict] = [{"agent": f"{firm}, {agent} speaking, how can I help?"},
                        {"customer": rng.choice(["Hi, I need to change my details, I've got a new phone.",
                                                 "Hello, yes, I'm locked out of my account online.",
                                                 "Hi. Calling about a letter I got. Can you hear me okay?"])},
                        {"agent": rng.choice(["I'll need to check it's you. Social security number?",
                                              "Before I go in, can I take your social to verify?",
                                              "Sure. First, the SSN on the account, please."])}]
    if i % 3 == 2:
        utts += [{"customer": f"S S N is {span('ssn', ssn_said)}."}]
    elif i % 3 == 1:
        utts += [{"customer": f"{span('ssn', spoken_d14(a, 0))}... {span('ssn', spoken_d14(b, 0))}..."},
                 {"agent": "Sorry, I missed the rest, it went all crackly."},
                 {"customer": f"Okay, from the top. {span('ssn', ssn_said)}.", "gap": 0.4}]
    else:
        utts += [{"customer": f"Yep, it's {span('ssn', ssn_said)}."}]
    utts += [{"agent": rng.choice(["Thanks, that's you. What's the new number?",
                                   "Great. And the best number for you now?",
                                   "That's matched. Which number should we have on file?"])}]
    ph = [spoken_d14(phone[:3], 0), spoken_d14(phone[3:6], 0), spoken_d14(phone[6:], 1 if i % 2 else 0)]
    style = i % 4
    if style == 0:
        utts += [{"customer": f"Area code {span('phone', ph[0])}, then {span('phone', ph[1] + ', ' + ph[2])}."}]
    elif style == 1:
        utts += [{"customer": f"My cell is {span('phone', 'plus one, ' + ', '.join(ph))}."}]
    elif style == 2:
        parts = (phone[:3], phone[3:6], phone[6:])
        utts += [{"customer": f"{span('phone', ph[0] + ', ' + ph[1])}..."},
                 {"agent": "You cut out, I got the first six."},
                 {"customer": f"Sorry, I'm on the train. {span('phone', ', '.join(ph))}.", "gap": 0.4},
                 {"agent": f"So {span('phone', ', '.join(spoken_d14(p, 0) for p in parts))}?"},
                 {"customer": "That's the one."}]
    else:
        utts += [{"customer": f"You can reach me on {span('phone', ', '.join(ph))}, any time after five."}]
    utts += [{"agent": rng.choice(["Done, updated. You'll get a text in about ten minutes.",
                                   "That's changed. The reset link goes out within the hour."])},
             {"customer": "Thank you."}]
    return utts


SAY_AS_D14 = {"a": "apple", "b": "boy", "c": "cat", "d": "dog", "e": "egg", "f": "fox", "k": "kite", "l": "lemon",
              "m": "mike", "n": "nancy", "p": "pen", "r": "robert", "s": "sam", "t": "tango", "w": "william"}


def mail_call_d14(i: int, rng: random.Random) -> list[dict]:
    """An e-mail address over a bad line: spelled with "as in", an initial and a surname, "g mail", the agent asking
    which letter it was, digits in it."""
    first, last = rng.choice(["kiran", "wendell", "nadia", "ros", "tamsin", "felix"]), \
        rng.choice(["kowal", "ambrose", "patel", "stroud", "lemke", "daley"])
    domain = [("gmail", "com", "g mail dot com"), ("yahoo", "com", "yahoo dot com"),
              ("hotmail", "co.uk", "hotmail dot co dot uk"), ("outlook", "com", "outlook dot com")][i % 4]
    style = i % 6
    letters = ", ".join(f"{ch} as in {SAY_AS_D14[ch]}" if ch in SAY_AS_D14 and k < 3 else ch
                        for k, ch in enumerate(last))
    local = [f"{first[0]}, {last}", f"{first} dot {last} {two_digits(str(rng.randrange(70, 100)))}",
             f"{first}, then {letters}", f"{first} underscore {last}", f"{last} {first[0]} {rng.randrange(1, 10)}",
             f"{first}{last}"][style]
    if style == 4:
        local = f"{last} {first[0]} {WORDS[rng.randrange(1, 10)]}"
    utts: list[dict] = [{"agent": f"{FIRMS_D14[i % 4]}, this is {AGENTS_D14[(i + 3) % 4]}."},
                        {"customer": "Hi, I never got my renewal documents."},
                        {"agent": rng.choice(["Let me resend them. What e-mail have you got?",
                                              "I'll send them again. Where to?",
                                              "Okay, what address do you want them at, e-mail wise?"])}]
    if style == 0:
        utts += [{"customer": f"First initial and last name, so {span('email', local + ' at ' + domain[2])}."}]
    elif style == 2:
        utts += [{"customer": f"{span('email', local + ' at ' + domain[2])}."},
                 {"agent": f"Was that {last[0]} for {'mike' if last[0] != 'm' else 'nancy'}?"},
                 {"customer": f"No, {last[0]} as in {SAY_AS_D14.get(last[0], last[0])}.", "gap": 0.3}]
    elif style == 5:
        utts += [{"customer": f"It's {span('email', local + ' at ' + domain[2])}, all one word, lowercase."},
                 {"agent": "Sorry, the line, can you spell the name part?"},
                 {"customer": f"{span('email', ', '.join(first) + ', ' + ', '.join(last))}.", "gap": 0.4}]
    else:
        utts += [{"customer": f"{rng.choice(['', 'Yeah, ', 'It is '])}{span('email', local + ' at ' + domain[2])}."}]
    utts += [{"agent": rng.choice(["Sent. Give it five minutes, check your junk folder.",
                                   "Done, they're on the way. Your renewal is two hundred and six pounds."])},
             {"customer": "Thanks."}]
    return utts


# --- d15 (issue 14, round 14): a dev batch by the same writer: calls like real ones, numbers that are no PII ------
# Dev, tuned on. Written with d14 before reading the detector: the shapes of real calls around the numbers (hold music
# while the agent checks, a transfer to a supervisor who asks for the number again, a relative on the customer's line
# reading from the card, a customer reading an old card then the new one, small talk between numbers), and calls full
# of numbers right after cue words that are no personal data: a confirmation number read in fours (failing Luhn) after
# a payment, a case number read 3-2-4 like a social, the firm's own freephone number, the card "ending in" four
# digits, a zip code, a date of birth, a balance and amounts, a policy and a routing number, a promo code with digits,
# an order number after "what's the number?", a flat number and a street number.

def voices_d15(rng: random.Random, n: int) -> dict:
    """voices_d10's range, a relative on the customer's line, and a supervisor."""
    voices = voices_d10(rng, n)
    voices["relative"] = {"pitch": round(rng.uniform(1.2, 1.4), 2), "speed": round(rng.uniform(0.9, 1.0), 2),
                          "side": "right"}
    voices["supervisor"] = {"pitch": round(rng.uniform(0.78, 0.88), 2), "speed": 0.95}
    return voices


def real_call_d15(i: int, rng: random.Random) -> list[dict]:
    """A card, phone or e-mail given in a call shaped like a real one: hold, a supervisor asking again, a relative."""
    number = luhn_complete(rng.choice(["4", "5"]), 16, rng)
    fours = [spoken_d14(number[k:k + 4], i + k) for k in range(0, 16, 4)]
    phone = phone_d14(rng)
    ph = ", ".join(spoken_d14(p, i) for p in (phone[:3], phone[3:6], phone[6:]))
    month, year = rng.randrange(1, 13), rng.randrange(26, 33)
    code = "".join(str(rng.randrange(10)) for _ in range(3))
    firm, agent = FIRMS_D14[i % 4], AGENTS_D14[(i + 1) % 4]
    shape = i % 5
    utts: list[dict] = [{"agent": f"Thanks for calling {firm}, {agent} here."}]
    if shape == 0:  # hold, then the card
        utts += [{"customer": "Hi, my direct debit bounced and I want to pay it now."},
                 {"agent": "Let me pull that up, bear with me."}, {"hold": 6},
                 {"agent": "Thanks for holding. It's ninety four twenty outstanding. Card number when you're ready?"},
                 {"customer": f"{span('card', ', '.join(fours))}."},
                 {"agent": "Expiry and security code?"},
                 {"customer": f"{span('expiry', expiry_d14(month, year, i + 1))}, "
                              f"and {span('cvv', spoken_d14(code, 0))}."}]
    elif shape == 1:  # supervisor asks again
        utts += [{"customer": "I was told to ask for a supervisor about the refund."},
                 {"agent": "One moment, I'll put you through."}, {"hold": 4},
                 {"supervisor": "Hi, Marguerite, I'm the team lead. I just need to re-verify you. Your phone number?"},
                 {"customer": f"It's {span('phone', ph)}."},
                 {"supervisor": "Thank you. The refund of three hundred and twelve dollars goes out today."}]
    elif shape == 2:  # a relative reads from the card
        utts += [{"customer": "Hi, I'm paying for my mum's bill, she's here, she's got the card."},
                 {"agent": "That's fine. The card number?"},
                 {"customer": "Mum, read the number out. Loud."},
                 {"relative": f"{span('card', ', '.join(fours[:2]))}..."},
                 {"agent": "Mhm.", "gap": 0.2},
                 {"relative": f"{span('card', ', '.join(fours[2:]))}.", "gap": 0.3},
                 {"agent": "And the date on it?"},
                 {"relative": f"It says {span('expiry', expiry_d14(month, year, 0))}."}]
    elif shape == 3:  # an old card then the new one
        old = luhn_complete("4", 16, rng)
        utts += [{"customer": "Hi, I need to update the card you've got, it expired."},
                 {"agent": "Sure, the new card number?"},
                 {"customer": f"{span('card', ', '.join(spoken_d14(old[k:k + 4], 0) for k in range(0, 16, 4)))}, oh no"
                              ", that's the old one, sorry."},
                 {"agent": "No problem, the new one then."},
                 {"customer": f"{span('card', ', '.join(fours))}. And it's good till "
                              f"{span('expiry', expiry_d14(month, year, 3))}.", "gap": 0.6}]
    else:  # small talk between numbers, an e-mail at the end
        name = rng.choice(["lou", "imogen", "raf", "cass"])
        address = f"{name} {two_digits(str(rng.randrange(10, 99)))} at gmail dot com"
        utts += [{"customer": "Hiya, my internet's down again, third time this month."},
                 {"agent": "Sorry about that. Can I take a number in case we get cut off?"},
                 {"customer": f"{span('phone', ph)}. It's been down since Tuesday, about four o'clock."},
                 {"agent": "I see an outage in your area, fixed by six tonight. Can I e-mail you the credit?"},
                 {"customer": f"Yes, {span('email', address)}."}]
    utts += [{"agent": rng.choice(["Anything else today?", "That's all sorted for you."])},
             {"customer": "No, that's everything, thanks."}]
    return utts


def fp_call_d15(i: int, rng: random.Random) -> list[dict]:
    """No personal data: numbers right after cue words that are not cards, phones, SSNs, accounts or addresses."""
    conf = luhn_failing(16, rng)
    fours = ", ".join(spoken_d14(conf[k:k + 4], 0) for k in range(0, 16, 4))
    case = f"{rng.randrange(100, 999)}{rng.randrange(10, 99)}{rng.randrange(1000, 9999)}"
    firm, agent = FIRMS_D14[i % 4], AGENTS_D14[i % 4]
    calls = [
        [{"agent": f"{firm}, {agent}."},
         {"customer": "Hi, I paid earlier and didn't get a confirmation number."},
         {"agent": f"Let me see. Yes, your confirmation number is {fours}."},
         {"customer": "Thanks. And the amount was four hundred and twelve?"},
         {"agent": "Four hundred and twelve fifty, yes."}],
        [{"agent": f"{firm}, {agent} speaking."},
         {"customer": "Hi, I'm calling about my complaint, the case number is "
                      f"{spoken_d14(case[:3], 0)}, {spoken_d14(case[3:5], 0)}, {spoken_d14(case[5:], 0)}."},
         {"agent": "Thanks. It's with the team, they'll reply within five working days."},
         {"customer": "Okay, and if I need to chase it?"},
         {"agent": "Ring us free on one eight hundred, five five five, oh one nine nine, option three."}],
        [{"agent": f"{firm}, {agent} here."},
         {"customer": "Hi, which card do you have on file for me?"},
         {"agent": "The one ending in four four one two, expiring next year."},
         {"customer": "Okay, and what's my balance?"},
         {"agent": "One thousand eight hundred and sixty dollars and nine cents, due on the twenty first."}],
        [{"agent": f"{firm}, {agent}."},
         {"customer": "Hi, I want a quote for home insurance."},
         {"agent": "Sure. What's the zip code of the property?"},
         {"customer": f"{spoken_d14(str(rng.randrange(10000, 99999)), 0)}."},
         {"agent": "And your date of birth?"},
         {"customer": f"The {rng.choice(['third', 'ninth', 'twenty second'])} of May, "
                      f"nineteen {rng.choice(['eighty', 'seventy six', 'ninety one'])}."},
         {"agent": "That's two hundred and forty nine a year, or twenty two fifty a month."}],
        [{"agent": f"{firm}, {agent} speaking."},
         {"customer": "Hi, I'm setting up a payment, what's your routing number?"},
         {"agent": "Our routing number is oh two one, oh oh oh, oh two one. Put your policy number as the reference."},
         {"customer": f"The policy number is {spoken_d14(str(rng.randrange(10**7, 10**8)), 1)}, right?"},
         {"agent": "That's it."}],
        [{"agent": f"{firm}, {agent}."},
         {"customer": "Hi, I've got a promo code but the website won't take it."},
         {"agent": "What's the code?"},
         {"customer": f"Save, {small_number(rng.choice([20, 25, 30]))}, "
                      f"{spoken_d14(str(rng.randrange(100, 999)), 0)}."},
         {"agent": "That one ran out on the thirtieth of June, sorry. I can give you ten percent off instead."}],
        [{"agent": f"{firm}, {agent}."},
         {"customer": "Hi, I'm chasing a delivery."},
         {"agent": "What's the number?"},
         {"customer": f"Order {spoken_d14(str(rng.randrange(10**6, 10**7)), 0)}, dash, "
                      f"{spoken_d14(str(rng.randrange(100, 999)), 0)}."},
         {"agent": "It's out today, between one and three, to flat six, forty two Harrow Road."}],
        [{"agent": f"{firm}, {agent} speaking."},
         {"customer": "Hi, my phone keeps dropping calls. I've had it two years."},
         {"agent": "Which model? The number on the back, under the battery?"},
         {"customer": f"It says model S M, {spoken_d14(str(rng.randrange(1000, 9999)), 0)}, "
                      "and version fourteen point two."},
         {"agent": "Okay, turn it off for thirty seconds, then dial star, hash, oh six, hash."}],
        [{"agent": f"{firm}, {agent} speaking."},
         {"customer": "Hi, the security code you texted me didn't work."},
         {"agent": "Don't read it out to me, I'll send a new one. It'll be six digits and lasts ten minutes."},
         {"customer": "Okay, got it, it worked. Thanks."},
         {"agent": "Great. Your reference for today is two seven seven, nine four."}],
        [{"agent": f"{firm}, {agent} here."},
         {"customer": "Hi, I'm over the limit on my data, it says twenty point five gig."},
         {"agent": "You're on the fifteen gig plan, thirty five a month. The forty gig is forty two a month."},
         {"customer": "Go on then, switch me from the first of next month, the eleventh is my pay day anyway."},
         {"agent": "Done, from the first. That's twelve months from today."}],
    ]
    return calls[i % len(calls)] + [{"customer": "Okay, thanks, bye."}]


# --- d16 (issue 14, round 16): a dev batch by a new writer, numbers read the way people really read them ---------
# Dev, tuned on. Written in round 16 before running the detector on it: hesitations inside a number ("four one, uh,
# two two"), corrections said inline ("five three, no wait, five seven") and after the fact ("hang on, the last four
# are ..., not ..."), the agent confirming group by group (and once mishearing a group, the customer putting it
# right), a card rattled off fast in one breath by a fast talker, a card read in pairs and with "double", an expiry
# and a code corrected ("oh seven, no, oh eight"), SSNs and phones with the same habits, e-mail addresses corrected
# (the surname spelled after the agent gets it wrong), spelled with a slip, and given with no e-mail word in the question or the answer ("how do we
# reach you?" "it's callum dot baxter at outlook dot com"). Noisy lines (8-15 dB SNR), mostly mu-law. Label rules: a
# correction's wrong digits are inside the span of the number they were said in; "X, not Y" after the fact is one span
# of the number's kind; the agent's read-back is labelled (said in clear); "ending in" four digits is no PII. Firms:
# Kestrel Water, Halden Auto Finance, Brightmoor Vets, Lark Mobile.

FIRMS_D16 = ["Kestrel Water", "Halden Auto Finance", "Brightmoor Vets", "Lark Mobile"]
AGENTS_D16 = ["Imogen", "Kwame", "Petra", "Dale"]
UMS_D16 = ["uh", "um", "erm", "hmm, let me see"]


def say_d16(digits: str, habit: int) -> str:
    """A group said by this writer's callers: digit by digit with "oh" or "zero", in pairs, or with "double"."""
    habit %= 4
    if habit == 1 and len(digits) % 2 == 0:
        return ", ".join(two_digits(digits[k:k + 2]) for k in range(0, len(digits), 2))
    if habit == 2:
        return say_digits(digits, "double", random.Random(0))
    zero = "zero" if habit == 3 else "oh"
    return " ".join(zero if c == "0" else WORDS[int(c)] for c in digits)


def wrong_digit(d: str, rng: random.Random) -> str:
    return str((int(d) + rng.randrange(1, 9)) % 10)


def slipped_d16(group: str, rng: random.Random, habit: int) -> str:
    """A group said with a slip put right inline: its first digits, a wrong one, "no wait", then the group again."""
    k = rng.randrange(1, len(group))
    wrong = group[:k] + wrong_digit(group[k], rng)
    fix = ["no wait", "no, sorry", "no no", "sorry, scratch that"][habit % 4]
    return f"{say_d16(wrong, 0)}, {fix}, {say_d16(group, 0)}"


def card_call_d16(i: int, rng: random.Random) -> list[dict]:
    """A card read with hesitations, slips put right, confirmed group by group, rattled off fast, or in pairs."""
    number = luhn_complete(rng.choice(["4", "5", "4", "6011"]), 16, rng)
    groups = [number[k:k + 4] for k in range(0, 16, 4)]
    firm, agent = FIRMS_D16[i % 4], AGENTS_D16[i % 4]
    month, year = rng.randrange(1, 13), rng.randrange(26, 33)
    code = "".join(str(rng.randrange(10)) for _ in range(3))
    utts: list[dict] = [{"agent": f"{firm}, {agent} speaking, how can I help?"},
                        {"customer": rng.choice(["Hiya, I've got a bill to pay, the red one.",
                                                 "Hello, yeah, I'd like to pay off the balance on my account.",
                                                 "Hi, I'm calling to pay for the, uh, the vet visit last week.",
                                                 "Morning. The online payment keeps failing so I'm ringing."])},
                        {"agent": rng.choice(["No problem. Whenever you're ready, the card number.",
                                              "Sure thing. What's the card you'd like to use?",
                                              "Okay, let's do it over the phone then. Long number on the card?"])}]
    habit = i % 8
    if habit == 0:  # a slip put right inline
        said = [slipped_d16(g, rng, i) if n == 2 else say_d16(g, 0) for n, g in enumerate(groups)]
        utts += [{"customer": f"Right, {span('card', ', '.join(said))}."}]
    elif habit == 1:  # the agent confirms each group, mishears one
        for n, g in enumerate(groups):
            utts.append({"customer": f"{span('card', say_d16(g, n))}.", "gap": 0.3})
            if n == 1:
                heard = g[:3] + wrong_digit(g[3], rng)
                utts += [{"agent": f"{span('card', say_d16(heard, 0))}?", "gap": 0.2},
                         {"customer": f"No, {span('card', say_d16(g, 0))}.", "gap": 0.2},
                         {"agent": f"{span('card', say_d16(g, 0))}, got it.", "gap": 0.2}]
            else:
                utts.append({"agent": f"{span('card', say_d16(g, 0))}.", "gap": 0.2})
    elif habit == 2:  # rattled off in one breath
        utts += [{"fast": f"Yeah it's {span('card', ' '.join(WORDS[int(c)] for c in number))}."},
                 {"agent": "Wow, okay, hold on. Let me read that back."},
                 {"agent": f"{span('card', ', '.join(say_d16(g, 0) for g in groups))}?"},
                 {"customer": "Yep."}]
    elif habit == 3:  # read whole, then one group corrected after the fact
        bad = groups[3][:2] + wrong_digit(groups[3][2], rng) + groups[3][3]
        utts += [{"customer": f"{span('card', ', '.join(say_d16(g, 0) for g in groups[:3]) + ', ' + say_d16(bad, 0))}."},
                 {"agent": "Thanks, and the expiry?"},
                 {"customer": f"Oh hang on, sorry, I misread. The last four are "
                              f"{span('card', say_d16(groups[3], 0) + ', not ' + say_d16(bad, 0))}."},
                 {"agent": "No worries, I've changed it. Expiry?"}]
    elif habit == 4:  # hesitations inside, over two turns
        um = UMS_D16[i % 4]
        utts += [{"customer": f"{span('card', say_d16(groups[0][:2], 0) + ', ' + um + ', ' + say_d16(groups[0][2:], 0) + ', ' + say_d16(groups[1], 0))}, "
                              f"{um}, sorry, my glasses."},
                 {"agent": "Take your time.", "gap": 0.4},
                 {"customer": f"{span('card', say_d16(groups[2], 0) + ', ' + um + ', ' + say_d16(groups[3], 0))}.",
                  "gap": 0.5}]
    elif habit == 5:  # pairs and doubles
        utts += [{"customer": f"Okay, {span('card', ', '.join(say_d16(g, 1 + n % 2) for n, g in enumerate(groups)))}."}]
    elif habit == 6:  # fast, with the agent's "mhm" between halves
        utts += [{"fast": f"{span('card', ' '.join(WORDS[int(c)] for c in number[:8]))}"},
                 {"agent": "Mhm.", "gap": 0.1},
                 {"fast": f"{span('card', ' '.join(WORDS[int(c)] for c in number[8:]))}.", "gap": 0.1}]
    else:  # a slip on the first group, said again from the start
        k = rng.randrange(1, 4)
        bad = groups[0][:k] + wrong_digit(groups[0][k], rng)
        utts += [{"customer": f"{span('card', say_d16(bad, 0) + ', oh no, let me start again, ' + ', '.join(say_d16(g, 3) for g in groups))}."}]
    if habit != 3:
        utts.append({"agent": rng.choice(["And the expiry date?", "Valid until?", "What's the end date on it?"])})
    if i % 3 == 0:
        m2 = month % 12 + 1
        said = f"{two_digits(f'{month:02d}')}, no, {two_digits(f'{m2:02d}')} {two_digits(str(year))}"
        utts.append({"customer": f"{span('expiry', said)}."})
    else:
        utts.append({"customer": f"{rng.choice(['', 'Um, ', 'That is '])}{span('expiry', expiry_d14(month, year, i + 1))}."})
    utts.append({"agent": rng.choice(["And the last three on the back.", "Security code?", "Three digit code, please."])})
    if i % 4 == 1:
        utts.append({"customer": f"{span('cvv', say_d16(code[:2], 0) + ', ' + UMS_D16[i % 4] + ', ' + say_d16(code, 0))}."})
    else:
        utts.append({"customer": f"{rng.choice(['', 'It is ', 'Yep, '])}{span('cvv', say_d16(code, i))}."})
    utts += [{"agent": rng.choice(["That's gone through. Card ending " + say_d16(groups[3], 0) + ", receipt by text.",
                                   "All paid, thank you. That was forty-two eighty.",
                                   "Lovely, payment's taken. Anything else today?"])},
             {"customer": "No that's it, thanks a lot."}]
    return utts


def id_call_d16(i: int, rng: random.Random) -> list[dict]:
    """An SSN and a phone number with slips put right, hesitations and the agent confirming them."""
    ssn = f"{rng.randrange(100, 900):03d}{rng.randrange(10, 100):02d}{rng.randrange(1000, 10000):04d}"
    phone = phone_d14(rng)
    firm, agent = FIRMS_D16[(i + 1) % 4], AGENTS_D16[(i + 2) % 4]
    a, b, c = ssn[:3], ssn[3:5], ssn[5:]
    utts: list[dict] = [{"agent": f"You're through to {firm}, this is {agent}."},
                        {"customer": rng.choice(["Hi, I need to update my contact details.",
                                                 "Hello, I'm calling about the loan paperwork.",
                                                 "Yeah hi, somebody called me and I missed it."])},
                        {"agent": rng.choice(["First I'll need your social security number.",
                                              "Can you confirm the social on the account for me?",
                                              "For security, your SSN please."])}]
    style = i % 3
    if style == 0:
        utts += [{"customer": f"Sure. {span('ssn', say_d16(a, 0) + ', ' + say_d16(b, 0) + ', ' + slipped_d16(c, rng, i))}."}]
    elif style == 1:
        utts += [{"customer": f"{span('ssn', say_d16(a, 0))}.", "gap": 0.3},
                 {"agent": f"{span('ssn', say_d16(a, 0))}.", "gap": 0.2},
                 {"customer": f"{span('ssn', say_d16(b, 0))}.", "gap": 0.3},
                 {"agent": "Mhm.", "gap": 0.2},
                 {"customer": f"{span('ssn', say_d16(c, 1))}.", "gap": 0.3}]
    else:
        utts += [{"customer": f"It's {span('ssn', say_d16(a, 0) + ', ' + UMS_D16[i % 4] + ', ' + say_d16(b, 3) + ', ' + say_d16(c, 3))}."}]
    utts += [{"agent": rng.choice(["Thanks, you're verified. What's the best number to get you on?",
                                   "Great. And a phone number we can call back on?",
                                   "That matches. Is your phone number still the same?"])}]
    p1, p2, p3 = phone[:3], phone[3:6], phone[6:]
    pstyle = i % 4
    if pstyle == 0:
        wrong = p2[:2] + wrong_digit(p2[2], rng)
        utts += [{"customer": f"No, new one. {span('phone', say_d16(p1, 0) + ', ' + say_d16(wrong, 0) + ', no wait, ' + say_d16(p2, 0) + ', ' + say_d16(p3, 1))}."}]
    elif pstyle == 1:
        utts += [{"customer": f"It's {span('phone', say_d16(p1, 0) + ', ' + say_d16(p2, 0))}...", "gap": 0.3},
                 {"agent": "Yep.", "gap": 0.2},
                 {"customer": f"{span('phone', say_d16(p3, 0))}.", "gap": 0.3},
                 {"agent": f"So that's {span('phone', ', '.join(say_d16(p, 0) for p in (p1, p2, p3)))}.", "gap": 0.2},
                 {"customer": "Correct."}]
    elif pstyle == 2:
        utts += [{"fast": f"{span('phone', ' '.join(WORDS[int(d)] for d in phone))}."}]
    else:
        utts += [{"customer": f"Erm, it changed. {span('phone', say_d16(p1, 0) + ', ' + UMS_D16[(i + 1) % 4] + ', ' + say_d16(p2, 2) + ', ' + say_d16(p3, 2))}."}]
    utts += [{"agent": rng.choice(["Updated. You'll get a confirmation text in a few minutes.",
                                   "Done. Someone will ring you back tomorrow between nine and twelve."])},
             {"customer": "Cheers."}]
    return utts


def mail_call_d16(i: int, rng: random.Random) -> list[dict]:
    """An e-mail address corrected, spelled with a slip, or given with no e-mail word said by either side."""
    first = rng.choice(["dev", "harriet", "joss", "amira", "callum", "yusuf"])
    last = rng.choice(["ranjit", "baxter", "okoye", "lindqvist", "mcrae", "pyne"])
    domain = [("outlook", "outlook dot com"), ("gmail", "gmail dot com"), ("icloud", "icloud dot com"),
              ("btinternet", "b t internet dot com")][i % 4]
    firm, agent = FIRMS_D16[(i + 3) % 4], AGENTS_D16[(i + 1) % 4]
    utts: list[dict] = [{"agent": f"{firm}, {agent} here."},
                        {"customer": rng.choice(["Hi, I never got the statement you said you'd send.",
                                                 "Hello, I want my bills sent electronically from now on.",
                                                 "Hi, I've moved and want to change how you contact me."])}]
    style = i % 6
    if style == 0:  # no e-mail word on either side
        utts += [{"agent": "Sure. How do we best reach you these days?"},
                 {"customer": f"It's {span('email', f'{first} dot {last} at {domain[1]}')}."}]
    elif style == 1:  # the agent gets the surname wrong, the customer spells it
        utts += [{"agent": "What's the e-mail address?"},
                 {"customer": f"{span('email', f'{first} {last} at {domain[1]}')}."},
                 {"agent": f"{last.capitalize()} with an i at the end?"},
                 {"customer": f"No, no. {span('email', first + ', then ' + ', '.join(last) + ' at ' + domain[1])}.",
                  "gap": 0.3}]
    elif style == 2:  # spelled with a slip
        bad = last[:2] + ("x" if last[2] != "x" else "z")
        utts += [{"agent": "Where shall I send it?"},
                 {"customer": f"{span('email', first + ' at ' + domain[1])}, no sorry, that's my old one. The new one is "
                              f"{span('email', ', '.join(bad) + ', no, ' + ', '.join(last) + ' at ' + domain[1])}.",
                  "gap": 0.4}]
    elif style == 3:  # no e-mail word, volunteered after an unrelated question
        utts += [{"agent": "No problem, is there anything else you'd like changed?"},
                 {"customer": f"Yeah, send stuff to {span('email', f'{first}{last} {rng.randrange(1, 10)} at {domain[1]}')} instead."}]
    elif style == 4:  # hesitations and "all lower case"
        utts += [{"agent": "What address should I use?"},
                 {"customer": f"Um, {span('email', f'{first}, uh, underscore, {last} at {domain[1]}')}, all lower case."}]
    else:  # the agent confirms it back
        utts += [{"agent": "Can I take an e-mail for that?"},
                 {"customer": f"{span('email', f'{first[0]} {last} at {domain[1]}')}."},
                 {"agent": f"So {span('email', f'{first[0]} {last} at {domain[1]}')}?"},
                 {"customer": "Yes, that's right."}]
    utts += [{"agent": rng.choice(["Done. You should see it in the next hour.",
                                   "That's updated. Your next bill is due on the fourteenth, thirty one twenty."])},
             {"customer": "Great, thanks."}]
    return utts


# --- d17 (issue 14, round 16): the same writer: real-shaped calls and numbers that are no PII, with slips -----
# Dev, tuned on. Calls where personal data comes in passing (a card given while the customer is in a shop, a phone
# number said fast at the end, an address with no question for it), and calls full of numbers and addresses that are no
# personal data said with the same habits: amounts and times corrected ("two hundred, no wait, two forty"), an order
# number read in fours with a slip (failing Luhn), a meter reading, a reference confirmed group by group, "I was
# looking at gmail dot com", "logged in at outlook dot com", a web address, "at about half four", a firm's own line.

def real_call_d17(i: int, rng: random.Random) -> list[dict]:
    """Personal data given in passing, with this writer's slips and hesitations."""
    number = luhn_complete(rng.choice(["4", "5"]), 16, rng)
    groups = [number[k:k + 4] for k in range(0, 16, 4)]
    phone = phone_d14(rng)
    firm, agent = FIRMS_D16[i % 4], AGENTS_D16[(i + 3) % 4]
    first, last = rng.choice(["nell", "oskar", "priya", "tobias", "wren"]), rng.choice(["hale", "varga", "sethi", "quinn"])
    shape = i % 5
    utts: list[dict] = [{"agent": f"{firm}, good afternoon, {agent} speaking."}]
    if shape == 0:
        utts += [{"customer": "Hi, sorry it's noisy, I'm in the supermarket. I want to pay the car loan instalment."},
                 {"agent": "No problem. What card?"},
                 {"customer": f"Hang on. {span('card', say_d16(groups[0], 0) + ', ' + say_d16(groups[1], 1))}, "
                              f"sorry, excuse me, {span('card', say_d16(groups[2], 0) + ', ' + say_d16(groups[3], 0))}."},
                 {"agent": "And the code on the back?"},
                 {"customer": f"{span('cvv', say_d16(str(rng.randrange(100, 1000)), 0))}."}]
    elif shape == 1:
        utts += [{"customer": "Hi, the engineer didn't turn up today."},
                 {"agent": "I'm sorry about that. I'll rebook, and they'll call ahead. Best number?"},
                 {"fast": f"{span('phone', ' '.join(WORDS[int(d)] for d in phone))}."},
                 {"agent": "Sorry, one more time, slower?"},
                 {"customer": f"{span('phone', ', '.join(say_d16(p, 0) for p in (phone[:3], phone[3:6], phone[6:])))}.",
                  "gap": 0.3}]
    elif shape == 2:
        utts += [{"customer": "Hi, I was told to call about my dog's insurance claim."},
                 {"agent": "Yes, we need the vet's invoice. Can you send it over?"},
                 {"customer": f"Sure, I'll send it from {span('email', f'{first} dot {last} at gmail dot com')} tonight."}]
    elif shape == 3:
        utts += [{"customer": "Hi, I want to move my payment date to the twentieth."},
                 {"agent": "Sure. To confirm it's you, your phone number please."},
                 {"customer": f"{span('phone', say_d16(phone[:3], 0) + ', ' + UMS_D16[i % 4] + ', ' + say_d16(phone[3:6], 0) + ', ' + slipped_d16(phone[6:], rng, i))}."},
                 {"agent": "Thanks, that's moved to the twentieth. Your next payment is one eighty five."}]
    else:
        m, y = rng.randrange(1, 13), rng.randrange(27, 32)
        utts += [{"customer": "Hi, my card expired and the direct payment bounced."},
                 {"agent": "Let's put the new card on. The number, when you're ready."},
                 {"customer": f"{span('card', ', '.join(say_d16(g, 3) for g in groups))}."},
                 {"agent": "And the new expiry?"},
                 {"customer": f"{span('expiry', expiry_d14(m, y, i))}, and the code is {span('cvv', say_d16(str(rng.randrange(100, 1000)), 0))}."}]
    utts += [{"agent": "That's all sorted for you."}, {"customer": "Brilliant, bye now."}]
    return utts


def fp_call_d17(i: int, rng: random.Random) -> list[dict]:
    """Numbers and addresses that are no personal data, said with slips, hesitations and read-backs."""
    order = luhn_failing(16, rng)
    og = [order[k:k + 4] for k in range(0, 16, 4)]
    firm, agent = FIRMS_D16[i % 4], AGENTS_D16[(i + 2) % 4]
    ref = f"{rng.randrange(100, 1000)}"
    calls = [
        [{"customer": "Hi, my bill's way higher than usual."},
         {"agent": "Let me look. It says two hundred, no wait, sorry, two hundred and forty one pounds this quarter."},
         {"customer": "Last time it was, um, ninety eight, no, ninety six."}],
        [{"customer": "Hi, I'm chasing an order."},
         {"agent": "What's the order number?"},
         {"customer": f"{say_d16(og[0], 0)}, {say_d16(og[1], 0)}, {say_d16(og[2][:2] + wrong_digit(og[2][2], rng), 0)}, no wait, "
                      f"{say_d16(og[2], 0)}, {say_d16(og[3], 0)}."},
         {"agent": "Found it. It left the depot at half seven this morning."}],
        [{"customer": "I can't log in to my account online."},
         {"agent": "Where are you trying to log in?"},
         {"customer": "I was looking at gmail dot com on my phone and the link from you went nowhere."},
         {"agent": "Ah, use our site instead, lark mobile dot com slash account."}],
        [{"customer": "Hi, I need to give you a meter reading."},
         {"agent": "Go ahead."},
         {"customer": f"Okay, {say_d16(str(rng.randrange(10000, 99999)), 0)}, um, no, the last one's a "
                      f"{WORDS[rng.randrange(10)]}."},
         {"agent": "Thanks, that's logged for today, the ninth."}],
        [{"customer": "Hello, I logged in at outlook dot com and there's a message from you about a refund."},
         {"agent": "Yes, a refund of sixty four fifty. It'll take three to five days."}],
        [{"customer": "When will the engineer come?"},
         {"agent": "Tuesday at about half four. Or, no, sorry, quarter to five."},
         {"customer": "Okay, I'm at work until four, so that's fine."}],
        [{"customer": "Hi, I've got a reference number from your letter."},
         {"agent": "Go ahead."},
         {"customer": f"It's {say_d16(ref, 0)}.", "gap": 0.3},
         {"agent": f"{say_d16(ref, 0)}.", "gap": 0.2},
         {"customer": "Then, uh, forty four, nineteen.", "gap": 0.3},
         {"agent": "Forty four nineteen, got it. That's your claim from March."}],
        [{"customer": "What number do I call for the out of hours team?"},
         {"agent": "That's oh eight hundred, four six one, two two two two."},
         {"customer": "Sorry, eight hundred, four six one ... two two two two, thanks."}],
        [{"customer": "Hi, I'm at the counter at your branch at forty two Mill Street, they sent me to the phone."},
         {"agent": "Okay, which card is it about? Just the last four."},
         {"customer": f"Ending {say_d16(og[3], 0)}."},
         {"agent": "Right, that one's limit is fifteen hundred, and you've used eleven, twelve hundred."}],
        [{"customer": "My son set up the account, he said his e-mail is the login."},
         {"agent": "For privacy I can't change it without him. He can call us at any time."},
         {"customer": "He's at uni, he's on about five lectures a day. I'll tell him to ring at two."}],
    ]
    return [{"agent": f"{firm}, {agent} speaking."}] + calls[i % len(calls)] + [{"customer": "Okay, thank you, bye."}]


def voices_d16(rng: random.Random, n: int) -> dict:
    """voices_d10's range and a fast talker on the customer's line (the same customer rattling numbers off)."""
    voices = voices_d10(rng, n)
    voices["fast"] = {**voices["customer"], "speed": round(rng.uniform(1.35, 1.5), 2), "side": "right"}
    return voices


# --- d18 (issue 14, round 17): a dev batch by a new writer, numbers in other rhythms ------------------------------
# Dev, tuned on. Written in round 17 before running the detector on it. Cards read with slips and restarts ("hang on,
# I'll start over"), read back by the agent (whole, or one group heard wrong and put right), digits said as pairs and
# hundreds mixed within one number ("forty-five, twelve, three hundred and six, ..."), an Amex in hundreds; SSNs said
# as hundreds and pairs, with "dash", rattled off or over turns; phones with "area code", "plus one", pairs, a UK
# mobile ("oh seven seven double oh ..."); e-mail addresses with "underscore", "hyphen", "dash" and domains with
# country codes ("dot co dot uk", "dot com dot au", "dot de", "dot ie", "dot ca"). Label rules as d16: a slip's wrong
# digits and a restart are inside the span of the number they were said in; "X, not Y" after the fact is one span of
# the number's kind; the agent's read-back is labelled (said in clear); the country code is part of a phone number;
# "ending in" four digits is no PII. Firms: Fenwick Broadband, Ostara Insurance, Millbrook Council, Tidewell Energy.

FIRMS_D18 = ["Fenwick Broadband", "Ostara Insurance", "Millbrook Council", "Tidewell Energy"]
AGENTS_D18 = ["Ruth", "Sanjay", "Moira", "Tomasz"]


def say_d18(digits: str, habit: int, rng: random.Random) -> str:
    """A group as this writer's callers say it: digits with "oh", pairs, hundreds ("four, five hundred and twelve"),
    or "double"/"triple" with "zero"."""
    habit %= 4
    if habit == 1 and len(digits) % 2 == 0:
        return " ".join(two_digits(digits[k:k + 2]) for k in range(0, len(digits), 2))
    if habit == 2 and len(digits) in (3, 4) and digits[-3] != "0":
        head = f"{WORDS[int(digits[0])]}, " if len(digits) == 4 else ""
        return head + hundreds_d7(digits[-3:], rng)
    if habit == 3:
        return say_digits(digits, "double", rng).replace("oh", "zero")
    return " ".join("oh" if c == "0" else WORDS[int(c)] for c in digits)


def card_call_d18(i: int, rng: random.Random) -> list[dict]:
    """A card read with restarts and slips, in mixed rhythms, read back by the agent; then its expiry and code."""
    amex = i % 8 == 5
    number = luhn_complete("37" if amex else rng.choice(["4", "5", "4", "6011"]), 15 if amex else 16, rng)
    sizes = [4, 6, 5] if amex else [4, 4, 4, 4]
    groups, pos = [], 0
    for size in sizes:
        groups.append(number[pos:pos + size])
        pos += size
    firm, agent = FIRMS_D18[i % 4], AGENTS_D18[(i + 1) % 4]
    month, year = rng.randrange(1, 13), rng.randrange(27, 33)
    code = "".join(str(rng.randrange(10)) for _ in range(4 if amex else 3))
    mixed = lambda: ", ".join(say_d18(g, n + i, rng) for n, g in enumerate(groups))  # noqa: E731
    plain = lambda gs: ", ".join(say_d18(g, 0, rng) for g in gs)  # noqa: E731
    utts: list[dict] = [{"agent": f"Good morning, {firm}, you're speaking to {agent}."},
                        {"customer": rng.choice(["Hi, I'd like to settle what I owe.", "Hello, I'm paying the renewal.",
                                                 "Hiya, I got a letter saying I'm behind, I want to pay it now."])},
                        {"agent": rng.choice(["Okay. Could you read me the card number?",
                                              "Sure, I'll take the card details. The sixteen digits first.",
                                              "Right. Card number when you're ready."])}]
    habit = i % 8
    if habit == 0:  # a restart part-way through
        k = rng.randrange(1, 4)
        utts += [{"customer": f"{span('card', plain(groups[:2]) + ', ' + say_d18(groups[2][:k], 0, rng) + ', hang on, I lost my place, I will start over. ' + mixed())}."}]
    elif habit == 1:  # the agent reads the whole number back in pairs
        utts += [{"customer": f"It's {span('card', mixed())}."},
                 {"agent": f"Let me just repeat that. {span('card', ', '.join(say_d18(g, 1, rng) for g in groups))}."},
                 {"customer": "Yes, spot on."}]
    elif habit == 2:  # the agent reads a group back wrong, the customer puts it right
        heard = groups[2][:2] + wrong_digit(groups[2][2], rng) + groups[2][3]
        utts += [{"customer": f"Okay, {span('card', plain(groups))}."},
                 {"agent": f"So {span('card', plain(groups[:2]) + ', ' + say_d18(heard, 0, rng) + ', ' + say_d18(groups[3], 0, rng))}?"},
                 {"customer": f"No, the third bit is {span('card', say_d18(groups[2], 0, rng))}, not {span('card', say_d18(heard, 0, rng))}."},
                 {"agent": "Sorry, got it now."}]
    elif habit == 3:  # a slip inside a group, put right with "I mean"
        bad = groups[1][:1] + wrong_digit(groups[1][1], rng)
        utts += [{"customer": f"{span('card', say_d18(groups[0], 1, rng) + ', ' + say_d18(bad, 0, rng) + ', I mean, ' + say_d18(groups[1], 0, rng) + ', ' + say_d18(groups[2], 2, rng) + ', ' + say_d18(groups[3], 1, rng))}."}]
    elif habit == 4:  # over three turns, the agent prompting between
        utts += [{"customer": f"Right. {span('card', say_d18(groups[0], 2, rng))}.", "gap": 0.3},
                 {"agent": "Uh huh.", "gap": 0.2},
                 {"customer": f"{span('card', say_d18(groups[1], 1, rng) + ', ' + say_d18(groups[2], 3, rng))}.", "gap": 0.3},
                 {"agent": "And the last four?", "gap": 0.2},
                 {"customer": f"{span('card', say_d18(groups[3], 0, rng))}.", "gap": 0.3}]
    elif habit == 5:  # an Amex in hundreds
        said = f"{say_d18(groups[0], 0, rng)}, {hundreds_d7(groups[1][:3], rng)}, {hundreds_d7(groups[1][3:], rng)}, " \
               f"{say_d18(groups[2][:2], 1, rng)}, {hundreds_d7(groups[2][2:], rng)}"
        utts += [{"customer": f"It's an Amex, so it's fifteen. {span('card', said)}."}]
    elif habit == 6:  # the customer asks to start again after the agent loses it
        utts += [{"customer": f"{span('card', plain(groups[:2]))}...", "gap": 0.3},
                 {"agent": "Sorry, the line dropped, can you go again from the start?", "gap": 0.2},
                 {"customer": f"Sure. {span('card', mixed())}.", "gap": 0.3}]
    else:  # the agent asks for one group again
        utts += [{"customer": f"{span('card', mixed())}."},
                 {"agent": "Sorry, was the third group " + f"{span('card', say_d18(groups[2], 0, rng))}?"},
                 {"customer": f"Yep, {span('card', say_d18(groups[2], 1, rng))}."}]
    utts.append({"agent": rng.choice(["And when does it expire?", "Expiry date on the front?", "Valid to?"])})
    yy = two_digits(f"{year:02d}")
    expiry = [f"{two_digits(f'{month:02d}')}, {yy}", f"{MONTHS[month - 1]} of twenty {yy}",
              f"{small_number(month)} slash {yy}", f"the {['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth'][month - 1]} month, twenty {yy}"][i % 4]
    utts.append({"customer": f"{span('expiry', expiry)}."})
    utts.append({"agent": rng.choice(["And the security code, please.", "Then the CVV.", "The code on the back?"])})
    if i % 3 == 0 and not amex:
        utts.append({"customer": f"{span('cvv', hundreds_d7(code, rng) if code[0] != '0' else say_d18(code, 0, rng))}."})
    elif i % 3 == 1:
        wrong = code[:-1] + wrong_digit(code[-1], rng)
        utts.append({"customer": f"{span('cvv', say_d18(wrong, 0, rng) + ', sorry, ' + say_d18(code, 0, rng))}."})
    else:
        utts.append({"customer": f"{span('cvv', say_d18(code, 0, rng))}."})
    utts += [{"agent": rng.choice([f"Thank you, that's been taken. The card ending {say_d18(groups[-1][-4:], 0, rng)} is charged.",
                                   "Payment's gone through, you'll get an e-mail receipt.",
                                   "All done. Your balance is now zero."])},
             {"customer": "Great, thank you."}]
    return utts


def ssn_d18(digits: str, style: int, rng: random.Random) -> str:
    """A social in other rhythms: hundreds and pairs, with "dash", rattled off, or pairs with a digit left over."""
    a, b, c = digits[:3], digits[3:5], digits[5:]
    return [f"{hundreds_d7(a, rng)}, {two_digits(b)}, {two_digits(c[:2])} {two_digits(c[2:])}",
            f"{say_d18(a, 0, rng)} dash {say_d18(b, 0, rng)} dash {say_d18(c, 0, rng)}",
            " ".join(WORDS[int(d)] for d in digits),
            f"{two_digits(digits[:2])}, {two_digits(digits[2:4])}, {two_digits(digits[4:6])}, {two_digits(digits[6:8])}, {WORDS[int(digits[8])]}",
            f"{say_d18(a, 3, rng)}, {say_d18(b, 3, rng)}, {say_d18(c, 3, rng)}",
            f"{say_d18(a, 0, rng)}, {say_d18(b, 1, rng)}, {say_d18(c, 2, rng)}"][style % 6]


def phone_d18(phone: str, style: int, rng: random.Random) -> str:
    """A US number with "area code", "plus one", pairs or hundreds; or a UK mobile (07...)."""
    if phone.startswith("07"):
        return [f"oh seven {say_d18(phone[2:5], 3, rng)}, {say_d18(phone[5:8], 0, rng)}, {say_d18(phone[8:], 0, rng)}",
                f"{say_d18(phone[:5], 3, rng)}, {say_d18(phone[5:], 1 if False else 0, rng)}"][style % 2]
    a, b, c = phone[:3], phone[3:6], phone[6:]
    return [f"area code {say_d18(a, 0, rng)}, then {say_d18(b, 0, rng)}, {say_d18(c, 1, rng)}",
            f"plus one, {say_d18(a, 0, rng)}, {say_d18(b, 0, rng)}, {say_d18(c, 0, rng)}",
            f"{say_d18(a, 0, rng)}, {say_d18(b, 2, rng)}, {say_d18(c, 1, rng)}",
            f"{say_d18(a, 0, rng)} {say_d18(b, 0, rng)} {say_d18(c, 3, rng)}"][style % 4]


def uk_mobile_d18(rng: random.Random) -> str:
    return "07" + rng.choice(["700", "712", "845", "956"]) + f"{rng.randrange(10**6):06d}"


def id_call_d18(i: int, rng: random.Random) -> list[dict]:
    """An SSN and a phone number in other rhythms, one with a slip, one over turns the agent says back."""
    ssn = f"{rng.randrange(100, 900):03d}{rng.randrange(10, 100):02d}{rng.randrange(1000, 10000):04d}"
    phone = uk_mobile_d18(rng) if i % 3 == 2 else phone_d14(rng)
    firm, agent = FIRMS_D18[(i + 1) % 4], AGENTS_D18[i % 4]
    utts: list[dict] = [{"agent": f"{firm}, {agent} speaking."},
                        {"customer": rng.choice(["Hi, I need to change my policy's contact number.",
                                                 "Hello, I'm calling about a claim I made last month.",
                                                 "Hi there, I want to check my account is set up right."])},
                        {"agent": rng.choice(["I'll need to verify you first. Your social security number, please?",
                                              "Can I take the last... actually, the full social, please.",
                                              "Security first: what's your SSN?"])}]
    if i % 6 == 4:  # over turns, the agent saying the first part back
        utts += [{"customer": f"{span('ssn', say_d18(ssn[:3], 0, rng) + ', ' + say_d18(ssn[3:5], 0, rng))}.", "gap": 0.3},
                 {"agent": f"{span('ssn', say_d18(ssn[:3], 0, rng) + ', ' + say_d18(ssn[3:5], 0, rng))}, yep.", "gap": 0.2},
                 {"customer": f"{span('ssn', say_d18(ssn[5:], 1, rng))}.", "gap": 0.3}]
    elif i % 6 == 1:  # a slip put right
        bad = ssn[5:7] + wrong_digit(ssn[7], rng)
        utts += [{"customer": f"{span('ssn', say_d18(ssn[:3], 0, rng) + ', ' + say_d18(ssn[3:5], 0, rng) + ', ' + say_d18(bad, 0, rng) + ', no hold on, ' + say_d18(ssn[5:], 0, rng))}."}]
    else:
        utts += [{"customer": f"{rng.choice(['Yeah, ', 'Sure, it is ', ''])}{span('ssn', ssn_d18(ssn, i, rng))}."}]
    utts.append({"agent": rng.choice(["Thank you. And the new number?", "Lovely. What number should we have for you?",
                                      "Great, you're through security. What's the phone number to update to?"])})
    if i % 4 == 3:  # the agent reads it back
        utts += [{"customer": f"{span('phone', phone_d18(phone, i, rng))}."},
                 {"agent": f"Let me read that back: {span('phone', ', '.join(say_d18(p, 0, rng) for p in (phone[:3], phone[3:6], phone[6:])))}."},
                 {"customer": "That's it."}]
    elif i % 4 == 1:  # a slip put right
        bad = phone[6:8] + wrong_digit(phone[8], rng)
        utts += [{"customer": f"{span('phone', say_d18(phone[:3], 0, rng) + ', ' + say_d18(phone[3:6], 0, rng) + ', ' + say_d18(bad, 0, rng) + ', oops, ' + say_d18(phone[6:], 0, rng))}."}]
    else:
        utts += [{"customer": f"It's {span('phone', phone_d18(phone, i, rng))}."}]
    utts += [{"agent": rng.choice(["That's changed. If you need us, our line is oh eight hundred, double four, five, six one two.",
                                   "Done. Anything else I can help with?",
                                   "Updated. You'll get a text to confirm."])},
             {"customer": "No, that's all, thanks."}]
    return utts


DOMAINS_D18 = [("btconnect", "b t connect dot co dot uk"), ("bigpond", "bigpond dot com dot au"), ("webde", "web dot de"),
               ("eircom", "eircom dot ie"), ("shaw", "shaw dot ca"), ("xtra", "xtra dot co dot nz")]


def mail_call_d18(i: int, rng: random.Random) -> list[dict]:
    """An e-mail address with underscore, hyphen or dash, a domain with a country code, read back or spelled."""
    first = rng.choice(["eoin", "marta", "kofi", "sienna", "rafael", "hana"])
    last = rng.choice(["walsh", "novak", "mensah", "doyle", "ortiz", "sato"])
    domain = DOMAINS_D18[i % 6][1]
    n = rng.randrange(10, 100)
    firm, agent = FIRMS_D18[(i + 2) % 4], AGENTS_D18[(i + 3) % 4]
    address = [f"{first} underscore {last} at {domain}", f"{first} hyphen {last} at {domain}",
               f"{first[0]} dash {last} {small_number(n)} at {domain}", f"{last} underscore {first[0]} at {domain}",
               f"{first} dot {last} hyphen {small_number(n)} at {domain}", f"{', '.join(first)}, dash, {last} at {domain}"][i % 6]
    utts: list[dict] = [{"agent": f"{firm}, this is {agent}."},
                        {"customer": rng.choice(["Hi, can you send me a copy of my policy?",
                                                 "Hello, I never got the confirmation e-mail.",
                                                 "Hi, I'd like my bills by e-mail please."])},
                        {"agent": rng.choice(["Sure, what's your e-mail address?", "Which e-mail should I use?",
                                              "Okay, and where should that go?"])}]
    if i % 3 == 0:  # the agent reads it back
        utts += [{"customer": f"It's {span('email', address)}."},
                 {"agent": f"So that's {span('email', address)}?"},
                 {"customer": "Yes, that's right."}]
    elif i % 3 == 1:  # the domain said after a pause, over two turns
        head = address.split(" at ")[0]
        utts += [{"customer": f"{span('email', head)}...", "gap": 0.3},
                 {"agent": "Mm-hm.", "gap": 0.2},
                 {"customer": f"{span('email', 'at ' + domain)}.", "gap": 0.3}]
    else:
        utts += [{"customer": f"Um, {span('email', address)}, all lower case."}]
    utts += [{"agent": "Done, it's on its way."}, {"customer": "Thanks very much."}]
    return utts


# --- d19 (issue 14, round 17): the same writer: personal data in passing, and numbers that are no PII -------------
# Dev, tuned on. Personal data given in passing in this writer's rhythms (a card read from a banking app in pairs, a
# phone number given with the firm's freephone number said by the agent in the same call, an e-mail with a country-code
# domain volunteered); and ten calls of numbers that are no personal data: the firm's freephone and 0800 lines, an order
# number in fours that fails Luhn, a claim reference shaped like a social, a sort code, a tracking number, prices,
# dates and times, a web address with "dash" and a country code, a card's last four, a flight number.

def real_call_d19(i: int, rng: random.Random) -> list[dict]:
    """Personal data given in passing, next to the firm's own numbers."""
    number = luhn_complete(rng.choice(["4", "5"]), 16, rng)
    groups = [number[k:k + 4] for k in range(0, 16, 4)]
    phone = phone_d14(rng)
    firm, agent = FIRMS_D18[i % 4], AGENTS_D18[(i + 2) % 4]
    shape = i % 5
    utts: list[dict] = [{"agent": f"{firm}, {agent} speaking."}]
    if shape == 0:
        utts += [{"customer": "Hi, I'm paying from my banking app, I'll read the card from the screen."},
                 {"agent": "Go ahead."},
                 {"customer": f"{span('card', ', '.join(say_d18(g, 1, rng) for g in groups))}."},
                 {"agent": "Thanks, and the expiry?"},
                 {"customer": f"{span('expiry', two_digits(f'{rng.randrange(1, 13):02d}') + ' ' + two_digits(str(rng.randrange(27, 32))))}."}]
    elif shape == 1:
        utts += [{"customer": "Hi, I called yesterday, someone was meant to ring me back."},
                 {"agent": "Sorry about that. For next time our direct line is oh eight hundred, seven one two, three "
                           "four five six. What's your number so I can call you back?"},
                 {"customer": f"{span('phone', phone_d18(phone, i, rng))}."}]
    elif shape == 2:
        utts += [{"customer": "Hi, I want the renewal papers, but send them to my work address."},
                 {"agent": "Sure."},
                 {"customer": f"It's {span('email', rng.choice(['p', 'j', 'k']) + ' dot shah at harlow dash group dot co dot uk')}."}]
    elif shape == 3:
        utts += [{"customer": "Hi, I'm ringing about the letter about my benefits."},
                 {"agent": "Okay. Our freephone is one eight hundred, five five five, oh one nine nine, if you get cut "
                           "off. Can you confirm your social?"},
                 {"customer": f"{span('ssn', ssn_d18(f'{rng.randrange(100, 900):03d}{rng.randrange(10, 100):02d}{rng.randrange(1000, 10000):04d}', i, rng))}."}]
    else:
        utts += [{"customer": "Hi, can you text me the engineer's time?"},
                 {"agent": "Sure, what's the mobile?"},
                 {"customer": f"{span('phone', phone_d18(uk_mobile_d18(rng), i, rng))}. And the booking was for the twelfth."}]
    utts += [{"agent": "Done, anything else?"}, {"customer": "No, that's all, ta."}]
    return utts


def fp_call_d19(i: int, rng: random.Random) -> list[dict]:
    """Numbers and addresses that are no personal data, in this writer's rhythms."""
    order = luhn_failing(16, rng)
    og = [order[k:k + 4] for k in range(0, 16, 4)]
    firm, agent = FIRMS_D18[i % 4], AGENTS_D18[(i + 1) % 4]
    claim = f"{rng.randrange(100, 900):03d}{rng.randrange(10, 100):02d}{rng.randrange(1000, 10000):04d}"
    calls = [
        [{"customer": "Hi, what's the number for your complaints team?"},
         {"agent": "It's oh eight hundred, three four five, six seven eight nine, or one eight hundred, two one two, "
                   "four four, double oh from abroad."}],
        [{"customer": "Hi, my order hasn't come."},
         {"agent": "What's the order number?"},
         {"customer": f"{', '.join(say_d18(g, n, rng) for n, g in enumerate(og))}."},
         {"agent": "Thanks. It's due on the fourteenth, between eight and twelve."}],
        [{"customer": "Hi, I'm chasing my claim."},
         {"agent": "The claim reference, please."},
         {"customer": f"{ssn_d18(claim, 1, rng)}."},
         {"agent": "Found it. It was paid on the third, four hundred and twelve pounds fifty."}],
        [{"customer": "Hi, which account do I pay the council tax into?"},
         {"agent": "Sort code twenty, thirty-two, fifty-one, and the reference is your property number, on the bill."},
         {"customer": "Okay, and how much is it this year?"},
         {"agent": "Sixteen hundred and forty, over ten instalments of a hundred and sixty four."}],
        [{"customer": "Hi, where do I find the forms?"},
         {"agent": "On our site, w w w dot tidewell dash energy dot co dot uk, slash forms."},
         {"customer": "And if the site's down?"},
         {"agent": "Then ring oh three three three, two oh two, one nine nine nine."}],
        [{"customer": f"Hi, I paid with my card ending {say_d18(og[3], 0, rng)} and it went out twice."},
         {"agent": "I see two payments of forty nine ninety nine. I'll refund one, three to five working days."}],
        [{"customer": "Hi, my parcel's stuck."},
         {"agent": "What's the tracking number?"},
         {"customer": f"It's J D, {say_d18(str(rng.randrange(10**5, 10**6)), 0, rng)}, {say_d18(str(rng.randrange(10**5, 10**6)), 1, rng)}."},
         {"agent": "It's at the depot, out for delivery tomorrow."}],
        [{"customer": "Hi, I need to move my appointment, it's at half nine on the twenty-third."},
         {"agent": "I can do the twenty-sixth at two fifteen, or the thirtieth at ten."},
         {"customer": "The twenty-sixth, please. I'm flight B A two eight seven back on the twenty-fifth."}],
        [{"customer": "Hi, my meter reading's wrong on the bill."},
         {"agent": "What does the meter say?"},
         {"customer": f"{say_d18(str(rng.randrange(10**4, 10**5)), 2, rng)}, point {WORDS[rng.randrange(10)]}, "
                      f"sorry, {say_d18(str(rng.randrange(10**4, 10**5)), 0, rng)}."},
         {"agent": "Thanks, the new bill is ninety two pounds eighty."}],
        [{"customer": "Hi, I'm trying to log in, what's the address of the portal?"},
         {"agent": "It's my dash account dot ostara dot ie, and your customer number is on the letter."},
         {"customer": "Right, I was typing ostara dot com dot au, that's the wrong one then."}],
    ]
    return [{"agent": f"{firm}, {agent} here."}] + calls[i % len(calls)] + [{"customer": "Okay, thanks, bye."}]


# --- d20 (issue 14, round 18): a dev batch by a new writer, number-dense stretches said the way a hurried caller does ---
# Dev, tuned on. Written in round 18 before any check ran on it. Cards, socials and phones read fast (a fast talker,
# one breath), with fillers inside ("like", "you know", "um", "let me just"), in groups of two, three and four
# digits mixed within one number ("forty one, two three five, six six ..."), with corrections of a whole group or one
# digit ("sorry, not six, eight"), an Amex read 4-6-5, a group asked for again over the noise ("sorry, after the
# forty-one?") and said again; e-mail addresses spelled with "as in" (names and words as well as the phonetic
# alphabet), "dash", "underscore", "all one word", "double". Noisy lines (7-14 dB SNR), mostly mu-law. Label rules as
# d16: a slip's wrong digits and a whole group said wrong then right are inside the span of the number they were said
# in; a group said again after the agent asks for it is its own span of the number's kind; the agent's read-back is
# labelled (said in clear); "ending in" four digits is no PII. Firms: Thornbury Credit, Alcove Home Insurance,
# Saltmarsh Telecom, Glenrock Utilities.

FIRMS_D20 = ["Thornbury Credit", "Alcove Home Insurance", "Saltmarsh Telecom", "Glenrock Utilities"]
AGENTS_D20 = ["Ffion", "Dariusz", "Adaeze", "Mitch"]
FILLERS_D20 = ["like", "you know", "um", "let me just", "er", "right"]
AS_IN_D20 = {"a": "apple", "b": "bravo", "c": "charlie", "d": "delta", "e": "echo", "f": "freddie", "g": "george",
             "h": "harry", "i": "india", "j": "juliet", "k": "kilo", "l": "london", "m": "mike", "n": "november",
             "o": "oscar", "p": "peter", "r": "robert", "s": "sierra", "t": "tango", "u": "uniform", "v": "victor",
             "w": "whisky", "y": "yellow", "z": "zebra"}


def chunks_d20(digits: str, sizes: list[int]) -> list[str]:
    """``digits`` cut into groups of ``sizes`` (the last group takes what is left)."""
    out, pos = [], 0
    for size in sizes:
        if pos < len(digits):
            out.append(digits[pos:pos + size])
            pos += size
    if pos < len(digits):
        out.append(digits[pos:])
    return out


def group_d20(group: str, habit: int) -> str:
    """A group as this writer's callers say it: a pair as tens ("forty one"), three as a digit and a pair ("six
    twelve"), four as two pairs or digit by digit; "oh" or "zero" for 0."""
    zero = "zero" if habit % 3 == 2 else "oh"
    if len(group) == 2 and group[0] != "0" and habit % 2 == 0:
        return two_digits(group)
    if len(group) == 3 and group[0] != "0" and group[1] != "0" and habit % 2 == 0:
        return f"{WORDS[int(group[0])]} {two_digits(group[1:])}"
    if len(group) == 4 and group[0] != "0" and group[2] != "0" and habit % 4 == 1:
        return f"{two_digits(group[:2])} {two_digits(group[2:])}"
    return " ".join(zero if c == "0" else WORDS[int(c)] for c in group)


def mixed_d20(digits: str, sizes: list[int], habit: int, rng: random.Random, fillers: int = 0) -> str:
    """A number in groups of mixed sizes, with ``fillers`` fillers put between groups."""
    groups = [group_d20(g, habit + n) for n, g in enumerate(chunks_d20(digits, sizes))]
    for _ in range(fillers):
        k = rng.randrange(1, len(groups))
        groups[k] = f"{rng.choice(FILLERS_D20)}, {groups[k]}"
    return ", ".join(groups)


def plain_d20(digits: str) -> str:
    return " ".join(WORDS[int(c)] for c in digits)


SIZES_D20 = [[2, 3, 4, 3, 4], [4, 4, 4, 4], [3, 3, 3, 3, 4], [2, 2, 4, 4, 4], [4, 3, 2, 3, 4], [3, 4, 2, 4, 3]]


def card_call_d20(i: int, rng: random.Random) -> list[dict]:
    """A card read fast, with fillers, in mixed groups, corrected, or asked again over noise; then expiry and code."""
    amex = i % 8 == 5
    number = luhn_complete("37" if amex else rng.choice(["4", "5", "4", "65"]), 15 if amex else 16, rng)
    firm, agent = FIRMS_D20[i % 4], AGENTS_D20[i % 4]
    month, year = rng.randrange(1, 13), rng.randrange(26, 34)
    code = "".join(str(rng.randrange(10)) for _ in range(4 if amex else 3))
    sizes = SIZES_D20[i % len(SIZES_D20)]
    utts: list[dict] = [{"agent": f"Hi, you've reached {firm}, {agent} here."},
                        {"customer": rng.choice(["Yeah hi, I need to pay this quickly, I'm on my lunch break.",
                                                 "Hi, I've had a letter saying I'm behind, I want to clear it.",
                                                 "Hello, I'm paying the excess for my claim."])}]
    habit = i % 8
    if habit == 7:  # the card given before anyone asks, in one breath
        utts[-1] = {"fast": f"Hi, yeah, I want to pay, card's {span('card', plain_d20(number))}, go."}
        utts.append({"agent": "Whoa, okay, I caught that, I think. Let me check it went in."})
    else:
        utts.append({"agent": rng.choice(["Sure. Card number when you're ready.", "Okay, what card are you paying with?",
                                          "No problem, the long number on the card, please."])})
    if habit == 0:  # fast, mixed groups, fillers
        utts.append({"fast": f"{span('card', mixed_d20(number, sizes, i, rng, fillers=2))}."})
    elif habit == 1:  # a whole group said wrong, then right
        groups = chunks_d20(number, [4, 4, 4, 4])
        bad = groups[1][:2] + groups[1][3] + groups[1][2] if groups[1][2] != groups[1][3] else wrong_digit(groups[1][0], rng) + groups[1][1:]
        said = (f"{group_d20(groups[0], 1)}, {group_d20(bad, 3)}, actually sorry, that's not right, it's "
                f"{group_d20(groups[1], 3)}, {group_d20(groups[2], 1)}, {group_d20(groups[3], 3)}")
        utts.append({"customer": f"Okay so, {span('card', said)}."})
    elif habit == 2:  # threes, one digit put right "not six, eight"
        groups = chunks_d20(number, [3, 3, 3, 3, 4])
        k = rng.randrange(1, 4)
        wrong = wrong_digit(groups[k][-1], rng)
        groups_said = [group_d20(g, 1) for g in groups]
        groups_said[k] = f"{group_d20(groups[k][:-1] + wrong, 1)}, sorry, not {WORDS[int(wrong)]}, {WORDS[int(groups[k][-1])]}"
        utts.append({"customer": f"{span('card', ', '.join(groups_said))}."})
    elif habit == 3:  # over noise, the agent asks for a piece again
        head, tail = number[:8], number[8:]
        utts += [{"customer": f"{span('card', mixed_d20(head, [2, 2, 4], i, rng))}, "
                              f"{span('card', mixed_d20(tail, [4, 4], i, rng))}."},
                 {"agent": f"Sorry, the line's awful. After the {group_d20(head[:2], 0)}?"},
                 {"customer": f"{span('card', mixed_d20(head[2:], [2, 4], i + 1, rng))}, then "
                              f"{span('card', mixed_d20(tail, [4, 4], i + 1, rng))}.", "gap": 0.3},
                 {"agent": "Got it now."}]
    elif habit == 4:  # fast pairs, the agent reads it all back
        pairs = chunks_d20(number, [2] * 8)
        utts += [{"fast": f"{span('card', ', '.join(group_d20(p, 0) for p in pairs))}."},
                 {"agent": f"Let me read that back. {span('card', ', '.join(plain_d20(g) for g in chunks_d20(number, [4, 4, 4, 4])))}?"},
                 {"customer": "Yep, spot on."}]
    elif habit == 5:  # an Amex, 4-6-5, with "um"
        groups = chunks_d20(number, [4, 6, 5])
        utts.append({"customer": f"It's an Amex, so, {span('card', group_d20(groups[0], 1) + ', um, ' + mixed_d20(groups[1], [3, 3], 0, rng) + ', ' + mixed_d20(groups[2], [2, 3], 0, rng))}."})
    elif habit == 6:  # doubles and a filler, over two turns with "yep" between
        groups = chunks_d20(number, [4, 4, 4, 4])
        utts += [{"customer": f"{span('card', say_digits(groups[0], 'double', rng) + ', you know, ' + say_digits(groups[1], 'double', rng))}...",
                  "gap": 0.2},
                 {"agent": "Yep.", "gap": 0.1},
                 {"customer": f"{span('card', say_digits(groups[2], 'double', rng) + ', ' + say_digits(groups[3], 'double', rng))}.",
                  "gap": 0.2}]
    utts.append({"agent": rng.choice(["Expiry?", "And when does it run out?", "Expiry date on that one?"])})
    if i % 3 == 1:  # the month put right
        wrong_m = month % 12 + 1
        said = f"{two_digits(f'{wrong_m:02d}')}, no, sorry, {two_digits(f'{month:02d}')}, {two_digits(str(year))}"
    else:
        said = [f"{two_digits(f'{month:02d}')} {two_digits(str(year))}", f"{MONTHS[month - 1]} {two_digits(str(year))}",
                f"{two_digits(f'{month:02d}')} slash twenty {two_digits(str(year))}"][i % 3]
    utts.append({"fast" if i % 2 == 0 else "customer": f"{span('expiry', said)}."})
    utts.append({"agent": rng.choice(["And the code on the back?", "Security code?",
                                      "Last thing, the four on the front, above the number." if amex else "The three digits on the back?"])})
    if i % 4 == 2:  # a code said, lost, said again
        utts += [{"customer": f"{span('cvv', plain_d20(code))}."},
                 {"agent": "Sorry, you cut out."},
                 {"customer": f"{span('cvv', plain_d20(code))}.", "gap": 0.3}]
    else:
        utts.append({"fast": f"{rng.choice(['', 'Um, ', 'It is '])}{span('cvv', group_d20(code, i))}."})
    utts += [{"agent": rng.choice(["That's gone through, card ending " + plain_d20(number[-4:]) + ". Reference nine one four.",
                                   "Payment taken, one hundred and twelve pounds forty. Anything else?",
                                   "All done, you'll get a text in a minute."])},
             {"customer": "Great, thanks, bye."}]
    return utts


def id_call_d20(i: int, rng: random.Random) -> list[dict]:
    """A social and a phone number read fast, in other groups, with fillers, a correction, or asked for again."""
    ssn = f"{rng.randrange(100, 900):03d}{rng.randrange(10, 100):02d}{rng.randrange(1000, 10000):04d}"
    phone = uk_mobile_d18(rng) if i % 3 == 1 else phone_d14(rng)
    firm, agent = FIRMS_D20[(i + 2) % 4], AGENTS_D20[(i + 1) % 4]
    utts: list[dict] = [{"agent": f"{firm}, {agent} speaking."},
                        {"customer": rng.choice(["Hi, I'm locked out of my online account.",
                                                 "Hello, I need to change the number you text me on.",
                                                 "Hi, my husband's away and I need to sort the direct debit."])},
                        {"agent": rng.choice(["Okay, first, what's your social security number?",
                                              "I'll just need your SSN to find you.",
                                              "Can you give me your social to verify?"])}]
    style = i % 6
    if style == 0:  # fast, one breath
        utts.append({"fast": f"Yeah it's {span('ssn', plain_d20(ssn))}."})
    elif style == 1:  # 3-2-4 with fillers
        utts.append({"customer": f"{span('ssn', group_d20(ssn[:3], 0) + ', um, ' + group_d20(ssn[3:5], 0) + ', let me just, ' + group_d20(ssn[5:], 1))}."})
    elif style == 2:  # a digit put right, "sorry, not X, Y"
        k = rng.randrange(5, 9)
        wrong = wrong_digit(ssn[k], rng)
        said = f"{plain_d20(ssn[:k])} {WORDS[int(wrong)]}, sorry, not {WORDS[int(wrong)]}, {WORDS[int(ssn[k])]}, {plain_d20(ssn[k + 1:])}"
        utts.append({"customer": f"{span('ssn', said)}."})
    elif style == 3:  # the agent asks for the end again
        utts += [{"customer": f"{span('ssn', plain_d20(ssn[:3]) + ', ' + plain_d20(ssn[3:5]) + ', ' + plain_d20(ssn[5:]))}."},
                 {"agent": "Sorry, the last four again?"},
                 {"customer": f"{span('ssn', group_d20(ssn[5:], 1))}.", "gap": 0.3}]
    elif style == 4:  # pairs and a digit
        utts.append({"customer": f"{span('ssn', mixed_d20(ssn, [2, 2, 2, 3], 0, rng))}."})
    else:  # dash, fast
        utts.append({"fast": f"{span('ssn', plain_d20(ssn[:3]) + ' dash ' + plain_d20(ssn[3:5]) + ' dash ' + plain_d20(ssn[5:]))}."})
    utts.append({"agent": rng.choice(["Thanks. And the number we should text?", "Got you. Best phone number?",
                                      "Right, and which mobile do you want on it now?"])})
    pstyle = i % 4
    if phone.startswith("07"):
        said = f"{plain_d20(phone[:5]).replace('zero', 'oh')}, {mixed_d20(phone[5:], [3, 3], 0, rng)}"
        utts.append({"fast" if i % 2 == 0 else "customer": f"{span('phone', said)}."})
    elif pstyle == 0:  # fast with a filler
        utts.append({"fast": f"{span('phone', plain_d20(phone[:3]) + ', like, ' + plain_d20(phone[3:]))}."})
    elif pstyle == 1:  # the last four corrected after the fact
        bad = phone[6:9] + wrong_digit(phone[9], rng)
        utts += [{"customer": f"{span('phone', plain_d20(phone[:3]) + ', ' + plain_d20(phone[3:6]) + ', ' + group_d20(bad, 1))}."},
                 {"agent": "Okay, saving that."},
                 {"customer": f"Wait, sorry, the end's {span('phone', group_d20(phone[6:], 1) + ', not ' + group_d20(bad, 1))}."}]
    elif pstyle == 2:  # area code, then the rest in 3-2-2
        utts.append({"customer": f"Area code {span('phone', group_d20(phone[:3], 0) + ', then ' + mixed_d20(phone[3:], [3, 2, 2], 0, rng))}."})
    else:  # the agent reads it back
        utts += [{"customer": f"{span('phone', mixed_d20(phone, [3, 3, 4], 1, rng))}."},
                 {"agent": f"{span('phone', plain_d20(phone[:3]) + ', ' + plain_d20(phone[3:6]) + ', ' + plain_d20(phone[6:]))}?"},
                 {"customer": "Yes."}]
    utts += [{"agent": rng.choice(["Done. You'll get a text from us on the new number in ten minutes.",
                                   "That's changed. Our opening hours are eight till eight if you need us."])},
             {"customer": "Thanks."}]
    return utts


def spelled_d20(word: str, habit: int) -> str:
    """A word spelled with "as in" for some letters ("t as in tango"), "double" for a repeated letter."""
    out, k = [], 0
    while k < len(word):
        c = word[k]
        if k + 1 < len(word) and word[k + 1] == c:
            out.append(f"double {c}")
            k += 2
            continue
        out.append(f"{c} as in {AS_IN_D20[c]}" if c in AS_IN_D20 and (k + habit) % 3 == 0 else c)
        k += 1
    return ", ".join(out)


def mail_call_d20(i: int, rng: random.Random) -> list[dict]:
    """An e-mail address spelled with "as in", "dash", "underscore", "double", "all one word"; once put right."""
    first = rng.choice(["tegan", "bashir", "ollie", "marek", "zainab", "connor"])
    last = rng.choice(["pryce", "adeyemi", "kells", "horvath", "quayle", "moss"])
    domain = ["hotmail dot co dot uk", "gmail dot com", "outlook dot com", "proton mail dot com", "yahoo dot com",
              "sky dot com"][i % 6]
    n = rng.randrange(70, 100)
    firm, agent = FIRMS_D20[(i + 1) % 4], AGENTS_D20[(i + 3) % 4]
    utts: list[dict] = [{"agent": f"{firm}, {agent} speaking."},
                        {"customer": rng.choice(["Hi, I need my renewal documents sent again.",
                                                 "Hello, I want paperless billing.",
                                                 "Hi, your app says my e-mail's wrong."])},
                        {"agent": rng.choice(["What's the e-mail, please?", "Where shall we e-mail them?",
                                              "Okay, give me the address and I'll update it."])}]
    style = i % 6
    if style == 0:  # surname spelled with "as in"
        utts.append({"customer": f"It's {span('email', first + ' dot, ' + spelled_d20(last, i) + ', at ' + domain)}."})
    elif style == 1:  # dash and digits, all one word
        utts.append({"customer": f"{span('email', first + ' dash ' + last + ' ' + small_number(n) + ' at ' + domain)}, all one word."})
    elif style == 2:  # underscore, the first name spelled
        utts.append({"customer": f"Okay, {span('email', spelled_d20(first, i) + ', underscore, ' + last + ' at ' + domain)}."})
    elif style == 3:  # put right: the agent reads it back wrong
        utts += [{"customer": f"{span('email', first[0] + ' ' + last + ' at ' + domain)}."},
                 {"agent": f"{span('email', first[0] + ' ' + last + 's at ' + domain)}?"},
                 {"customer": f"No, no s. {span('email', first[0] + ', ' + spelled_d20(last, i + 1) + ', at ' + domain)}.", "gap": 0.3}]
    elif style == 4:  # fast, dash
        utts.append({"fast": f"{span('email', first + ' dash ' + last + ' at ' + domain)}."})
    else:  # over two turns, spelled
        utts += [{"customer": f"{span('email', spelled_d20(first, i) + ', underscore')}...", "gap": 0.2},
                 {"agent": "Underscore, yep.", "gap": 0.2},
                 {"customer": f"{span('email', last + ' at ' + domain)}.", "gap": 0.2}]
    utts += [{"agent": rng.choice(["Perfect, updated.", "Thanks, you'll get a test e-mail now."])},
             {"customer": "Cheers."}]
    return utts


# --- d21 (issue 14, round 18): the same writer: personal data beside numbers that are no PII ----------------------
# Dev, tuned on. Ten calls where a card, phone or social comes right beside numbers that are no personal data (an
# amount before the card, an order number before the phone, a date of birth, an extension read back), and ten calls of
# numbers that are no personal data, read with the same habits: amounts put right ("two hundred and six, sorry, sixty"),
# order and invoice numbers in 3-3-4 and 4-4-4-4 failing Luhn, dates ("the twenty-third of the ninth"), extensions
# ("extension four four one two"), a tracking number read fast, a policy reference in 2-3-4, times and counts.


def real_call_d21(i: int, rng: random.Random) -> list[dict]:
    """Personal data said beside numbers that are no PII, with this writer's habits."""
    number = luhn_complete(rng.choice(["4", "5"]), 16, rng)
    phone = phone_d14(rng)
    ssn = f"{rng.randrange(100, 900):03d}{rng.randrange(10, 100):02d}{rng.randrange(1000, 10000):04d}"
    order = luhn_failing(10, rng)
    firm, agent = FIRMS_D20[i % 4], AGENTS_D20[(i + 2) % 4]
    shape = i % 5
    utts: list[dict] = [{"agent": f"{firm}, {agent} speaking, how can I help?"}]
    if shape == 0:  # amount, then the card
        utts += [{"customer": "Hi, I owe two hundred and six, sorry, sixty, two sixty, and I want to pay it now."},
                 {"agent": "Two sixty, yes. The card number?"},
                 {"fast": f"{span('card', mixed_d20(number, SIZES_D20[i % 6], i, rng, fillers=1))}."}]
    elif shape == 1:  # order number, then the phone
        utts += [{"customer": f"Hi, order number {mixed_d20(order, [3, 3, 4], 1, rng)}, it never came."},
                 {"agent": "I see it. We'll redeliver. Which number should the driver ring?"},
                 {"customer": f"{span('phone', mixed_d20(phone, [3, 3, 4], 0, rng, fillers=1))}."}]
    elif shape == 2:  # date of birth, then the social
        utts += [{"customer": "Hi, I'm calling about my pension statement."},
                 {"agent": "Date of birth first?"},
                 {"customer": "Twenty-third of the ninth, nineteen seventy eight."},
                 {"agent": "And your social security number."},
                 {"customer": f"{span('ssn', group_d20(ssn[:3], 0) + ', ' + group_d20(ssn[3:5], 0) + ', ' + group_d20(ssn[5:], 1))}."}]
    elif shape == 3:  # an extension read back, then a phone fast
        utts += [{"customer": "Hi, I was told to ask for extension four four one two."},
                 {"agent": "Four four one two, that's claims. They're busy, can they call you back?"},
                 {"customer": f"Yeah, on {span('phone', plain_d20(phone))}, any time after three."}]
    else:  # an invoice number, then the card's last group put right
        groups = chunks_d20(number, [4, 4, 4, 4])
        bad = groups[3][:3] + wrong_digit(groups[3][3], rng)
        utts += [{"customer": f"Hi, I'm paying invoice {plain_d20(order[:6])}."},
                 {"agent": "Thanks, that's one forty-five fifty. Card number?"},
                 {"customer": f"{span('card', ', '.join(group_d20(g, 1) for g in groups[:3]) + ', ' + group_d20(bad, 1))}."},
                 {"agent": "And the expiry?"},
                 {"customer": f"Oh wait, the last bit's {span('card', group_d20(groups[3], 1) + ', not ' + group_d20(bad, 1))}. "
                              f"And it's {span('expiry', two_digits(f'{rng.randrange(1, 13):02d}') + ' ' + two_digits(str(rng.randrange(27, 33))))}."}]
    utts += [{"agent": "All sorted. Anything else?"}, {"customer": "No, thanks, bye."}]
    return utts


def fp_call_d21(i: int, rng: random.Random) -> list[dict]:
    """Numbers that are no personal data, read fast, in groups, put right: amounts, orders, dates, extensions."""
    order = luhn_failing(16, rng)
    invoice = luhn_failing(10, rng)
    firm, agent = FIRMS_D20[i % 4], AGENTS_D20[(i + 1) % 4]
    calls = [
        [{"customer": "Hi, my bill says three hundred and twelve, no, sorry, three hundred and twenty one pounds."},
         {"agent": "Yes, three twenty one eighteen, that includes the forty five pound late fee."},
         {"customer": "Can I pay it in two lots, one sixty and one sixty one eighteen?"}],
        [{"customer": "I'm chasing an order."},
         {"agent": "Order number?"},
         {"fast": f"{mixed_d20(order, [4, 4, 4, 4], 0, rng)}."},
         {"agent": "Got it, it's out for delivery between ten and two."}],
        [{"customer": f"Hi, invoice {mixed_d20(invoice, [3, 3, 4], 0, rng, fillers=1)}, it's been charged twice."},
         {"agent": "I see two payments of eighty nine ninety nine. I'll refund one, five to seven working days."}],
        [{"customer": "When's my next appointment?"},
         {"agent": "The twenty-third of the ninth at two fifteen, or the first of October at nine."},
         {"customer": "The twenty-third, please, twenty-three, zero nine."}],
        [{"customer": "Which extension is billing?"},
         {"agent": "Extension four four one two, or four four one three if that's busy."},
         {"customer": "Four four one two, four four one three, thanks."}],
        [{"customer": "Can you give me the tracking number?"},
         {"agent": f"Sure, {plain_d20(order[:12])}, then {plain_d20(order[12:])}."},
         {"customer": f"{mixed_d20(order[:12], [3, 3, 3, 3], 0, rng)}, {plain_d20(order[12:])}, got it."}],
        [{"customer": "My policy reference is P R, eighty one, two four seven, three three five nine."},
         {"agent": "Thanks. Your renewal is on the fourteenth of March, twelve months at twenty eight forty a month."}],
        [{"customer": "What time do you close?"},
         {"agent": "Eight tonight, and nine till five on Saturday. The branch at one twenty two High Street shuts at four."},
         {"customer": "Okay, I'll come at, um, three thirty, three forty-five."}],
        [{"customer": "How many units did I use last quarter?"},
         {"agent": "Two thousand four hundred and eleven, against nineteen eighty six the quarter before."},
         {"customer": "And the meter reading you've got?"},
         {"agent": f"{mixed_d20(str(rng.randrange(10**5, 10**6)), [3, 3], 0, rng)}, taken on the second."}],
        [{"customer": "Hi, I've got a code from your letter."},
         {"agent": "Go ahead."},
         {"customer": f"{plain_d20(invoice[:3])}, {plain_d20(invoice[3:5])}, {plain_d20(invoice[5:9])}."},
         {"agent": "That's the claim reference, thanks. It's been approved for six hundred and fifty."}],
    ]
    return [{"agent": f"{firm}, {agent} speaking."}] + calls[i % len(calls)] + [{"customer": "Okay, thanks, bye."}]


# --- t7 (issue 14, round 7): a fresh test batch by another new writer -----------------------------------------
# Test, never tuned on; written without reading the detector's code, its cue lists or t6's scripts, and measured first
# with the detector as main had it at 0ba3be6. Other firms (Harbor Lane Insurance, Pinecrest Energy, Lumen Telecom,
# Corvid Credit Union) and habits the earlier batches have little of: cards read digit by digit with "double" and
# "triple" (numbers made with runs), in pairs and hundreds (an Amex as "three seven twelve, four hundred and six ..."),
# a reading restarted mid-number ("sorry, let me start again"), the agent reading the number back (labelled: it is
# said in clear), a customer reading the card over four turns with the agent's "mm-hm" between (sometimes
# overtalking), SSNs with "dash" between the groups, phone numbers with a country code ("plus one", "plus four four",
# "plus sixty-one", "double oh three five three") and extensions, e-mail addresses spelled letter by letter with
# "as in", "underscore", "dash", "all one word"; a relative and a colleague speaking on the customer's line, a
# colleague of the agent reading back after a hold; line noise down to 10 dB SNR, mu-law, espeak-ng voices the
# earlier batches never used. And calls full of numbers that are no personal data: amounts, dates, times, order and
# ticket numbers that fail Luhn read in fours with "double", a reference read with dashes like a social, counts,
# extensions, a meter reading, a zip code.

NAMES7 = ["dolores", "kwabena", "ingrid", "rohan", "bettina", "thaddeus", "noor", "callum", "yusuf", "marisol"]
SURNAMES7 = ["ferreira", "oyelaran", "lindqvist", "mcallister", "abernathy", "tran", "desrosiers", "pellegrini"]
DOMAINS7 = [("outlook", "com"), ("protonmail", "com"), ("harborlane", "net"), ("icloud", "com"), ("hotmail", "co dot uk")]
ACKS7 = ["Mm-hm.", "Mm-hm, yep.", "Okay, mm-hm.", "Right.", "Uh-huh, go on.", "Mm-hm, got that."]
FIRMS7 = ["Harbor Lane Insurance", "Pinecrest Energy", "Lumen Telecom", "Corvid Credit Union"]
SPELL7 = {"a": "apple", "b": "boston", "c": "charlie", "d": "dog", "e": "edward", "f": "frank", "g": "golf",
          "h": "harry", "i": "india", "k": "king", "l": "london", "m": "mike", "n": "nora", "o": "ocean",
          "p": "peter", "r": "robert", "s": "sam", "t": "tango", "u": "uniform", "w": "william", "y": "yellow"}


def with_runs(prefix: str, length: int, rng: random.Random) -> str:
    """A Luhn-valid number whose digits often repeat ("double five", "triple oh")."""
    body = prefix
    while len(body) < length - 1:
        if rng.random() < 0.22 and body[-1] != (body[-2:-1] or "x"):
            body += body[-1] * rng.choice([1, 1, 2])
        body += rng.choice([d for d in "0123456789" if d != body[-1]])
    return luhn_complete(body[:length - 1], length, rng)


def hundreds_7(digits: str, rng: random.Random) -> str:
    """An even or odd group said in pairs and hundreds: 3 digits as "four twelve", 2 as "forty-one"."""
    chunks, pos = [], 0
    while pos < len(digits):
        size = 3 if (len(digits) - pos) in (3, 5) or ((len(digits) - pos) > 4 and rng.random() < 0.5) else 2
        chunk = digits[pos:pos + size]
        chunks.append(hundreds_6(chunk, rng) if size == 3 and chunk[0] != "0" else
                      (singles_6(chunk) if size == 3 else pair_6(chunk)))
        pos += size
    return " ".join(chunks)


def expiry_7(rng: random.Random) -> str:
    month, year = rng.randrange(1, 13), rng.randrange(27, 33)
    return rng.choice([f"{pair_6(f'{month:02d}')} {small_number(year)}", f"the end of {MONTHS[month - 1]} {small_number(year)}",
                       f"{MONTHS[month - 1]} two thousand {small_number(year)}",
                       f"{singles_6(f'{month:02d}')} slash {singles_6(str(year))}"])


def cvv_7(length: int, rng: random.Random) -> str:
    code = with_runs(str(rng.randrange(10)), length + 1, rng)[:length]
    return say_digits(code, "double", rng)


def card_call_7(i: int, rng: random.Random) -> list[dict]:
    """One card per call in one of eight habits, then its expiry and code."""
    firm = FIRMS7[i % len(FIRMS7)]
    amex = i in (1, 5)
    number = with_runs(rng.choice(["37", "34"]), 15, rng) if amex else with_runs(rng.choice(["4", "52", "6011"]), 16, rng)
    sizes = [4, 6, 5] if amex else [4, 4, 4, 4]
    groups = [number[sum(sizes[:n]):sum(sizes[:n + 1])] for n in range(len(sizes))]
    runs = [say_digits(g, "double", rng) for g in groups]
    utts: list[dict] = [{"agent": f"{firm}, payments desk, you're through to {rng.choice(['Hollis', 'Mae', 'Dev'])}."},
                        {"customer": rng.choice(["Hiya, I want to pay off what I owe on my policy.",
                                                 "Hello, yes, I'd like to settle my bill today, by card.",
                                                 "Hi there, the direct debit bounced so I'll pay by card now."])},
                        {"agent": rng.choice(["No problem. What's the card number?", "Lovely. Card number when you're ready.",
                                              "Sure thing, go ahead with the long number."])}]
    style = i % 8
    if style == 0:  # digit by digit with double and triple, in one go
        utts.append({"customer": f"Okay so it's {span('card', ', '.join(runs))}."})
    elif style in (1, 5):  # an Amex in pairs and hundreds
        said = ", ".join(hundreds_7(g, rng) for g in groups)
        utts.append({"customer": f"It's an Amex, {span('card', said)}."})
    elif style == 2:  # restarted mid-number
        cut = rng.choice([6, 7, 9])
        first = say_digits(number[:cut], "double", rng)
        again = rng.choice(["sorry, hang on, I'll start again.", "no wait, that's wrong, let me start over.",
                            "ugh, sorry, from the top."])
        utts.append({"customer": f"Yeah, {span('card', f'{first}, um, {again} ' + ', '.join(runs))}."})
    elif style == 3:  # read back by the agent, confirmed
        utts += [{"customer": f"{span('card', ', '.join(pairs_6(g) for g in groups))}."},
                 {"agent": f"Let me read that back. {span('card', fours_6(number))}?"},
                 {"customer": "Yep, that's it."}]
    elif style == 4:  # over four turns, the agent's "mm-hm" between
        for n, group in enumerate(runs):
            lead = "Right, " if n == 0 else ""
            utts.append({"customer": f"{lead}{span('card', group)}{'.' if n == 3 else '...'}",
                         **({"gap": 0.35} if n else {})})
            if n < 3:
                utts.append({"agent": rng.choice(ACKS7), "gap": rng.choice([-0.15, 0.2, 0.3])})
    elif style == 6:  # a colleague at the customer's office reads the company card
        utts += [{"customer": "Hang on, my colleague has the company card, I'll put her on."},
                 {"colleague": "Hi. Right, the card number is", "gap": 0.9},
                 {"colleague": f"{span('card', ', '.join(runs[:2]))},", "gap": 0.3},
                 {"agent": rng.choice(ACKS7), "gap": 0.25},
                 {"colleague": f"{span('card', ', '.join(pairs_6(g) for g in groups[2:]))}.", "gap": 0.3}]
    else:  # said in pairs with a slip, the agent reads it back from the screen after a hold
        utts += [{"customer": f"{span('card', ', '.join(pairs_6(g) for g in groups))}."},
                 {"agent": "Let me just check that with my colleague, one moment."},
                 {"hold": 5.0},
                 {"agent_2": f"Hello, I've got the card here as {span('card', ', '.join(runs))}, is that right?"},
                 {"customer": "That's right, yes."}]
    speaker = "colleague" if style == 6 else "customer"
    after = "agent_2" if style == 7 else "agent"
    utts += [{after: rng.choice(["And the expiry?", "Expiry date on it?", "What's the valid-to date?"])},
             {speaker: f"{span('expiry', expiry_7(rng))}."},
             {after: rng.choice(["And the security code on the back.", "Then the three digits on the back, please.",
                                 "And the CVV?"]) if not amex else "And the four-digit code on the front?"},
             {speaker: f"{rng.choice(['', 'Um, ', 'It is '])}{span('cvv', cvv_7(4 if amex else 3, rng))}."},
             {after: f"Thank you, that's {rng.choice(['one hundred and twelve pounds', 'sixty-four fifty', 'two hundred dollars'])} "
                     f"taken, reference will come by text."},
             {"customer": rng.choice(["Brilliant, cheers.", "Okay thanks, bye.", "Thank you, bye now."])}]
    if i % 2 == 0:  # an e-mail for the receipt, spelled
        utts[-1:-1] = [{"customer": "Can you e-mail me the receipt?"},
                       {after: "Sure, what's the address?"},
                       {"customer": f"{span('email', email_address_7(i + 3, rng))}."}]
    return utts


def ssn_7(rng: random.Random) -> str:
    area = rng.choice([rng.randrange(1, 666), rng.randrange(667, 900)])
    return f"{area:03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10000):04d}"


def ssn_said_7(digits: str, i: int, rng: random.Random) -> str:
    groups = [digits[:3], digits[3:5], digits[5:]]
    if i % 3 == 0:
        return " dash ".join(singles_6(g) for g in groups)
    if i % 3 == 1:
        return f"{hundreds_6(groups[0], rng) if groups[0][0] != '0' else singles_6(groups[0])}, dash, {pair_6(groups[1])}, dash, {pairs_6(groups[2])}"
    return ", dash, ".join(say_digits(g, "double", rng) for g in groups)


def phone_7(rng: random.Random) -> str:
    return rng.choice(["303", "646", "718", "971", "602"]) + f"{rng.randrange(2, 10)}{rng.randrange(10)}{rng.randrange(10)}" \
        + f"{rng.randrange(10000):04d}"


def id_call_7(i: int, rng: random.Random) -> list[dict]:
    """Security questions: the social with "dash", a member number, a phone with an extension."""
    ssn = ssn_7(rng)
    member = with_runs(str(rng.randrange(1, 10)), rng.choice([8, 9, 10]), rng)
    phone = phone_7(rng)
    ext = "".join(str(rng.randrange(10)) for _ in range(rng.choice([3, 4])))
    member_said = say_digits(member, "double", rng) if i % 2 else hundreds_7(member, rng)
    phone_said = ", ".join(say_digits(g, "double", rng) for g in (phone[:3], phone[3:6], phone[6:]))
    return [{"agent": "Corvid Credit Union, member services, Ayo speaking."},
            {"customer": rng.choice(["Hi, I got locked out of online banking again.", "Hello, I need to change my address.",
                                     "Yeah hi, there's a payment on my account I don't recognise."])},
            {"agent": "I can help. First I need to verify you. Your social security number, please?"},
            {"customer": f"{rng.choice(['Sure, ', 'Okay, ', ''])}{span('ssn', ssn_said_7(ssn, i, rng))}."},
            {"agent": "Thanks. And your member number?"},
            {"customer": f"Let me find it... {span('account', member_said)}."},
            {"agent": "And a daytime number in case we get cut off?"},
            {"customer": f"Work is best, {span('phone', f'{phone_said}, extension {singles_6(ext)}')}."},
            {"agent": f"Lovely, you're verified. {rng.choice(['I have reset the login.', 'The address is updated.', 'I have blocked that payment.'])}"},
            {"customer": "Great, thanks for your help."}]


def intl_call_7(i: int, rng: random.Random) -> list[dict]:
    """A callback number with a country code, and (in two calls) the agent's read-back."""
    code, rest = [("plus one", phone_7(rng)),
                  ("plus four four", "7" + "".join(str(rng.randrange(10)) for _ in range(9))),
                  ("plus sixty-one", "4" + "".join(str(rng.randrange(10)) for _ in range(8))),
                  ("double oh three five three", "8" + "".join(str(rng.randrange(10)) for _ in range(8)))][i % 4]
    if i % 4 == 0:
        said = ", ".join(say_digits(g, "double", rng) for g in (rest[:3], rest[3:6], rest[6:]))
    elif i % 4 == 1:
        said = f"{singles_6(rest[:4])}, {hundreds_6(rest[4:7], rng)}, {hundreds_6(rest[7:], rng)}"
    elif i % 4 == 2:
        said = f"{singles_6(rest[:3])}, {pairs_6(rest[3:5])}, {say_digits(rest[5:], 'double', rng)}"
    else:
        said = f"{pair_6(rest[:2])}, {say_digits(rest[2:5], 'double', rng)}, {pairs_6(rest[5:])}"
    utts: list[dict] = [{"agent": "Lumen Telecom roaming team, how can I help?"},
                        {"customer": rng.choice(["I'm abroad and my data stopped working.",
                                                 "Hi, I'm travelling and can't make calls, it's really annoying."])},
                        {"agent": "Sorry about that. What number can we reach you on while you're away?"},
                        {"customer": f"My local number here is {span('phone', f'{code}, {said}')}."}]
    if i % 2 == 0:
        utts += [{"agent": f"So that's {span('phone', f'{code}, {singles_6(rest)}')}."},
                 {"customer": "Correct."}]
    return utts + [{"agent": "I've reset the roaming profile. Restart the phone in five minutes."},
                   {"customer": "Will do, thanks."}]


def email_address_7(i: int, rng: random.Random) -> str:
    name, surname = rng.choice(NAMES7), rng.choice(SURNAMES7)
    domain, tld = rng.choice(DOMAINS7)
    spelled = ", ".join(f"{c} as in {SPELL7[c]}" if c in SPELL7 and rng.random() < 0.45 else c for c in surname)
    style = i % 5
    if style == 0:
        local = f"{', '.join(name)}, underscore, {spelled}"
    elif style == 1:
        local = f"{name[0]} as in {SPELL7.get(name[0], name)}, dash, {spelled}, {singles_6(str(rng.randrange(10, 99)))}"
    elif style == 2:
        local = f"{name}{surname}, all one word, that's {spelled}"
    elif style == 3:
        local = f"{', '.join(surname)}, dot, {name[0]}, underscore, {singles_6(str(rng.randrange(1980, 2005)))}"
    else:
        local = f"{name} dash {surname}, that's {spelled}, then {small_number(rng.randrange(11, 99))}"
    return f"{local}, at {domain} dot {tld}"


def email_call_7(i: int, rng: random.Random) -> list[dict]:
    """An address spelled letter by letter; in some calls a second one, or the agent's read-back."""
    address = email_address_7(i, rng)
    utts: list[dict] = [{"agent": f"{FIRMS7[(i + 1) % 4]}, online accounts, this is Bree."},
                        {"customer": "Hi, my password reset e-mail never arrives."},
                        {"agent": "Let me look. Which e-mail address is on the account?"},
                        {"customer": f"It should be {span('email', address)}."}]
    if i % 2 == 0:
        utts += [{"agent": "Hmm, I have it slightly different. Can you spell the part before the at again?"},
                 {"customer": f"Sure. {span('email', address.split(', at ')[0])}."}]
    else:
        utts += [{"agent": "Okay, and an alternative address, a work one maybe?"},
                 {"customer": f"Yeah, {span('email', email_address_7(i + 2, rng))}."}]
    return utts + [{"agent": "Found the problem, it was a typo. I've sent the link again."}, {"customer": "Got it, thank you."}]


def kin_call_7(i: int, rng: random.Random) -> list[dict]:
    """A relative on the customer's line reads the account holder's details while the customer prompts."""
    ssn, phone = ssn_7(rng), phone_7(rng)
    card = with_runs("4", 16, rng)
    utts: list[dict] = [{"agent": "Pinecrest Energy billing, it's Tom."},
                        {"customer": "Hi, I'm calling for my dad, he's here, he can't hear well on the phone."},
                        {"agent": "That's fine, but I need him to confirm he's happy for you to speak for him."},
                        {"relative": "Yes, yes, she can do it, that's my daughter.", "gap": 0.8}]
    if i == 0:
        utts += [{"agent": "Thank you. Can he give me his social?"},
                 {"relative": f"It's {span('ssn', ssn_said_7(ssn, 0, rng))}.", "gap": 0.6},
                 {"agent": "And the number we should call back on?"},
                 {"customer": f"Use mine, {span('phone', ', '.join(say_digits(g, 'double', rng) for g in (phone[:3], phone[3:6], phone[6:])))}."}]
    else:
        utts += [{"agent": "Thank you. How would you like to pay the arrears?"},
                 {"customer": "Dad, read her your card. The long number."},
                 {"relative": f"Okay, {span('card', ', '.join(say_digits(card[a:a + 4], 'double', rng) for a in (0, 4)))}...",
                  "gap": 1.0},
                 {"agent": rng.choice(ACKS7), "gap": 0.3},
                 {"relative": f"{span('card', ', '.join(say_digits(card[a:a + 4], 'plain', rng) for a in (8, 12)))}.",
                  "gap": 0.5},
                 {"agent": "And the expiry?"},
                 {"customer": f"It says {span('expiry', expiry_7(rng))}."}]
    return utts + [{"agent": "All done, the account is up to date."}, {"customer": "Thanks so much."}]


def fp_call_7(i: int, rng: random.Random) -> list[dict]:
    """No personal data, said the way t7's PII is: "double", fours, dashes, pairs and hundreds."""
    valid = with_runs(str(rng.randrange(1, 10)), 16, rng)
    order = valid[:-1] + str((int(valid[-1]) + rng.randrange(1, 10)) % 10)  # fails Luhn
    ticket = "".join(str(rng.randrange(10)) for _ in range(9))
    amount = rng.choice(["a hundred and forty-nine ninety-nine", "two thousand three hundred and eight dollars",
                         "eighty-seven pounds sixty", "three forty-five a month"])
    when = rng.choice(["the twenty-third of October twenty twenty-six", "oh nine twenty-eight", "March twenty-nine",
                       "the fourth, at half past two"])
    kind = i % 3
    if kind == 0:
        numbers = [{"customer": f"Hi, I'm chasing an order, the number is {', '.join(say_digits(order[a:a + 4], 'double', rng) for a in range(0, 16, 4))}."},
                   {"agent": f"Thanks. I see {rng.choice(['three', 'eleven', 'twenty-four'])} items, {amount}, "
                             f"due {when}."}]
    elif kind == 1:
        numbers = [{"customer": f"Hello, my ticket reference is {' dash '.join(singles_6(g) for g in (ticket[:3], ticket[3:5], ticket[5:]))}."},
                   {"agent": f"Got it. The engineer comes {when}, between {rng.choice(['eight and twelve', 'one and five'])}."}]
    else:
        meter = "".join(str(rng.randrange(10)) for _ in range(rng.choice([5, 6])))
        numbers = [{"customer": f"I want to give a meter reading, it's {say_digits(meter, 'double', rng)}."},
                   {"agent": f"Thanks, that's {hundreds_7(meter, rng)} units, so about {amount} for the quarter."}]
    return [{"agent": f"{FIRMS7[i % 4]}, how can I help?"}, *numbers,
            {"customer": f"Okay. My zip is {singles_6(str(rng.randrange(10000, 99999)))}, if that matters, and I'm on "
                         f"floor {small_number(rng.randrange(2, 40))}, room {hundreds_6(str(rng.randrange(100, 999)), rng)}."},
            {"agent": f"No need. If it happens again, call the team on extension {say_digits(str(rng.randrange(1000, 9999)), 'double', rng)}, "
                      f"open seven till nine, or quote case {pairs_6(''.join(str(rng.randrange(10)) for _ in range(6)))}."},
            {"customer": f"Right. I've been waiting {rng.choice(['forty-five minutes', 'two weeks', 'since twenty nineteen'])}, so."},
            {"agent": f"I know, sorry. I've added {rng.choice(['a twenty dollar credit', 'fifteen percent off', 'ten pounds'])}."},
            {"customer": "Fine. Bye."}]


def voices_7(rng: random.Random, name: str, i: int) -> dict:
    """Piper pitched and paced widely; some customers and agents espeak-ng voices no batch used before; a relative
    and a colleague on the customer's line; a second agent."""
    customer: dict = {"pitch": round(rng.uniform(0.8, 1.35), 2), "speed": round(rng.uniform(0.88, 1.15), 2)}
    agent: dict = {"pitch": round(rng.uniform(0.82, 1.08), 2), "speed": round(rng.uniform(0.92, 1.12), 2)}
    if i % 4 == 1:
        customer = {"engine": "espeak", "voice": rng.choice(["en-029+f2", "en-gb-x-gbcwmd+m4", "en-us-nyc+f4"]),
                    "pitch": 1.0, "speed": 0.92}
    elif i % 4 == 3:
        agent = {"engine": "espeak", "voice": rng.choice(["en-gb-x-gbclan+f3", "en-us-nyc+m2"]), "pitch": 1.0, "speed": 1.0}
    return {"agent": agent, "agent_2": {"pitch": round(rng.uniform(0.76, 0.9), 2), "speed": 1.02}, "customer": customer,
            "relative": {"pitch": 0.78, "speed": 0.86, "side": "right"},
            "colleague": {"pitch": 1.28, "speed": 1.08, "side": "right"}}


def voices_3(rng: random.Random) -> dict:
    """Speakers no rule was tuned on: agents and customers outside the first two batches' ranges where the voice
    stays clear (lower agents, faster customers), and a second agent for some calls."""
    agent = {"pitch": round(rng.uniform(0.72, 0.84), 2), "speed": round(rng.uniform(1.0, 1.22), 2)}
    customer = {"pitch": round(rng.choice([rng.uniform(0.7, 0.8), rng.uniform(1.3, 1.45)]), 2),
                "speed": round(rng.uniform(1.1, 1.25), 2)}
    return {"agent": agent, "customer": customer}


def voices_2(rng: random.Random) -> dict:
    """New speakers: the piper voice stretched further than in the first batch (higher and lower, slower and
    faster). (espeak-ng voices were tried on the dev calls: Whisper heard their "five" as "fine" throughout,
    a test of the synthesizer rather than of the detector.)"""
    agent = {"pitch": round(rng.uniform(0.8, 1.05), 2), "speed": round(rng.uniform(0.9, 1.15), 2)}
    customer = {"pitch": round(rng.uniform(0.8, 1.35), 2), "speed": round(rng.uniform(0.82, 1.15), 2)}
    return {"agent": agent, "customer": customer}


def split(n: int) -> str:
    """Every third call is dev, and the first and fourth call of each kind that would have none."""
    return "dev" if n % 3 == 0 or n in (1, 19, 2, 20, 5, 23) else "test"


def writer_batches(out: list[dict], batches: list[tuple[str, int, int, list[tuple[str, Any, int]]]],
                   agents: list[str], audio: Any) -> None:
    """Append a writer's dev batches to ``out``: per batch its own generator (``seed``) and fixed call seeds from
    ``base`` on; ``audio(rng)`` draws each call's line, then its voices (``voices_d16``) and utterances."""
    for batch, seed, base, makers in batches:
        rng_b = random.Random(seed)
        for prefix, maker, count in makers:
            for i in range(count):
                name = f"{batch}-{prefix}-{i + 1:02d}"
                out.append({
                    "file": f"{name}.flac",
                    "metadata": {"call_id": f"SP-{name}", "agent_id": f"a-{agents[i % 4].lower()}",
                                 "queue": "payments", "split": "dev"},
                    "seed": base + len([c for c in out if c["file"].startswith(f"{batch}-")]),
                    "audio": audio(rng_b),
                    "voices": voices_d16(rng_b, i),
                    "utterances": maker(i, rng_b),
                })


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
    # Second batch: its own generator, so the first 40 calls stay as they were; dev and test alternate
    # within each kind, so both splits get every kind and style.
    rng2 = random.Random(1414)
    batch = [("card", card_call_2, 14), ("id", identity_call, 14), ("mail", email_call_2, 8),
             ("fp2", false_positive_call_2, 10)]
    for prefix, maker, count in batch:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            n = len(out)
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": "a-maria", "queue": "cards",
                             "split": "dev" if i % 2 == 0 else "test"},
                "seed": n,
                "audio": {"mulaw": rng2.random() < 0.5, "snr_db": rng2.choice([12, 15, 20, 25]),
                          "crosstalk_db": rng2.choice([-30, -24]), "channel_gain_db": {"right": rng2.choice([0, -3, -6, -9])}},
                "voices": voices_2(rng2),
                "utterances": maker(i, rng2),
            })
    # Third batch: the test split. Every call of the first two batches is dev (the old test split was looked at
    # while tuning the detector); these were written before this round's detector changes and never tuned on.
    for call in out:
        call["metadata"]["split"] = "dev"
    rng3 = random.Random(143)
    batch3 = [("t3-card", card_call_3, 10), ("t3-id", contact_call_3, 6), ("t3-mail", email_call_3, 6),
              ("t3-fp", false_positive_call_3, 6)]
    for prefix, maker, count in batch3:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            n = len(out)
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": "a-rita", "queue": "billing", "split": "test"},
                "seed": n,
                "audio": {"mulaw": rng3.random() < 0.6, "snr_db": rng3.choice([10, 15, 20, 30]),
                          "crosstalk_db": rng3.choice([-30, -22]), "channel_gain_db": {"right": rng3.choice([0, -4, -8])}},
                "voices": voices_3(rng3),
                "utterances": maker(i, rng3),
            })
    # Fourth batch: the third batch's scripts again, said by voices in the range of the dev calls (and line noise
    # of 15-30 dB). The third batch's low agents and fast customers at 10-30 dB SNR left tiny.en at a word error
    # rate that measures the recogniser more than the detector (measured first and reported as it is); this batch
    # measures the same detector, unchanged, on the same wording heard as well as the dev calls are.
    rng4 = random.Random(144)
    for call in [copy.deepcopy(c) for c in out if c["file"].startswith("t3-")]:
        name = call["file"].replace("t3-", "t4-", 1).removesuffix(".flac")
        out.append({**call, "file": f"{name}.flac",
                    "metadata": {**call["metadata"], "call_id": f"SP-{name}"}, "seed": len(out),
                    "audio": {**call["audio"], "snr_db": rng4.choice([15, 20, 25, 30])},
                    "voices": voices_2(rng4)})
    # Fifth batch (t5): a fresh test split written before round 5's detector changes, measured with the detector
    # as it was first; never tuned on.
    rng5 = random.Random(145)
    batch5 = [("t5-card", card_call_5, 8), ("t5-id", identity_call_5, 6), ("t5-mail", email_call_5, 4),
              ("t5-xfer", transfer_call_5, 2), ("t5-fp", false_positive_call_5, 4)]
    for prefix, maker, count in batch5:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            n = len(out)
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": "a-gus", "queue": "payments", "split": "test"},
                "seed": n,
                "audio": {"mulaw": rng5.random() < 0.5, "snr_db": rng5.choice([15, 20, 25, 30]),
                          "crosstalk_db": rng5.choice([-30, -24]), "channel_gain_db": {"right": rng5.choice([0, -3, -6])}},
                "voices": voices_5(rng5, i),
                "utterances": maker(i, rng5),
            })
    # d5: a dev batch after t5's frozen measurement (see above); dev, tuned on.
    rng6 = random.Random(146)
    for prefix, maker, count in [("d5-card", card_call_d5, 8), ("d5-id", id_call_d5, 6), ("d5-fp", fp_call_d5, 3)]:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": "a-alan", "queue": "payments", "split": "dev"},
                "seed": len(out),
                "audio": {"mulaw": rng6.random() < 0.5, "snr_db": rng6.choice([15, 20, 25, 30]),
                          "crosstalk_db": -28, "channel_gain_db": {"right": rng6.choice([0, -3, -6])}},
                "voices": voices_2(rng6),
                "utterances": maker(i, rng6),
            })
    # t6: a fresh test batch by a new writer (see above), measured first with the detector frozen at db8ac2b.
    rng7 = random.Random(147)
    batch6 = [("t6-card", card_call_6, 7), ("t6-id", id_call_6, 5), ("t6-intl", intl_call_6, 4),
              ("t6-mail", email_call_6, 4), ("t6-kin", kin_call_6, 2), ("t6-fp", fp_call_6, 5)]
    for prefix, maker, count in batch6:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": "a-nia", "queue": "payments", "split": "test"},
                "seed": len(out),
                "audio": {"mulaw": rng7.random() < 0.5, "snr_db": rng7.choice([15, 20, 25, 30]),
                          "crosstalk_db": rng7.choice([-30, -24]), "channel_gain_db": {"right": rng7.choice([0, -3, -6])}},
                "voices": voices_6(rng7, name, i),
                "utterances": maker(i, rng7),
            })
    # d6 (round 6): a dev batch for what t5 still showed, in other words (see above); dev, tuned on. Its seeds are
    # fixed (not the call's position), so a batch added before it leaves its audio as it is.
    rng_d6 = random.Random(1460)
    for prefix, maker, count in [("d6-card", card_call_d6, 8), ("d6-id", id_call_d6, 5), ("d6-fp", fp_call_d6, 4)]:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": "a-priya", "queue": "payments", "split": "dev"},
                "seed": 6000 + len([c for c in out if c["file"].startswith("d6-")]),
                "audio": {"mulaw": rng_d6.random() < 0.5, "snr_db": rng_d6.choice([15, 20, 25, 30]),
                          "crosstalk_db": rng_d6.choice([-30, -26]), "channel_gain_db": {"right": rng_d6.choice([0, -3, -6])}},
                "voices": voices_5(rng_d6, i),
                "utterances": maker(i, rng_d6),
            })
    # d7 (round 7): a dev batch in the styles the dev batches lack (see above); dev, tuned on. Own generator and fixed
    # seeds, so the batches before it stay byte for byte as they were.
    rng_d7 = random.Random(1470)
    for prefix, maker, count in [("d7-card", card_call_d7, 9), ("d7-id", id_call_d7, 6), ("d7-mail", email_call_d7, 5),
                                 ("d7-fp", fp_call_d7, 6)]:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": "a-nadia", "queue": "payments", "split": "dev"},
                "seed": 7000 + len([c for c in out if c["file"].startswith("d7-")]),
                "audio": {"mulaw": rng_d7.random() < 0.5, "snr_db": rng_d7.choice([15, 20, 25, 30]),
                          "crosstalk_db": rng_d7.choice([-30, -26]), "channel_gain_db": {"right": rng_d7.choice([0, -3, -6])}},
                "voices": voices_d7(rng_d7, i),
                "utterances": maker(i, rng_d7),
            })
    # t7 (round 7): a fresh test batch by another new writer (see above), measured first with the detector as main had
    # it at 0ba3be6. Own generator and fixed seeds (7500 on; d7 has 1470 and 7000 on), so the batches before it keep
    # their audio.
    rng_t7 = random.Random(1477)
    batch7 = [("t7-card", card_call_7, 8), ("t7-id", id_call_7, 6), ("t7-intl", intl_call_7, 4),
              ("t7-mail", email_call_7, 5), ("t7-kin", kin_call_7, 2), ("t7-fp", fp_call_7, 6)]
    for prefix, maker, count in batch7:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": "a-hollis", "queue": "payments", "split": "test"},
                "seed": 7500 + len([c for c in out if c["file"].startswith("t7-")]),
                "audio": {"mulaw": rng_t7.random() < 0.5, "snr_db": rng_t7.choice([10, 14, 18, 22, 28]),
                          "crosstalk_db": rng_t7.choice([-30, -24, -20]),
                          "channel_gain_db": {"right": rng_t7.choice([0, -4, -8])}},
                "voices": voices_7(rng_t7, name, i),
                "utterances": maker(i, rng_t7),
            })
    # d8 (round 8): a dev batch for account numbers, security codes and expiry dates (see above); dev, tuned on. Own
    # generator (1480) and fixed seeds (8000 on), so the batches before it stay byte for byte as they were.
    rng_d8 = random.Random(1480)
    for prefix, maker, count in [("d8-acct", account_call_d8, 7), ("d8-card", card_call_d8, 6),
                                 ("d8-fp", fp_call_d8, 4)]:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": "a-odile", "queue": "payments", "split": "dev"},
                "seed": 8000 + len([c for c in out if c["file"].startswith("d8-")]),
                "audio": {"mulaw": rng_d8.random() < 0.5, "snr_db": rng_d8.choice([15, 20, 25, 30]),
                          "crosstalk_db": rng_d8.choice([-30, -26]), "channel_gain_db": {"right": rng_d8.choice([0, -3, -6])}},
                "voices": voices_5(rng_d8, i),
                "utterances": maker(i, rng_d8),
            })
    # d9 (round 9): a dev batch for security codes and expiry dates said after a card (see above); dev, tuned on. Own
    # generator (1490) and fixed seeds (9000 on), so the batches before it stay byte for byte as they were.
    rng_d9 = random.Random(1490)
    for prefix, maker, count in [("d9-card", card_call_d9, 20), ("d9-fp", fp_call_d9, 6)]:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": "a-odile", "queue": "payments", "split": "dev"},
                "seed": 9000 + len([c for c in out if c["file"].startswith("d9-")]),
                "audio": {"mulaw": rng_d9.random() < 0.5, "snr_db": rng_d9.choice([15, 20, 25, 30]),
                          "crosstalk_db": rng_d9.choice([-30, -26]), "channel_gain_db": {"right": rng_d9.choice([0, -3, -6])}},
                "voices": voices_5(rng_d9, i),
                "utterances": maker(i, rng_d9),
            })
    # d10 (round 10): a dev batch by a new writer, hard like real calls (see above); dev, tuned on. Own generator
    # (1500) and fixed seeds (10000 on), so the batches before it stay byte for byte as they were.
    rng_d10 = random.Random(1500)
    for prefix, maker, count in [("d10-card", card_call_d10, 10), ("d10-id", id_call_d10, 6),
                                 ("d10-mail", mail_call_d10, 3), ("d10-fp", fp_call_d10, 6)]:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": "a-rhian", "queue": "payments", "split": "dev"},
                "seed": 10000 + len([c for c in out if c["file"].startswith("d10-")]),
                "audio": {"mulaw": rng_d10.random() < 0.6, "snr_db": rng_d10.choice([12, 15, 18, 22, 25]),
                          "crosstalk_db": rng_d10.choice([-30, -26, -22]),
                          "channel_gain_db": {"right": rng_d10.choice([0, -3, -6])}},
                "voices": voices_d10(rng_d10, i),
                "utterances": maker(i, rng_d10),
            })
    # d11 (round 11): a dev batch of e-mail addresses said the hard ways (see above); dev, tuned on. Own generator (1600)
    # and fixed seeds (11000 on), so the batches before it stay byte for byte as they were.
    rng_d11 = random.Random(1600)
    for prefix, maker, count in [("d11-mail", mail_call_d11, 8), ("d11-fp", fp_call_d11, 2)]:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": "a-niamh", "queue": "billing", "split": "dev"},
                "seed": 11000 + len([c for c in out if c["file"].startswith("d11-")]),
                "audio": {"mulaw": rng_d11.random() < 0.6, "snr_db": rng_d11.choice([15, 18, 22, 25]),
                          "crosstalk_db": rng_d11.choice([-30, -26]),
                          "channel_gain_db": {"right": rng_d11.choice([0, -3, -6])}},
                "voices": voices_d10(rng_d11, i),
                "utterances": maker(i, rng_d11),
            })
    # d13 (round 13): a dev batch for the re-decode of answers (see above); dev, tuned on. Own generator (1800) and
    # fixed seeds (13000 on), so the batches before it stay byte for byte as they were.
    rng_d13 = random.Random(1800)
    for prefix, maker, count in [("d13-card", card_call_d13, 6), ("d13-id", id_call_d13, 4), ("d13-fp", fp_call_d13, 2)]:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": "a-priya", "queue": "payments", "split": "dev"},
                "seed": 13000 + len([c for c in out if c["file"].startswith("d13-")]),
                "audio": {"mulaw": rng_d13.random() < 0.6, "snr_db": rng_d13.choice([12, 15, 18, 22]),
                          "crosstalk_db": rng_d13.choice([-30, -26, -22]),
                          "channel_gain_db": {"right": rng_d13.choice([0, -3, -6])}},
                "voices": voices_d10(rng_d13, i),
                "utterances": maker(i, rng_d13),
            })
    # d12 (round 12): a dev batch by a new writer (see above); dev. Own generator (1700) and fixed seeds (12000 on), so
    # the batches before it stay byte for byte as they were.
    rng_d12 = random.Random(1700)
    for prefix, maker, count in [("d12-mail", mail_call_d12, 12), ("d12-card", card_call_d12, 6), ("d12-fp", fp_call_d12, 3)]:
        for i in range(count):
            name = f"{prefix}-{i + 1:02d}"
            out.append({
                "file": f"{name}.flac",
                "metadata": {"call_id": f"SP-{name}", "agent_id": f"a-{AGENTS_D12[i % 3].lower()}", "queue": "billing",
                             "split": "dev"},
                "seed": 12000 + len([c for c in out if c["file"].startswith("d12-")]),
                "audio": {"mulaw": rng_d12.random() < 0.5, "snr_db": rng_d12.choice([15, 18, 22, 25]),
                          "crosstalk_db": rng_d12.choice([-30, -26]),
                          "channel_gain_db": {"right": rng_d12.choice([0, -3, -6])}},
                "voices": voices_5(rng_d12, i),
                "utterances": maker(i, rng_d12),
            })
    # d14 and d15 (round 14): dev batches by a new writer (see above); dev, tuned on. Own generators (1900, 1950) and
    # fixed seeds (14000 and 15000 on), so the batches before them stay byte for byte as they were.
    for batch, seed, base, makers in [("d14", 1900, 14000, [("card", card_call_d14, 8), ("id", contact_call_d14, 6),
                                                              ("mail", mail_call_d14, 6)]),
                                      ("d15", 1950, 15000, [("real", real_call_d15, 10), ("fp", fp_call_d15, 10)])]:
        rng_b = random.Random(seed)
        for prefix, maker, count in makers:
            for i in range(count):
                name = f"{batch}-{prefix}-{i + 1:02d}"
                out.append({
                    "file": f"{name}.flac",
                    "metadata": {"call_id": f"SP-{name}", "agent_id": f"a-{AGENTS_D14[i % 4].lower()}",
                                 "queue": "payments", "split": "dev"},
                    "seed": base + len([c for c in out if c["file"].startswith(f"{batch}-")]),
                    "audio": {"mulaw": rng_b.random() < 0.75, "snr_db": rng_b.choice([10, 12, 15, 18]),
                              "crosstalk_db": rng_b.choice([-26, -22]),
                              "channel_gain_db": {"right": rng_b.choice([-3, -6, -9])}},
                    "voices": voices_d15(rng_b, i),
                    "utterances": maker(i, rng_b),
                })
    # d16 and d17 (round 16): dev batches by a new writer (see above); dev, tuned on. Own generators (2000, 2050) and
    # fixed seeds (16000 and 17000 on), so the batches before them stay byte for byte as they were.
    writer_batches(out, [("d16", 2000, 16000, [("card", card_call_d16, 8), ("id", id_call_d16, 6),
                                               ("mail", mail_call_d16, 6)]),
                         ("d17", 2050, 17000, [("real", real_call_d17, 10), ("fp", fp_call_d17, 10)])],
                   AGENTS_D16, lambda rng: {"mulaw": rng.random() < 0.7, "snr_db": rng.choice([8, 10, 12, 15]),
                                            "crosstalk_db": rng.choice([-26, -22]),
                                            "channel_gain_db": {"right": rng.choice([0, -3, -6])}})
    # d18 and d19 (round 17): dev batches by a new writer (see above); dev, tuned on. Own generators (2100, 2150) and
    # fixed seeds (18000 and 19000 on), so the batches before them stay byte for byte as they were.
    writer_batches(out, [("d18", 2100, 18000, [("card", card_call_d18, 8), ("id", id_call_d18, 6),
                                               ("mail", mail_call_d18, 6)]),
                         ("d19", 2150, 19000, [("real", real_call_d19, 10), ("fp", fp_call_d19, 10)])],
                   AGENTS_D18, lambda rng: {"mulaw": rng.random() < 0.6, "snr_db": rng.choice([10, 12, 15, 20]),
                                            "crosstalk_db": rng.choice([-28, -24]),
                                            "channel_gain_db": {"right": rng.choice([0, -3, -6])}})
    # d20 and d21 (round 18): dev batches by a new writer (see above); dev, tuned on. Own generators (2200, 2250) and
    # fixed seeds (20000 and 21000 on), so the batches before them stay byte for byte as they were.
    writer_batches(out, [("d20", 2200, 20000, [("card", card_call_d20, 8), ("id", id_call_d20, 6),
                                               ("mail", mail_call_d20, 6)]),
                         ("d21", 2250, 21000, [("real", real_call_d21, 10), ("fp", fp_call_d21, 10)])],
                   AGENTS_D20, lambda rng: {"mulaw": rng.random() < 0.75, "snr_db": rng.choice([7, 9, 11, 14]),
                                            "crosstalk_db": rng.choice([-26, -22]),
                                            "channel_gain_db": {"right": rng.choice([0, -3, -6])}})
    header = "# Generated by make_scripts.py: edit that, not this file.\n"
    text = yaml.safe_dump({"defaults": {"audio": {"telephone": True}}, "calls": out}, sort_keys=False, width=120)
    (HERE / "calls.yaml").write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    main()
