"""Ordering: identity verification happens before any account details are discussed.

Read sentence by sentence. Account details are fixed phrases ("your balance") and account *actions*
(an action verb with an account object: "I've frozen the card", "the subscription was cancelled", "I can
see both charges"). A sentence in which the agent asks for an identifier ("what is your account number?")
is verification, never an account detail; an apology that echoes the customer's own words ("sorry your
card is being declined") is not an account detail either.
"""

from __future__ import annotations

import re

from qa_toolkit.scoring import semantic, text
from qa_toolkit.scoring.callturns import side
from qa_toolkit.scoring.checks import CheckResult, Evidence, Params, on_channel, quote
from qa_toolkit.scoring.semantic import Exemplars, Hit
from qa_toolkit.scoring.view import InteractionView, TurnView

VERIFICATION = (
    "verify your identity", "verify your account", "confirm your identity", "verify you", "confirm your date of birth",
    "your date of birth", "date of birth", "security question", "security answer", "passcode",
    "last four digits", "last 4 digits", "postcode", "post code", "zip code", "confirm your full name",
    "confirm your address", "confirm the email", "confirm your email", "verification code", "one-time code",
    "mother's maiden name", "for security", "security purposes", "verify a few details", "identity check",
    "confirm a few details", "you're verified", "you are verified", "thanks for verifying", "verified",
    "for verification", "through security", "passed security", "security check", "security word",
    "memorable word",
    # a memorable answer or passcode read in characters ("the 2nd and 5th characters of your memorable answer")
    "memorable answer", "characters of your", "characters from your",
    # the answer confirmed against the file (chatrest, dev ld-0941..1000): "Thank you for the details, which match
    # our records", "That matches."
    "match our records", "matches our records", "that matches", "that all matches", "everything matches",
    "details match",
)
# the last few digits of anything on file ("the last three digits of the meter's serial number"), a code sent to
# the customer ("I send now a six digit code by text")
VERIFICATION_REGEXES = (
    r"\blast\s+(?:two|three|four|five|six|\d)\s+(?:digits|characters|numbers)\b",
    r"\b(?:send|sent|sending|text|texted|texting|ping|pinged|pinging)\s+(?:you\s+)?(?:now\s+)?an?\s+"
    r"(?:[\w-]+\s+){0,3}?code\b",
    # a code the customer reads from an app ("the six digit code from your authenticator app"), a check said plainly
    # ("I'll just make sure it's you first": first read on calls only, chats say it too, chatrest dev ld-0949)
    # "For your security, please tell me which was your last purchase" (a request: not "For your security, we are
    # unable to share account information", dev ld-0041)
    r"\bfor\s+your\s+(?:security|safety|protection)\b[^.!?]{0,80}?(?:\?|\bplease\b|\b(?:confirm|tell\s+me|give\s+me|"
    r"provide)\b)",
    # (from an app only: "The code in your text had a typo" is no check, dev ld-0871)
    r"\bcode\s+from\s+(?:your|the)\s+(?:[\w-]+\s+){0,2}?(?:app|authenticator|token)\b",
    r"\b(?:make\s+sure|check|know|confirm)\s+(?:that\s+)?it(?:'s|\s+is)\s+(?:really\s+)?you\b",
)
ACCOUNT_DETAILS = (
    "your balance", "balance is", "balance of", "your account shows", "your account has", "on your account",
    "your last payment", "your payment of", "your order", "your statement", "outstanding amount",
    "amount due", "you owe", "your bill", "your invoice", "your subscription", "your plan", "your card ending",
    "the card ending",
    "address on file", "your transactions", "the charge of", "charges on", "your refund", "overdue",
    "your loan", "your arrears", "your debt", "payment plan", "missed payment", "to your account",
    "from your account", "your profile", "on your profile", "your contact details", "your card", "the bill",
    "duplicate charge", "your direct debit", "your account number", "your premium", "your policy",
)
# what an account action acts on (account-level things; documents such as invoices, and a payment or refund on
# its own, are not: "I've sent the invoice" is no account detail), and the action verbs
_OBJECTS = (
    r"(?:accounts?|cards?|subscriptions?|plans?|tariffs?|contracts?|charges?|chargebacks?|"
    r"disputes?|limits?|balances?|bills?|direct\s+debits?|standing\s+orders?|credits?|"
    r"fees?|discounts?|data|boosts?|bundles?|allowances?|(?:postal\s+|billing\s+)?address(?:es)?|"
    r"transactions?|cancellations?|loans?|polic(?:y|ies)|premiums?|mandates?|overdrafts?|holds?)"
)
_VERBS = (
    r"(?:refund(?:ed|ing)?|credit(?:ed|ing)?|cancell?(?:ed|ing)?|cancel|froze|frozen|freez(?:e|ing)|"
    r"(?:un)?block(?:ed|ing)?|(?:un)?lock(?:ed|ing)?|suspend(?:ed|ing)?|reactivat(?:e|ed|ing)|clos(?:e|ed|ing)|"
    r"open(?:ed|ing)?|switch(?:ed|ing)?|chang(?:e|ed|ing)|upgrad(?:e|ed|ing)|downgrad(?:e|ed|ing)|add(?:ed|ing)?|"
    r"remov(?:e|ed|ing)|appl(?:y|ied|ying)|waiv(?:e|ed|ing)|revers(?:e|ed|ing)|issu(?:e|ed|ing)|"
    r"updat(?:e|ed|ing)|rais(?:e|ed|ing)|lower(?:ed|ing)?|increas(?:e|ed|ing)|reduc(?:e|ed|ing)|sent|"
    r"dispatch(?:ed|ing)?|process(?:ed|ing)?|extend(?:ed|ing)?|renew(?:ed|ing)?|paus(?:e|ed|ing)|set\s+up|reset)"
)
_PARTICIPLES = (
    r"(?:refunded|credited|cancell?ed|frozen|(?:un)?blocked|(?:un)?locked|suspended|reactivated|closed|opened|"
    r"switched|changed|upgraded|downgraded|added|removed|applied|waived|reversed|issued|updated|raised|"
    r"lowered|increased|reduced|sent|dispatched|processed|extended|renewed|paused|set\s+up|reset)"
)
# a day something happened to the customer's order or application: "today", "last week", "on the third", "on Monday"
_WHEN = (r"(?:today|yesterday|this\s+(?:morning|afternoon|week)|last\s+(?:night|week|month|\w+day)|on\s+(?:the\s+)?"
         r"(?:\d+(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\w+teenth|"
         r"twent\w+|thirt\w+|\w+day)\b(?!s))")
