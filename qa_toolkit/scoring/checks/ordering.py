"""Ordering: identity verification happens before any account details are discussed."""

from __future__ import annotations

from qa_toolkit.scoring import text
from qa_toolkit.scoring.checks import CheckResult, Params, quote
from qa_toolkit.scoring.view import InteractionView

VERIFICATION = (
    "verify your identity", "verify your account", "confirm your identity", "verify you", "confirm your date of birth",
    "your date of birth", "date of birth", "security question", "security answer", "passcode",
    "last four digits", "last 4 digits", "postcode", "post code", "zip code", "confirm your full name",
    "confirm your address", "confirm the email", "confirm your email", "verification code", "one-time code",
    "mother's maiden name", "for security", "security purposes", "verify a few details", "identity check",
    "confirm a few details", "you're verified", "you are verified", "thanks for verifying",
)
ACCOUNT_DETAILS = (
    "your balance", "balance is", "balance of", "your account shows", "your account has", "on your account",
    "your last payment", "your payment of", "your order", "your statement", "outstanding amount",
    "amount due", "you owe", "your bill", "your invoice", "your subscription", "your plan", "your card ending",
    "address on file", "your transactions", "the charge of", "charges on", "your refund", "overdue",
    "your loan", "your arrears", "your debt", "payment plan", "missed payment", "to your account",
    "from your account", "your profile", "on your profile", "your contact details", "your card", "the bill",
    "duplicate charge", "your direct debit", "your account number", "your premium", "your policy",
)


class OrderingParams(Params):
    verification_phrases: tuple[str, ...] = VERIFICATION
    verification_regexes: tuple[str, ...] = ()
    account_phrases: tuple[str, ...] = ACCOUNT_DETAILS
    account_regexes: tuple[str, ...] = ()
    speaker: str = "agent"


def identity_before_account(view: InteractionView, p: OrderingParams) -> CheckResult:
    """The agent verifies identity before discussing any account details (N/A when none are discussed)."""
    verified = account = None
    for turn in view.by(p.speaker):
        if verified is None:
            m = text.first(turn.text, p.verification_phrases, p.verification_regexes)
            if m:
                verified = (turn, m)
        a = text.first(turn.text, p.account_phrases, p.account_regexes)
        if a:
            # details in the same turn as the verification request come after it only if they follow it
            if verified and verified[0] is turn and a.start < verified[1].start:
                account = (turn, a)
                verified = None
            else:
                account = (turn, a)
            break
    if account is None:
        return CheckResult("na", "no account details discussed", (), 0.8)
    turn, match = account
    details = quote(turn, match.start, match.end)
    if verified is None:
        return CheckResult("fail", f"account details in turn {turn.index} before any identity verification",
                           (details,), 0.85)
    vturn, vmatch = verified
    return CheckResult("pass", f"identity verified in turn {vturn.index} before account details in turn {turn.index}",
                       (quote(vturn, vmatch.start, vmatch.end), details), 0.9)


def register_checks(register) -> None:  # type: ignore[no-untyped-def]
    register("identity_before_account", identity_before_account, OrderingParams, identity_before_account.__doc__)