ACCOUNT_ACTION_REGEXES = (
    # "I've frozen the card", "we have refunded the October charge", "I'll switch your plan"
    rf"\b(?:i|we)(?:'ve|'ll|\s+have|\s+will|\s+just|\s+also|\s+now|\s+already)*\s+{_VERBS}"
    rf"(?:\s+(?:(?!to\b|for\b)[^\s.?!;]+|to(?=\s+(?:the|your|a|an)\b))){{0,4}}?\s+{_OBJECTS}\b",
    # "I've issued a refund of $49.99 to the card ending 8841": an action aimed at the card or account
    rf"\b(?:i|we)(?:'ve|'ll|\s+have|\s+will|\s+just|\s+also|\s+now|\s+already)*\s+{_VERBS}"
    r"(?:\s+[^\s.?!;]+){0,5}?\s+(?:to|from|on)\s+(?:the|your)\s+(?:card|account)\b",
    # "the subscription was cancelled", "card was sent oct 4", "cancellation was not processed"
    rf"\b{_OBJECTS}\s+(?:is|are|was|were|has\s+been|have\s+been|will\s+be)\s+(?:now\s+|not\s+|already\s+|just\s+)?"
    rf"(?:been\s+)?{_PARTICIPLES}\b",
    # a figure for someone's: "Bella's premium is now 38.20 a month" (chatrest; not a list price: "Premium is 45")
    rf"\b(?:[\w-]+'s|your)\s+(?:[\w-]+\s+)?{_OBJECTS}\s+(?:is|are|was|were)\s+(?:now\s+|still\s+)?(?:[$£€]\s?)?\d",
    # "your new limit", "your next bill", "your current plan"
    rf"\byour\s+(?:new|next|current|last|latest|old|monthly|annual|outstanding|remaining)\s+{_OBJECTS}\b",
    # "I can see both charges", "I can see a fraud hold", "I'm seeing your cancellation request"
    rf"\bi\s+(?:can\s+see|see|am\s+seeing|'m\s+seeing)\s+(?:[^\s.?!;]+\s+){{0,5}}?{_OBJECTS}\b",
    # the agent reading out what the system says: "it says processed", "the system shows"
    r"\b(?:it|the\s+system|our\s+system|my\s+screen|the\s+account|records?)\s+(?:says|shows)\b",
    # the caller's own record read out or looked at: "I can see the prescription", "I can see your application"
    r"\bi\s+(?:can\s+see|see|am\s+seeing|'m\s+seeing|have|'ve\s+got)\s+(?:the|your)\s+(?:[^\s.?!;,]+\s+)?"
    r"(?:orders?|applications?|prescriptions?|parcels?|deliver(?:y|ies)|bookings?|reservations?|claims?)\b",
    # what happened to it: "I can see it went out from the depot", "I see they were dispatched"
    r"\bi\s+(?:can\s+see|see)\s+(?:that\s+)?(?:it|they|it's|they've)\s+(?:went|got|arrived|left|shipped|came|"
    r"(?:was|were|been|has\s+been|have\s+been)\s+(?:sent|delivered|dispatched|posted|received|packed|shipped|"
    r"returned|collected))\b",
    # an order's contents with its delivery ("a grey sofa in velvet, delivered today"), a delivery or receipt dated
    # ("it was dispatched on Tuesday", "we received it on the third"); not a general rule ("are delivered on Monday")
    rf"(?:,\s*(?:and\s+)?|\b(?:was|were)\s+)(?:delivered|dispatched|shipped|posted|sent\s+out|collected)\s+{_WHEN}",
    rf"\b(?:we|i)(?:'ve|\s+have)?\s+(?:received|got|had)\s+(?:it|them|your\s+[^\s.?!;,]+)\s+{_WHEN}",
    # a bare action as a whole sentence: "ok blocked.", "Done, cancelled."
    r"(?:^|(?<=[.!?]\s))\W*(?:(?:ok(?:ay)?|done|right|sure|yes|all\s+done)\W+)?(?:blocked|frozen|cancell?ed|"
    r"refunded|credited|switched|reversed|unblocked|reactivated|waived)\W*(?:[.!?]\s|$)",
)
# every account-action regex above needs one of these words: a turn without any skips them (speed)
_TRIGGERS = frozenset(
    f"{noun}{plural}" for noun in ("account", "card", "subscription", "plan", "tariff", "contract", "charge",
                                   "chargeback", "dispute", "limit", "balance", "bill", "debit", "order", "credit",
                                   "fee", "discount", "boost", "bundle", "allowance", "transaction", "cancellation",
                                   "loan", "premium", "mandate", "overdraft", "hold")
    for plural in ("", "s")
) | {"data", "address", "addresses", "policy", "policies", "says", "shows", "blocked", "frozen", "cancelled",
     "canceled", "refunded", "credited", "switched", "reversed", "unblocked", "reactivated", "waived", "see",
     "delivered", "dispatched", "shipped", "posted", "sent", "collected", "received", "got", "had"}
# the agent saying the customer passed verification ("that all matches", "found you"): what they say next is
# about the account, even in words no list holds ("your bag was traced to Frankfurt")
CONFIRMED = (
    "that matches", "that all matches", "all matches", "it matches", "everything matches", "details match",
    "is matching", "it is matching", "that's correct", "that is correct", "it is correct", "all correct",
    "you're verified", "you are verified", "you're confirmed", "you are confirmed", "that checks out",
    "found you", "found your account", "found the account", "found it", "thanks for confirming",
    "thank you for confirming", "passed security", "you're through security", "that's all verified",
    "verified, thanks", "got you", "pulled up your account", "i have your account", "i've got your account",
)
IDENTIFIERS = (
    "account number", "customer number", "customer id", "member number", "membership number", "member id",
    "ssn", "social security", "national insurance", "date of birth", "dob", "birth date", "postcode",
    "post code", "zip", "zip code", "email", "e-mail", "email address", "e-mail address", "phone number",
    "mobile number", "telephone number", "full name", "account holder", "account holder's", "security word",
    "memorable word", "security question", "security answer", "first line of your address",
    "first line of the address", "last four digits", "last 4 digits",
    # a surname or an address asked for with a reference is verification too ("booking ref and your last name?")
    "last name", "surname", "family name", "name on the account", "name on the booking", "name on the policy",
    "address", "pin", "account pin", "last four", "last 4",
    # an ID of any kind asked for ("Rider ID and the phone the app is on?")
    "id",
)
# after a verification the customer answered, the agent's next substantive turn is about the account when it gives
# figures or speaks of the customer's things ("You were in 32C, moved you to 12A", "Done. Your mum's number has been
# taken off"), unless the verification failed ("that doesn't match what we hold")
HELP_REGEXES = (r"\d", r"\byou(?:r|rs|'re|'ve|'d|\s+are|\s+were|\s+have|\s+had|\s+owe)\b")
FAILED = (
    "doesn't match", "does not match", "didn't match", "did not match", "don't match", "do not match",
    "can't discuss", "cannot discuss", "can't go into", "unable to verify", "couldn't verify", "could not verify",
    "can't verify", "cannot verify", "not able to verify", "can't find", "cannot find", "couldn't find",
    "no account", "not able to discuss", "unable to discuss", "can't access", "cannot access",
    # the check failed or was refused, so the agent speaks only in general or stops ("that's not what we hold",
    # "without it I can only speak generally", "I can't open anything remotely")
    "not what we hold", "not what we have", "speak generally", "talk generally", "in general terms",
    "can't go any further", "cannot go any further", "can't change anything", "can't open anything",
    "can't do anything", "not able to look at", "unable to look at",
)
# the answer to the check rejected (empathy stream, round 17: "The date's right but that postcode doesn't match what
# we hold. Never mind - your balance is ..."): said in the agent's first turn after the customer answered, the
# verification failed, and what follows is unverified until the agent asks again
MISMATCH = (
    "doesn't match", "does not match", "didn't match", "did not match", "don't match", "do not match",
    "not what we hold", "not what we have", "unable to verify", "couldn't verify", "could not verify",
    "can't verify", "cannot verify", "not able to verify",
    # non-native and plain forms (empathy stream, round 18): "Postcode is not same as we have, but no problem"
    "not same as", "not the same as", "different from what we", "different to what we",
)
# the customer's answer to the check is none (empathy stream, round 18): the check refused ("why do you need that,
# I'm only asking about the bill") or the item out of reach ("that phone went with him, so I can't get the code"),
# with no figure given; what the agent says next is unverified until they ask again and get an answer
REFUSED_REGEXES = (
    r"\bwhy\s+(?:do|would|does|d')\s*(?:you|u|ya)\s+(?:even\s+)?need\b",
    r"\b(?:can't|cannot|can\s+not|couldn't|could\s+not|don't|do\s+not|won't|will\s+not|haven't|have\s+not)\s+"
    r"(?:\w+\s+)?(?:get|have|know|remember|find|access|receive|give|share|got|see)\b",
    r"\b(?:rather\s+not|prefer\s+not|not\s+comfortable|not\s+giving|not\s+telling|no\s+idea)\b",
)
# a bot's or an IVR's line that the customer passed a check ("You've confirmed your tenancy reference and date of
# birth", "IVR: caller verified by date of birth and patient number"): a verification word with one of these, in a
# line that asks nothing (a bot asking "What's your date of birth?" verifies nothing)
SYSTEM_VERIFIED_REGEXES = (r"\b(?:verified|confirmed|passed|matched|authenticated|authorised|authorized)\b",)
REQUEST_REGEXES = (
    r"\?", r"\b(?:confirm|provide|give\s+me|tell\s+me|send\s+me|need|may\s+i\s+have|what(?:'s|\s+is))\b",
    # a terse request ending in "please": "Name and DOB please."
    r"\bplease\s*[.!]",
)
# verification as speech recognition writes it on a call (tiny.en on dev calls): "postcode" heard as "post -good",
# "date of birth" as "day to birth" or "your thing to birth" (asking in plain words, "I just need to make sure it's
# you", is read on chats too: VERIFICATION_REGEXES)
SPOKEN_VERIFICATION_REGEXES = (
    r"\bpost\s*-?\s*(?:goods?|coat|cold|cord|goat|cob)\b",
    r"\bda(?:te|y)\s+(?:of|to|a|the)\s+(?:birth|berth|bath|third)\b|\b(?:your|the)\s+\w+\s+(?:of|to|a)\s+birth\b",
    # a code sent to the caller's phone, its kind misheard ("I'm texting a specific code to the mobile")
    r"\b(?:text(?:ed|ing)?|sen[dt](?:ing)?)\s+(?:you\s+)?(?:a|an|the)\s+(?:[\w-]+\s+){0,2}code\b",
)
# the agent saying on a call that the answer matched, in the short forms agents use: "Great, that's you.", "Thank
# you, that's matched."
SPOKEN_CONFIRMED_REGEXES = (
    r"(?:^|[.,!?]\s*)(?:\w+[,.!]?\s+)?that's\s+you\s*(?:[.,!?]|$)",
    r"\bthat(?:'s|\s+has|\s+is)\s+(?:all\s+)?matched\b",
)
ECHO_MARKERS = (
    "sorry", "apologise", "apologize", "apologies", "i understand", "that must", "i can imagine", "i hear",
    "sorry to hear",
)
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")
_WORDS = re.compile(r"[\w']+")
_FIGURE = re.compile(r"\d")
_FILLER = frozenset({"your", "the", "a", "an", "on", "of", "to", "from", "is", "are", "was", "has", "have",
                     "i", "we", "it", "my", "this", "that", "been", "be", "can", "see"})


class OrderingParams(Params):
    verification_phrases: tuple[str, ...] = VERIFICATION
    verification_regexes: tuple[str, ...] = VERIFICATION_REGEXES
    spoken_verification_regexes: tuple[str, ...] = SPOKEN_VERIFICATION_REGEXES  # on calls only
    account_phrases: tuple[str, ...] = ACCOUNT_DETAILS
    account_regexes: tuple[str, ...] = ACCOUNT_ACTION_REGEXES
    identifier_phrases: tuple[str, ...] = IDENTIFIERS
    request_regexes: tuple[str, ...] = REQUEST_REGEXES
    echo_markers: tuple[str, ...] = ECHO_MARKERS
    verification_exemplars: Exemplars | None = None
    account_exemplars: Exemplars | None = None
    confirmed_phrases: tuple[str, ...] = CONFIRMED
    spoken_confirmed_regexes: tuple[str, ...] = SPOKEN_CONFIRMED_REGEXES  # on calls only
    help_regexes: tuple[str, ...] = HELP_REGEXES
    failed_phrases: tuple[str, ...] = FAILED
    mismatch_phrases: tuple[str, ...] = MISMATCH
    refused_regexes: tuple[str, ...] = REFUSED_REGEXES
    system_verified_regexes: tuple[str, ...] = SYSTEM_VERIFIED_REGEXES
    speaker: str = "agent"


def _sentences(said: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(said):
        spans.append((start, m.end()))
        start = m.end()
    if said[start:].strip():
        spans.append((start, len(said)))
    return spans


def _account_regexes(said: str, p: OrderingParams) -> tuple[str, ...]:
    """The account regexes worth running on ``said`` (the default ones only when a trigger word is there)."""
    if p.account_regexes != ACCOUNT_ACTION_REGEXES or not _TRIGGERS.isdisjoint(_WORDS.findall(text.normalize(said))):
        return p.account_regexes
    return ()


def _echoes(match: text.Match, customer_words: set[str]) -> bool:
    """True when the account words matched are the customer's own (an apology repeating their complaint)."""
    content = set(_WORDS.findall(text.normalize(match.text))) - _FILLER
    return bool(content & customer_words)


def _in(hits: list[Hit], start: int, end: int) -> Hit | None:
    return next((h for h in hits if h.matched and start <= h.start < end), None)


def identity_before_account(view: InteractionView, p: OrderingParams) -> CheckResult:
    """The agent verifies identity before discussing any account details (N/A when none are discussed).

    With exemplars, a sentence also counts as verification (``verification_exemplars``: asking for or
    confirming identity) or as an account detail (``account_exemplars``: disclosing or changing something
    of the customer's account) by meaning; a sentence like both counts as the one it is closer to."""
    verified: tuple[TurnView, Evidence] | None = None
    account: tuple[TurnView, Evidence] | None = None
    others: list[str] = []
    # a call's opening (the greeting, before the customer says a word) is like no account detail by meaning, however
    # close "Morning, Aerolux bookings" comes to "your booking is on the morning flight"
    spoken = {t.index for t in view.after_opening()}
    speakers = side(view, p.speaker)  # on a call, a colleague or team lead who took over (agent_2 on mono calls) too
    verification_regexes = on_channel(view, p.verification_regexes, p.spoken_verification_regexes)
    for turn in view.turns:
        if turn.speaker not in speakers:
            others.append(turn.text)
            if verified is None and turn.speaker == "system" and (passed := _system_verified(turn, p)) is not None:
                verified = (turn, passed)  # a bot's line: "You've passed security"
            continue
        said = turn.text  # each pattern is searched once per turn, then its matches are sorted into sentences
        rejected = verified is not None and _rejected(view, verified[0], turn, p)
        if rejected:
            verified = None  # the answer did not match: details after it are unverified until the agent asks again
        accounts = [m for m in text.find(said, p.account_phrases, _account_regexes(said, p)) if not m.negated]
        idents = [m.start for m in text.find(said, p.identifier_phrases) if not m.negated]
        verifs = ([m for m in text.find(said, p.verification_phrases, verification_regexes) if not m.negated]
                  if verified is None and not rejected else [])  # "that postcode doesn't match" verifies nothing
        sem_verifs = (semantic.matches([turn], p.verification_exemplars)
                      if p.verification_exemplars and not rejected else [])
        sem_accounts = (semantic.matches([turn], p.account_exemplars) if p.account_exemplars and turn.index in spoken
                        else [])
        if not accounts and not verifs and not idents and not sem_verifs and not sem_accounts:
            continue  # nothing to judge in this turn (most turns)
        requests = [m.start for m in text.find(said, (), p.request_regexes)] if idents else []
        echoes = [m.start for m in text.find(said, p.echo_markers)] if accounts or sem_accounts else []
        refusals = [m.start for m in text.find(said, p.failed_phrases)] if accounts or sem_accounts else []
        customer_words = set(_WORDS.findall(text.normalize(" ".join(others)))) if echoes else set()
        for s, e in _sentences(said):
            asks = any(s <= i < e for i in idents) and any(s <= r < e for r in requests)
            v = next((m for m in verifs if s <= m.start < e), None)
            sem_a = _in(sem_accounts, s, e)
            sem_v = _in(sem_verifs, s, e)
            if sem_v and sem_a:  # like both: the closer one decides
                sem_v, sem_a = (sem_v, None) if sem_v.similarity >= sem_a.similarity else (None, sem_a)
            if verified is None and (v or asks or sem_v):
                verified = (turn, quote(turn, v.start, v.end) if v else semantic.evidence(sem_v) if sem_v and not asks
                            else quote(turn, s, e))
                fresh = True
            else:
                fresh = False
            if asks or (sem_v and not accounts):
                continue  # asking for an identifier is verification, not an account detail
            if any(s <= x < e for x in refusals):
                continue  # "that doesn't match what we hold, so I can't discuss the account": nothing disclosed
            if sem_a and said[s:e].rstrip().endswith("?") and not _FIGURE.search(said, s, e):
                sem_a = None  # a question with no figure in it asks, it discloses nothing ("Order number?")
            echo = any(s <= x < e for x in echoes)
            if echo:  # an apology is like an account detail by meaning only ("three months waiting for money
                sem_a = None  # you're owed isn't ok, I'm sorry"): it discloses nothing no rule finds
            a = next((m for m in accounts if s <= m.start < e and not (echo and _echoes(m, customer_words))), None)
            if a is None and sem_a is None:
                continue
            if fresh and v and a is not None and text.first(a.text, p.identifier_phrases) is not None:
                a = None  # "I have checked your account number and date of birth": what is checked, no detail
                if sem_a is None:
                    continue
            if fresh and v and a is not None and a.start < v.start:
                verified = None  # the details came first in the very sentence that verifies
            account = (turn, quote(turn, a.start, a.end) if a else semantic.evidence(sem_a))
            break
        if account:
            break
    if account is None:
        confirmed = _confirmed(view, p, verified)
        if confirmed is not None:  # verified, then helped with the account in words no list or exemplar holds
            return CheckResult("pass", f"identity confirmed in turn {confirmed.turn} before the account was discussed",
                               (confirmed,), 0.6)
        return CheckResult("na", "no account details discussed", (), 0.8)
    turn, details = account
    if verified is None:
        return CheckResult("fail", f"account details in turn {turn.index} before any identity verification",
                           (details,), 0.85)
    vturn, proof = verified
    return CheckResult("pass", f"identity verified in turn {vturn.index} before account details in turn {turn.index}",
                       (proof, details), 0.9)


def _system_verified(turn: TurnView, p: OrderingParams) -> Evidence | None:
    """A system line (a bot, an IVR) that says the customer passed a check, else None."""
    if (passed := text.first(turn.text, p.confirmed_phrases)) is not None:
        return quote(turn, passed.start, passed.end)
    if "?" in turn.text or not p.system_verified_regexes:
        return None
    item = text.first(turn.text, p.verification_phrases + p.identifier_phrases)
    done = text.first(turn.text, (), p.system_verified_regexes)
    return quote(turn, done.start, done.end) if item is not None and done is not None else None


def _rejected(view: InteractionView, asked: TurnView, turn: TurnView, p: OrderingParams) -> bool:
    """True when ``turn`` is the agent's first turn after the customer answered the verification asked in ``asked``
    and says the answer did not match ("that postcode doesn't match what we hold"), or the customer's answer gave
    nothing and refused or could not ("why do you need that?", "I can't get the code")."""
    answer = next((t for t in view.turns if t.speaker == "customer" and t.index > asked.index), None)
    if answer is None or turn.index < answer.index:
        return False
    speakers = side(view, p.speaker)
    first = next((t.index for t in view.turns if t.speaker in speakers and t.index > answer.index), None)
    if first != turn.index:
        return False
    if p.mismatch_phrases and text.first(turn.text, p.mismatch_phrases) is not None:
        return True
    return (asked.speaker in speakers and not _FIGURE.search(answer.text)  # the agent asked; no figure came back
            and text.first(answer.text, (), p.refused_regexes, allow_negated=True) is not None)


def _confirmed(view: InteractionView, p: OrderingParams, verified: tuple[TurnView, Evidence] | None) -> Evidence | None:
    """The agent's confirmation that verification passed, in or after the verifying turn and followed by more
    agent turns (the help that came after it), else None."""
    if verified is None or not p.confirmed_phrases:
        return None
    speakers = side(view, p.speaker)
    agent = [t for t in view.turns if t.speaker in speakers and t.index >= verified[0].index]
    confirmed_regexes = on_channel(view, (), p.spoken_confirmed_regexes)
    for position, turn in enumerate(agent[:-1]):
        match = text.first(turn.text, p.confirmed_phrases, confirmed_regexes)
        if match:
            return quote(turn, match.start, match.end)
    if not p.help_regexes:
        return None
    # the customer answered the verification, then the agent helped with their account in words no list holds
    answered = next((t.index for t in view.turns if t.speaker == "customer" and t.index > verified[0].index), None)
    if answered is None:
        return None
    for turn in (t for t in agent if t.index > answered):
        if text.first(turn.text, p.failed_phrases):
            return None
        match = text.first(turn.text, (), p.help_regexes, allow_negated=True)
        if match:
            return quote(turn)
    return None


def register_checks(register) -> None:  # type: ignore[no-untyped-def]
    register("identity_before_account", identity_before_account, OrderingParams, identity_before_account.__doc__)
