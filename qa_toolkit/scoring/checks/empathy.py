"""Empathy: when the customer is upset (VADER sentiment or frustration words), the agent acknowledges it.

Also ``customer_sentiment``: how the customer sounds at the end (positive / neutral / negative).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from qa_toolkit.scoring import semantic, text
from qa_toolkit.scoring.callturns import STAFF, recorded_line
from qa_toolkit.scoring.checks import CheckResult, Evidence, Params, on_channel, quote
from qa_toolkit.scoring.checks.phrases import PROHIBITED, PROHIBITED_REGEXES
from qa_toolkit.scoring.semantic import Exemplars
from qa_toolkit.scoring.view import InteractionView, TurnView

FRUSTRATION = (
    "frustrated", "frustrating", "annoyed", "annoying", "angry", "furious", "upset", "ridiculous", "unacceptable",
    "fed up", "sick of", "waste of time", "wasted", "third time", "again and again", "still not", "still waiting",
    "nobody helps", "no one helps", "terrible", "awful", "worst", "disappointed", "disgusted", "hopeless",
    "useless", "joke", "absurd", "outrageous", "can't believe", "cannot believe", "unbelievable", "fuming",
    "livid", "not happy", "very unhappy", "so unhappy", "stressed", "worried", "desperate", "scared", "panicking",
    "overcharged",
    "losing my patience", "lost my patience", "locked out", "locking me out",
    "damn", "scammed", "fraud", "hacked", "stolen", "rude", "oh great", "just great", "just wonderful",
    "just perfect", "this is a joke", "good riddance", "never again", "idiot", "idiots", "stupid", "shut up",
    "disgrace", "disgraceful", "breach", "forget it", "pathetic", "incompetent", "rubbish", "nonsense",
    "excuse me", "what the hell", "costing me", "cost me", "losing money", "lost money", "second time",
    "yet again", "once again", "all over again", "for the last time", "speak to a manager", "speak to your manager",
    "talk to a manager", "talk to your manager", "speak to a supervisor", "talk to a supervisor",
    "speak to someone senior", "someone in charge",
    # distress and indignation in words no list above held: "I'm gutted", "frankly insulting", "I'm shaking"
    "gutted", "insulting", "insult", "derisory", "devastated", "heartbroken", "in tears", "crying", "can't cope",
    "cannot cope", "freaking out", "shaking", "losing my mind", "driving me mad", "driving me crazy",
    "driving me insane", "up the wall", "wits' end", "wits end", "end of my rope", "end of my tether",
    "sick and tired", "had enough", "not good enough", "shocking", "appalling", "robbery", "rip off", "rip-off",
    "ripped off", "love that for me", "oh joy", "passed away", "taking ages", "taking forever",
    "takes forever", "took forever",
    # said aloud: "you're having a laugh", "it's doing my head in"
    "having a laugh", "taking the mickey", "taking the mick", "taking the piss", "doing my head in",
    "up to here with", "hacked off", "cheesed off", "really cross", "so cross", "very cross", "at the end of my rope",
    "nobody can tell me", "no one can tell me", "nobody tells me", "no one tells me", "nobody told me",
    "no one told me", "nobody knows", "no one knows", "nobody answers", "no one answers", "😭", "😡", "🤬", "😤", "😠", "😢", "😩", "😫",
)
# distress said aloud, upset but no unhappy ending ("you've been brilliant, I was in a right state"): "I'm a bit all
# over the place", "I'm barely keeping my head above water"
DISTRESS = ("all over the place", "in bits", "in a right state", "in such a state", "beside myself",
            "can't think straight", "head above water", "lost my job",
            # understated, nervous or hounded: "not ideal, to put it mildly", "I am very nervous", "a little let down"
            "nervous", "anxious", "anxiety", "let down", "not amused", "not impressed", "unimpressed", "not thrilled",
            "not ideal", "to put it mildly", "trying to be patient", "running out of patience", "hounding",
            "harassing", "harassment", "vultures", "crooks", "cowboys",
            # money that is not there, said plainly: "we're a one-income house, I can't cover that", "that was the rent
            # money"; the third engineer's "no-show"
            "can't cover", "cannot cover", "money's tight", "money is tight", "one income", "one-income", "pensioners",
            "rent money", "need this money", "no-show",
            # fear and shame in plain words (empathy stream, round 14): "I am very afraid I lose my place", "it was
            # really embarrassing"; a bare "I'm afraid" is politeness ("I'm afraid I don't have it"), not fear
            "frightened", "terrified", "embarrassed", "embarrassing", "humiliated", "humiliating", "nobody asked",
            "no one asked")
THANKS = ("thanks", "thank you", "thx", "ty", "cheers", "merci", "gracias", "danke", "grazie", "obrigado", "谢谢",
          "ありがとう", "appreciate", "ta", "thank u", "tysm", "many thanks", "you're a star", "you are a star",
          "lifesaver", "life saver",
          # thanks in other languages and in emoji: "shukriya beta", "it worked!!! 🙏🙏"
          "shukriya", "shukran", "dhanyavaad", "arigato", "obrigada", "dziękuję", "dank je", "kiitos", "asante",
          "spasibo", "🙏", "❤️", "♥️", "🥰", "😍")
# thanks typed long or short: "thank youu", "thankss", "tyvm", "thnx"
THANKS_REGEXES = (r"\bthank(?:s+|\s*(?:you+|yo+u+|u+))\b", r"\b(?:tyvm|thnx|thx+|tnx)\b")
# how a customer ends unhappily, beyond the frustration words: complaints, leaving, rejecting the answer, sarcasm
NEGATIVE_END = FRUSTRATION + (
    "complaint", "complain", "ombudsman", "reporting you", "report you", "competitor", "go elsewhere",
    "going elsewhere", "take my business", "never order", "never use", "never buy", "not an answer",
    "non-answer", "not sorted", "don't bother", "attitude", "you must be joking", "you're joking",
    "are you serious", "whatever", "charming", "thanks for nothing", "cheers for nothing", "fat lot of good",
    "i'll be leaving", "i'm leaving", "cancel everything", "so that's it then", "so i'm stuck",
    # pushing back or sighing at the end: "unreal", "about time", "you can't tell my employer", "thanks I guess"
    "unreal", "about time", "you can't", "you cannot", "thanks i guess", "thank you i guess", "same as last time",
    "what they said last time",
    # spoken endings: "I'm putting the phone down now", "I'll be ringing round the other providers tonight"
    "putting the phone down", "hanging up", "hang up on", "ringing round", "ring round", "shop around",
    "shopping around", "other providers", "another provider", "take it further", "taking it further",
    "believe it when i see it", "holding my breath", "hold my breath", "don't make me laugh",
    # taking it elsewhere: "I'm not listening to this, I'm going to Citizens Advice", "my solicitor will hear of it"
    "not listening to this", "not listening to you", "citizens advice", "trading standards", "my solicitor",
    "a solicitor", "my lawyer", "legal advice",
    # resigned, doubtful or leaving in other words (chatrest, dev ld-0741..0790): "we'll see", "suppose I don't have a
    # choice", "apparently not", "I will look for other company", "you could be a bit nicer"
    "we'll see", "we will see", "no choice", "apparently not", "other company", "another company",
    "look elsewhere", "looking elsewhere", "alternatives", "no need to be like that", "could be a bit nicer",
    "could be nicer", "not being dramatic", "like that again",
    # doubt said back (chatrest, dev ld-0941..1000): "not holding my breath" (its own "not" would negate "holding my
    # breath")
    "not holding my breath",
    # a complaint said mildly (chatrest, dev ld-1101..1160): "the text made it sound like I was being taken to court,
    # bit much"
    "bit much",
)
# sarcasm at the end: a bare "wow", or a bare "fantastic." / "brilliant." after bad news
SARCASM_REGEXES = (
    r"^\W*(?:finally|typical|figures|classic)\W*$",  # a one-word sigh as the whole message
    r"^\W*(?:typical|figures|classic)\s*[.!]",  # ... or as its first sentence: "typical. the one year I need it"
    # resigned: "suppose I don't have a choice", "not like I've got much choice"
    r"\b(?:(?:don't|do\s+not|didn't|did\s+not)\s+(?:have|get)|haven't\s+got|have\s+no|had\s+no|got\s+no|"
    r"not\s+like\s+i\s+(?:have|'ve\s+got))\s+(?:a\s+|any\s+|much\s+(?:of\s+a\s+)?)?choice\b",
    # a question that sums up a non-answer: "so no solution?", "ok so you do nothing"
    r"(?:^|(?<=[.!?,]\s)|(?<=\bok\s))so\s+(?:no(?:body|thing(?!\s+else)|\s+one|\s+(?:solution|fix|refund|help|way))|"
    r"you\s+(?:do|can\s+do|did)\s+nothing)\b",
    r"^\W*wow\b(?!\W+(?:thanks?|thank\s+you|amazing|great|that\s+was\s+quick|so\s+quick))",
    r"(?:^|[.!?]\s+)[^.!?]*\b(?:again|days|weeks|months|more|wait|nobody|no\s+one|even|gone|lost)\b[^.!?]*[.!?]?\s*"
    r"(?:brilliant|fantastic|great|wonderful|perfect|lovely|marvellous|amazing)(?:\s+(?:job|work|stuff))?\W*$",
    # dismissal with its "no" in front (which would negate a phrase): "no you've done quite enough thanks"
    r"(?:^|[.!?,]\s*)(?:no\W+)?(?:you've|you\s+have)\s+done\s+(?:quite|more\s+than)\s+enough\b",
    # praise for the service "as always" with no thanks: "yes fine. wonderful service as always" (chatrest)
    r"^(?!.*\bthank).*\b(?:wonderful|great|brilliant|fantastic|excellent|amazing|lovely|stellar)\s+(?:service|job|work)\s+as\s+"
    r"(?:always|usual|ever)\W*$",
    # ... and thanks said after it: "ten more days of no smoothies. thanks a bunch" (chatrest)
    r"(?:^|[.!?]\s+)[^.!?]*\b(?:again|days|weeks|months|more|wait|nobody|no\s+one|even)\b[^.!?]*[.!?]\s+"
    r"(?:\w+\s+){0,2}?thanks\s+a\s+(?:bunch|lot|million)\W*$",
    # a one-word praise after bad news, then thanks (chatrest, dev ld-1101..1160): "72 hours. fantastic. thanks
    # loads", "so I'm without it till at least wednesday. marvellous. thanks ever so much"
    # (the bad news restated: a wait with nothing else, or "again", "more", "without", "till", "at least"; not
    # "Arrived in 2 days. Perfect. Thanks so much!")
    # (and, chatrest dev ld-1261..1320, "10 working days. brilliant. cheers for that", "4 quid back out of 48. wow.
    # thanks SO much": a kind of day between, a part "out of" a whole, "wow" as the praise)
    r"(?:^|[.!?]\s+)(?:[^.!?]*\b(?:again|more|nobody|no\s+one|even|without|till|until|at\s+least|out\s+of)\b[^.!?]*|"
    r"\W*(?:another\s+|just\s+)?\d+\s+(?:more\s+|working\s+|business\s+|whole\s+)?(?:hours|days|weeks|months))[.!?]\s+"
    r"(?:brilliant|fantastic|great|wonderful|perfect|lovely|marvellous|amazing|superb|wow)(?:\s+[\w-]+)?[.!]\s+"
    r"(?:thanks|cheers|thank\s+you)\b[^.!?]*$",
    # ... or before what it is about: "wonderful. more paperwork for a debt that isn't mine"
    r"^\W*(?:wonderful|brilliant|fantastic|marvellous|superb|lovely|great|perfect)[.!]\s+(?:more|another)\s+"
    r"(?:paperwork|forms?|waiting|hoops|delays?|calls?|hours|days|weeks)\b",
    # thanks taken back: "cheers for that. really."
    r"\b(?:thanks|cheers)\s+for\s+that\W+really\W*$",
    # leaving, on a condition: "I'll take it, but if it goes up again next year I'm off"
    r"\bif\b[^.!?]{0,60}?\b(?:i'm|i\s+am|i'll\s+be|we're|we'll\s+be)\s+(?:off|gone|leaving|out|switching|cancelling)\b",
    # leaving for another provider in plain words (chatrest, dev ld-1261..1320): "I'll be moving banks", "switching
    # supplier"
    r"\b(?:mov|switch|chang)(?:e|es|ed|ing)?\s+(?:my\s+)?(?:banks?|providers?|suppliers?|networks?|insurers?|"
    r"broadband|energy\s+compan(?:y|ies))\b",
)
# praise that, after a figure of the agent's said back on its own, is sarcasm (chatrest round 18: seven of the nine dev
# last turns that open so are negative, every writer; the two positive ones say more than the figure: "ok do that, 39
# is better", "back. and it's been solid for 5 minutes")
SAID_BACK_PRAISE = ("great", "brilliant", "marvellous", "fantastic", "wonderful", "lovely", "perfect", "super",
                    "amazing", "superb", "excellent", "wow", "thanks", "thank you", "cheers")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?")
_FIRST_SENTENCE = re.compile(r"^\W*([^.!?]+)[.!?]+(?:\s|$)")


_VERBS = frozenset({"is", "are", "was", "were", "be", "been", "do", "does", "did", "done", "has", "have", "had", "can",
                    "will", "would", "got", "get", "ok", "okay", "yes", "yeah", "yep", "fine", "sure"})
_NOT_VERBS = frozenset({"working", "nothing", "something", "morning", "evening", "during"})


def _verbish(word: str) -> bool:
    """A word that makes a sentence more than a figure said back: a verb (by a short list or an -ed/-ing ending,
    "arrived in 2 days"), a contraction ("it's") or a yes."""
    return (word in _VERBS or "'" in word or word.endswith("ed")
            or (word.endswith("ing") and word not in _NOT_VERBS))


def said_back(said: str, before: str, praise: tuple[str, ...], words: int) -> bool:
    """True when ``said`` opens with a short sentence holding a figure of ``before`` (the agent's last turn), and
    praises in what follows: the figure is the point, the praise sarcasm ("72 hours. fantastic. thanks loads")."""
    opening = _FIRST_SENTENCE.match(said)
    said_words = _WORD.findall(opening.group(1).casefold()) if opening else []
    if not opening or len(said_words) > words or any(_verbish(w) for w in said_words):
        return False  # a sentence with a verb or a yes says more than the figure: "ok do that, 39 is better"
    figures = set(_FIGURE.findall(opening.group(1)))
    if not figures or not figures & set(_FIGURE.findall(before)):
        return False
    return text.first(said[opening.end():], praise) is not None


# relief at the end: a feeling put in the past, or relief named, with thanks ("oh thank god. thank you both, I was
# panicking", chatrest dev ld-1261..1320): the fear is over, it is no complaint
RELIEF_REGEXES = (
    r"\b(?:i\s+was|i'd\s+been|i\s+had\s+been|we\s+were|we'd\s+been|we\s+had\s+been)\s+(?:\w+\s+){0,2}?"
    r"(?:panicking|panicked|worried|stressed|stressing|scared|frightened|terrified|anxious|nervous|dreading|"
    r"freaking\s+out|in\s+bits|beside\s+myself)\b",
    r"\b(?:thank\s+god|thank\s+goodness|thank\s+heavens|phew|what\s+a\s+relief|that's\s+a\s+relief|"
    r"(?:a\s+)?weight\s+off)\b",
)
# the customer saying at the end that the fix is none: "refunding isn't fixing it, why does it keep happening",
# "not ok" (chatrest, dev ld-1261..1320)
REJECTION_REGEXES = (
    r"\b(?:isn't|is\s+not|wasn't|doesn't|does\s+not|didn't|did\s+not|hasn't|has\s+not)\s+(?:really\s+)?"
    r"(?:fix|fixing|fixed|solv(?:e|es|ed|ing)|sort(?:s|ed|ing)?)\b",
    r"\bkeeps?\s+(?:on\s+)?(?:happening|doing\s+(?:it|this|that)|dropping|failing|crashing|breaking)\b",
    r"(?:^|[.!?]\s*)not\s+(?:ok|okay|acceptable|good\s+enough|fair)\W*$",
)
# the same as speech recognition writes it on a call: "I'm putting the bone down now" (the phone)
SPOKEN_NEGATIVE_END_REGEXES = (
    r"\b(?:i'm|i\s+am|i'll\s+be|i\s+will\s+be)\s+putting\s+the\s+\w+\s+down\b",
    # sarcastic endings said aloud (calls stream, round 16): "Oh, marvellous. An hour. Thanks a bunch.", "A voucher.
    # Wow. Thanks so much for that.", "Oh, brilliant. Can't wait.", "a middle seat on the red-eye. Living the dream."
    r"(?:^|[.!?]\s+)(?:wow|oh,?\s+(?:great|brilliant|marvellous|wonderful|fantastic|perfect|lovely))[.!]\s+"
    r"(?:[^.!?]*[.!?]\s+)?thanks\s+(?:a\s+(?:bunch|lot|million)|(?:so\s+much|a\s+lot)\s+for\s+that)\W*$",
    r"(?:^|[.!?]\s+)(?:oh,?\s+)?(?:great|brilliant|marvellous|wonderful|fantastic|super)\W+(?:i\s+)?can't\s+wait\W*$",
    r"\bliving\s+the\s+dream\b",
)
# praise at the end whose word was misheard: "You've been reading and I wasn't in a light state" (you've been
# brilliant); an unhappy "you've been no help" or "useless" is read as negative before this
SPOKEN_POSITIVE_END_REGEXES = (
    r"\byou've\s+been\s+(?!(?:no|not|nothing|of\s+no)\b)(?:(?:really|so|very|ever\s+so|such|a|an)\s+)*[\w'-]+"
    r"(?:\s+help)?\s*(?:[.,!]|\band\b|$)",
)
FRUSTRATION_REGEXES = (
    # a death in the family: "he died a fortnight ago", "my mum passed last week" (not "my phone died")
    r"\b(?:he|she|my\s+(?:husband|wife|partner|mum|mom|mother|dad|father|son|daughter|brother|sister|nan|gran|"
    r"grandad|grandma|grandpa|grandmother|grandfather|aunt|uncle|friend))\s+(?:has\s+|had\s+|just\s+|recently\s+)?"
    r"(?:died|passed(?:\s+away|\s+on)?)\b",
    r"(?:^|[.!?]\s+)(?:now|right\s+now|immediately|today)\s*[.!]",  # an imperative "Now." as a sentence of its own
    # asking again and again: "I have asked for a meter four times", "called you 5 times", "chased it three times"
    r"\b(?:asked|called|rung|rang|phoned|chased|written|wrote|emailed|e-mailed|told\s+you|reported|complained)\b"
    r"[^.!?]{0,40}?\b(?:three|four|five|six|several|many|multiple|countless|[3-9]|\d\d)\s+times\b",
    # "asked twice already", "this is my fourth email", "the second letter this month"
    r"\b(?:asked|called|rung|rang|phoned|chased|written|wrote|emailed|e-mailed|told\s+you|said)\b[^.!?]{0,30}?"
    r"\btwice\b", r"\b(?:second|third|fourth|fifth|\d+(?:nd|rd|th))\s+(?:email|e-mail|message|call|chat|letter)\b",
    # a figure met with "??": "bill 62?? normally 25", "450?? that's way more than I thought"
    r"\d\s*\?{2,}",
    # sarcasm after bad news in a question: "24 hours without a phone? brilliant"
    # an opening "oh wonderful, ..." that thanks nobody: "oh wonderful, the replacement is broken too"
    r"^\W*oh\s+(?:wonderful|brilliant|fantastic|lovely|perfect|marvellous|super|great)\b"
    r"(?![^.!?]*\b(?:thanks?|thank\s+you|cheers|ty|thx)\b)",
    r"(?<=\?)\s*(?:oh\s+)?(?:brilliant|great|fantastic|wonderful|perfect|lovely|marvellous|amazing|super)\b\W*$",
)
# afraid, said with a word of degree: "I am very afraid", "so afraid we'll lose the house" (not a polite "I'm afraid")
FEAR_REGEXES = (r"\b(?:very|so|really|terribly|quite|a\s+bit|a\s+little|genuinely|truly)\s+afraid\b",
                # ... and in a non-native's words: "I am very worry", "I'm so scare" (empathy stream, round 16)
                r"\b(?:i\s+am|i'm|im|we\s+are|we're)\s+(?:very\s+|so\s+|really\s+|much\s+|too\s+)?"
                r"(?:worry|scare|fear|panic)\b")
# upset counted rather than said (read for empathy only; the end sentiment reads FRUSTRATION_REGEXES alone)
COUNTED_REGEXES = (
    # the same failure again, counted: "for the fourth time", "third bill in a row", "second cancellation in 2 days"
    r"\b(?:second|third|fourth|fifth|sixth|\d+(?:nd|rd|th))\s+time\b",
    r"\b(?:second|third|fourth|fifth|sixth)\s+(?:[\w'-]+\s+){0,2}?(?:in\s+a\s+row|running|in\s+(?:\d+|two|three|"
    r"four|five)\s+(?:days|weeks))\b",
    # a long wait counted: "three weeks I am waiting", "it has now been eleven weeks", "waiting two months"
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|\d+)\s+(?:weeks|months)\b[^.!?]{0,25}?"
    r"\b(?:waiting|still|and\s+nothing)\b",
    r"\b(?:waiting|waited|chasing|it(?:'s|\s+has|\s+is)\s+(?:now\s+)?been)\s+(?:for\s+)?(?:over\s+|nearly\s+)?"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|\d+)\s+(?:weeks|months)\b",
    # a terse demand as a sentence of its own: "bill says 89. i'm on the 25 plan. what.", "was 190. explain."
    r"(?:^|[.!?]\s+)(?:what|explain|explain\s+please|seriously)\s*\.\s*$",
    # said with no word of feeling (empathy stream, round 16): a bare "again." as a sentence of its own ("billed
    # twice. again. for chemo."), "still nothing" after a wait, and praise that is sarcasm: "love paying premiums for
    # a policy that works in one country", "really great value" for a bill (not one that thanks)
    r"(?:^|[.!?]\s+)again\s*[.!?]+",
    r"\bstill\s+(?:nothing|no\s+(?:sign|word|news|answer|reply|refund|money))\b",
    r"\blove\s+(?:paying|being\s+charged|getting\s+charged|waiting|being\s+(?:ignored|fobbed\s+off))\b",
    r"\b(?:great|good|real|fantastic|excellent|brilliant|amazing)\s+value\b"
    r"(?![^.!?]*\b(?:thanks?|thank\s+you|cheers)\b)",
)
# a calm request for an explanation ("my bill's come in at double and I'd like to know why", "could you walk me
# through it?"): a likeness to the upset exemplars alone does not make the customer upset (words, shouting and a
# strongly negative tone still do)
CALM_ASK_REGEXES = (
    r"\b(?:i'd|i\s+would)\s+(?:just\s+)?(?:like|love)\s+(?:to\s+(?:know|understand|find\s+out|check)|"
    r"(?:it|that|this|someone\s+to)\s+(?:explained|explain))\b",
    r"\b(?:could|can|would)\s+you\s+(?:please\s+)?(?:tell\s+me|explain|walk\s+me\s+through|let\s+me\s+know)\b",
    r"\b(?:i\s+(?:was\s+)?wonder(?:ed|ing)|just\s+wondering|i\s+was\s+hoping\s+you\s+could)\b",
)
# a polite opening: a greeting, then a question or a request ("Hi, could we move the jab to next week? Thursday doesn't
# work any more", "hi, no power on our street since 7, is there a known fault?"), or a turn that says it is light or in
# no hurry ("I'm vegetarian lol", "No rush."): the customer reports a problem calmly, so a likeness to the upset
# exemplars or a negative tone alone does not make them upset (frustration words, shouting and "??" still do)
POLITE_OPENING_REGEXES = (
    r"^\W*(?:hi|hello|hey|hiya|heya|morning|afternoon|evening|good\s+(?:morning|afternoon|evening|day)|dear)\b",)
POLITE_REQUEST_REGEXES = (
    r"\?", r"\b(?:could|can|would)\s+(?:you|we|i|someone)\b", r"\bhow\s+(?:do|can|would|should)\s+(?:i|we)\b",
    r"\bany\s+(?:idea|ideas|way|chance)\b", r"\bplease\b")
CALM_MARKERS = ("lol", "haha", "hahaha", "no rush", "not urgent", "no hurry", "no worries", "no drama", "no biggie")
# repeated "!"/"?" after three or more words: "Why do you need that??" (not a bare "Hello??")
REPEATED_PUNCTUATION = re.compile(r"[!?]{2,}")
_WORD = re.compile(r"[\w']+")
_LETTERED = re.compile(r"[^\W\d_][\w']*")  # a word that starts with a letter ("LE65" is one, "5/9/1998" none)
_VOWEL = re.compile(r"[AEIOUY]")
# shouting: a word of two or more capitals in a message that is not all capitals, unless it is an acronym,
# part of an identifier joined by a dash ("CN-448812", "ORD-5521-B") or a redaction placeholder ("[CARD]")
SHOUTING = re.compile(r"(?<![\w'\"\[])(?<!\w-)[A-Z]{2,}(?![\w'\"]|-\w)"
                      r"(?!\s+(?:code|number|no\b|ref|reference|id\b|pin\b|key\b))")  # "a STAC code" is a name
ACRONYMS = frozenset({
    "OK", "ID", "PIN", "SSN", "DOB", "ATM", "DSL", "SMS", "TV", "UK", "US", "USA", "EU", "IBAN", "CVV", "VAT",
    "FAQ", "IT", "PC", "ISP", "URL", "QR", "GB", "MB", "KB", "TB", "PDF", "APP", "API", "VPN", "WIFI", "LTD",
    "INC", "LLC", "PLC", "CEO", "AM", "PM", "GMT", "UTC", "EST", "PST", "CET", "USB", "SIM", "ETA", "NHS",
    "HMRC", "DM", "PS", "FYI", "ASAP", "IOS", "HD", "UPS", "DHL", "EUR", "USD", "GBP", "NYC", "LA",
})
# words of two or three letters that are shouted, not acronyms ("I have NO card", "it is NOT here", "WHY")
SHORT_SHOUTS = frozenset({
    "NO", "NOT", "NOW", "WHY", "HOW", "YOU", "ALL", "ANY", "ONE", "TWO", "BUT", "WAS", "DID", "CAN", "ARE", "HAD",
    "HAS", "YET", "OUT", "OFF", "AGO", "ME", "MY", "IS", "AM", "DO", "SO", "TOO", "YES", "NEW", "OLD", "BAD", "SAD",
    "MAD", "BIG", "LOT", "GET", "GOT", "PAY", "PAID", "WAY", "DAY", "EVER", "ONLY",
})
NEUTRAL_ACKS = ("ok", "okay", "k", "fine", "no", "nope", "nah",
                "alright", "all right", "sure", "noted", "right", "ok then", "will do",
                "ok will do", "got it", "ok got it", "understood")
EMPATHY = (
    "sorry", "apologize", "apologise", "apologies", "i understand", "i completely understand", "understand how",
    "understand why", "understand your", "understandable", "that must be", "must have been", "i can imagine",
    "i can see why", "i see why", "i hear you", "i get it", "i get that", "frustrating", "that's not okay",
    "that's not ok", "not the experience", "i appreciate your patience", "thank you for your patience",
    "thanks for your patience", "thank you for bearing with", "that sounds", "i'd feel the same",
    "i would feel the same", "i'm here to help", "let me make this right", "let's get this sorted",
    "i'll sort this out", "i know how", "i realise", "i realize", "totally get", "completely get", "unfortunate",
    "regret", "my bad", "so annoying", "annoying for you", "stressful", "we messed up", "we made a mistake",
    "you're right to", "you are right to", "fair enough", "lo siento", "désolé", "desole", "too long",
    "what a pain", "no fun", "a lot to deal with", "maddening", "scary", "worrying", "i hear how", "alarming",
    "distressing", "upsetting", "unsettling", "disruptive", "a shock", "a hassle", "inconvenience",
    "oh no", "last thing you need", "awful", "horrible", "such a pain", "rotten", "a nightmare", "gutting",
    "miserable", "must be hard", "can't have been easy", "so hard", "heartbreaking", "i'm sorry", "dreadful",
    # reassurance names the feeling: "don't panic, nothing's cancelled", "please don't worry"
    "don't panic", "don't worry", "please don't worry", "try not to worry", "no need to worry", "no need to panic",
    # feelings and hardship named in more words: "a letter like that is frightening", "that's a lot of pressure"
    "frightening", "disappointing", "disheartening", "embarrassing", "exhausting", "infuriating", "a lot of pressure",
    "not fair on you", "isn't fair on you", "condolences", "not the news you", "not what you were hoping",
    "i get why", "i can understand", "that's hard", "that's tough", "so tough", "rough luck", "unacceptable",
    "shouldn't have happened", "should never have happened", "let you down",
    # spoken acknowledgement: "oh, bless you", "oh gosh, you're right", "no wonder you're cross", "take all the
    # time you need", "I do appreciate that isn't the answer you were after"
    "bless you", "bless your heart", "oh dear", "oh gosh", "oh goodness", "oh my goodness", "oh my gosh",
    "you poor thing", "poor thing", "no wonder", "don't blame you", "can't blame you", "i'd be the same",
    "take all the time you need", "take your time", "no rush at all", "there's no rush", "please don't apologise",
    "please don't apologize", "not the answer you", "isn't the answer you", "not what you wanted to hear",
    "not what you want to hear", "what a shame", "such a shame", "that's a shame", "that's not on", "a pain",
    "that's rubbish", "that's not right", "not good enough from us", "not good enough on our part", "nightmare",
    "you've been through", "you're going through", "a rough time", "a hard time", "a tough time",
)
EMPATHY_REGEXES = (
    r"\bi(?:'d| would)\s+(?:be|feel)\s+(?:\w+\s+)?(?:annoyed|frustrated|upset|angry|worried|the same)(?:\s+too)?\b",
    # the same said in the caller's own terms: "I'd be tearing my hair out too" (not "I'd be happy to do that too")
    r"\bi(?:'d|\s+would)\s+(?:be|feel)\s+(?!(?:happy|glad|pleased|able|delighted|keen)\b)(?:[\w']+\s+){1,6}?"
    r"(?:too|as\s+well)\b",
    r"\b(?:so|really|very|truly|terribly)\s+sorry\b",
    # "an unknown payment is alarming", "that must be worrying", "it's concerning"
    r"\b(?:is|was|must\s+be|sounds|can\s+be|that's|it's)\s+(?:\w+\s+)?(?:concerning|inconvenient|a\s+worry)\b",
    # "that would wind anyone up", "it'd drive anyone mad", "three hours would wear anyone down"
    r"\b(?:would|'d|will|can)\s+(?:\w+\s+)?(?:wind|wear|drive|get|upset|annoy|frustrate|worry|stress|"
    r"send)\s+anyone\b", r"\banyone\s+would\s+(?:be|feel)\b",
    # the wait named: "forty minutes is a long time to sit listening to music", "that's far too long to wait"
    r"\b(?:is|was|that's|it's)\s+(?:a\s+)?(?:really\s+|very\s+|far\s+too\s+|way\s+too\s+|much\s+too\s+)?"
    r"(?:long\s+time|too\s+long)\s+to\s+(?:wait|sit|be|hang|go|hold)\b",
    # the hardship named back: "a horrible thing to wake up to", "a horrible thing to find"
    r"\b(?:horrible|awful|terrible|scary|nasty|dreadful|rotten)\s+(?:thing|shock|surprise|way)\s+to\b",
    # naming the situation in other words: "that's a tough spot", "that stings", "is a big deal", "you've every
    # reason to be cross", "I am sad to hear this", "not a place anyone should be in"
    r"\b(?:tough|difficult|rough|awful|horrible|stressful|scary|worrying)\s+(?:spot|position|situation|place)\b",
    r"\bthat\s+(?:must\s+|would\s+|will\s+)?(?:have\s+)?(?:stings?|stung)\b",
    r"\b(?:is|that's|it's)\s+a\s+(?:big|huge|real)\s+deal\b",
    r"\b(?:every|good|all\s+the)\s+(?:reason|right)\s+to\s+(?:be|feel)\b",
    r"\b(?:sad|saddened|sorry)\s+to\s+(?:hear|read|learn)\b|\bsaddened\b",
    r"\b(?:no\s*one|nobody)\s+should\s+(?:have\s+to|be)\b|\bnot\s+(?:\w+\s+){1,2}anyone\s+should\b",
    # fairness and what anyone would feel, in more words: "that's not fair to you", "would feel like a bait and switch
    # to anyone", "would make anyone uneasy", "you shouldn't be paying for it"
    r"\b(?:not|isn't|wasn't|hardly)\s+(?:very\s+|at\s+all\s+)?fair\s+(?:on|to)\s+you\b",
    r"\b(?:would|'d|will)\s+(?:feel|seem|look)\s+(?:like\s+)?[^.!?]{1,40}?\bto\s+anyone\b",
    r"\b(?:would|'d|will|can)\s+make\s+anyone\s+\w+",
    r"\byou\s+(?:shouldn't|should\s+not|should\s+never)\s+(?:have\s+had\s+to|be\s+(?:paying|out\s+of\s+pocket|"
    r"left|chasing))\b",
)


# on a call, an agent reply that names the customer's feeling answers the customer's turn before it, even where
# speech recognition lost the words that made that turn sound upset ("I'm raging about it" heard as "I'm going to
# have a visit for this day", answered by "That's a horrible letter to open, I'm sorry"); a bare "sorry" or an
# apology for an inconvenience is politeness, not this
SPOKEN_FEELING_REGEXES = (
    r"\b(?:oh\s+no|horrible|awful|scary|frightening|worrying|stressful|frustrating|gutting|rotten|dreadful|"
    r"heartbreaking|upsetting|distressing|maddening|nightmare|no\s+wonder|last\s+thing\s+you\s+need)\b",
    r"\bthat\s+must\s+(?:be|have\s+been)\b|\bi\s+can\s+(?:only\s+)?imagine\b|\bunderstand\s+(?:why|how)\b",
)


# the customer named as the cause in the sentence that apologises ("Sorry, but you must have missed the knock",
# "Sorry, but you signed the form, so checking the network was your job"): an apology that opens blame is no
# acknowledgement (the prohibited-language words, "that's on you", "should have read", are read beside these)
CUSTOMER_CAUSE_REGEXES = (
    r"\byou\s+(?:must|should)(?:'ve|\s+have)\s+(?:missed|read|checked|known|turned|set|kept|booked|looked|noticed|"
    r"used|followed|saved|updated|paid|cancelled|registered|ticked|asked|called|contacted|told\s+us|made\s+sure)\b",
    r"\b(?:was|is|were)\s+(?:really\s+|entirely\s+|all\s+|always\s+)?your\s+(?:job|responsibility|duty|mistake|"
    r"lookout|own\s+(?:doing|choice|risk))\b",
)

# an apology about something other than what upset the customer (empathy stream, round 17): a "sorry" that asks
# to repeat or clarify ("Sorry, I don't follow - which flight?", "sorry, come again?"), and one for the agent's own
# slow reply ("sorry for the slow reply, it's busy today") when the upset turn says nothing of time or waiting; the
# acknowledgement must answer the upset turn, not the agent's own slip
CLARIFYING_REGEXES = (
    r"\b(?:sorry|pardon|apologies)\W+(?:(?:but|so)\s+)?(?:(?:(?:i'm|i\s+am)\s+not\s+sure\s+i|i\s+(?:don't|do\s+not|"
    r"didn't|did\s+not|can't|cannot))\s+(?:quite\s+)?(?:follow|understand|get|catch|see\s+what)|(?:can|could|would)\s+"
    r"you\s+(?:please\s+)?(?:repeat|say\s+(?:that|it)\s+again|clarify|rephrase)|what\s+do\s+you\s+mean|come\s+again|"
    r"what\s+was\s+that)\b",
    r"(?:^|[.!?]\s+)sorry\s*\?",
    # an apology that opens a question back ("Sorry, which parcel do you mean?", "sorry - what's the order
    # number?"): it asks, it answers nothing the customer felt (empathy stream, round 18)
    r"\b(?:sorry|pardon|apologies)\W+(?:(?:but|so)\s+)?(?:which|what|what's|who|where|when|how\s+(?:do|did|can|many|much)|"
    r"do\s+you\s+mean|did\s+you\s+mean|is\s+(?:it|this|that)|are\s+you)\b[^.!?]*\?",
)
OWN_DELAY_REGEXES = (
    r"\b(?:sorry|apologi[sz]e|apologies)\s+(?:for|about|to)\s+(?:the|my|our|this|that)?\s*(?:slow|late|delayed|long)?"
    r"\s*(?:reply|response|answer|wait|delay\s+in\s+(?:replying|responding|answering|getting\s+back))\b",
    r"\b(?:sorry|apologi[sz]e|apologies)\s+(?:for|about)\s+keeping\s+you\b|\bsorry\s+to\s+keep\s+you\b",
)
# what in an upset turn is about time or waiting, so that an apology for the wait answers it
WAITING_REGEXES = (
    r"\b(?:wait\w*|hold|queue\w*|ages|forever|hours?|minutes?|mins?|days?|weeks?|months?|long|slow|late|delay\w*|"
    r"still|yet|repl(?:y|ied|ies)|respond\w*|answer\w*|chas\w+|ignor\w+|nobody|no\s+one)\b",
)


class EmpathyParams(Params):
    threshold: float = -0.5
    frustration_phrases: tuple[str, ...] = FRUSTRATION + DISTRESS
    frustration_regexes: tuple[str, ...] = FRUSTRATION_REGEXES + COUNTED_REGEXES + FEAR_REGEXES
    empathy_phrases: tuple[str, ...] = EMPATHY
    empathy_regexes: tuple[str, ...] = EMPATHY_REGEXES
    shouting: bool = True
    repeated_punctuation: bool = True
    upset_exemplars: Exemplars | None = None
    calm_ask_regexes: tuple[str, ...] = CALM_ASK_REGEXES  # outweigh a weak likeness to the upset exemplars,
    calm_ask_below: float = 0.75  # one under this similarity, in the same sentence
    # a greeting with a question or request, or a calm marker, in the turn: likeness and tone alone are not upset
    polite_opening_regexes: tuple[str, ...] = POLITE_OPENING_REGEXES
    polite_request_regexes: tuple[str, ...] = POLITE_REQUEST_REGEXES
    calm_markers: tuple[str, ...] = CALM_MARKERS
    # a likeness alone needs a sentence of this many words: "👍", "great", "Ellie Turner, 5/9/1998" say nothing
    upset_min_words: int = 3
    thanked_above: float = 0.5  # nor a turn that thanks with at least this sentiment (VADER)
    empathy_exemplars: Exemplars | None = None
    # blame and brush-offs are no acknowledgement, however close to one by meaning ("That's the courier's fault,
    # not my problem."): the prohibited-language check's words, not negated, and the rubric's own (its
    # prohibited_language extra_phrases, shared by a YAML anchor)
    blame_phrases: tuple[str, ...] = PROHIBITED
    blame_regexes: tuple[str, ...] = PROHIBITED_REGEXES
    blame_extra_phrases: tuple[str, ...] = ()
    customer_cause_regexes: tuple[str, ...] = CUSTOMER_CAUSE_REGEXES
    # an apology about something else is no acknowledgement: a request to clarify, always; the agent's own slow
    # reply, unless the upset turn speaks of time or waiting
    clarifying_regexes: tuple[str, ...] = CLARIFYING_REGEXES
    own_delay_regexes: tuple[str, ...] = OWN_DELAY_REGEXES
    waiting_regexes: tuple[str, ...] = WAITING_REGEXES
    window: int = 2
    spoken_feeling_regexes: tuple[str, ...] = SPOKEN_FEELING_REGEXES  # on calls only


class SentimentParams(Params):
    last_turns: int = 1
    positive: float = 0.5
    negative: float = -0.05
    negative_phrases: tuple[str, ...] = NEGATIVE_END
    # sarcasm, and the frustration cues the empathy check reads ("I've asked twice", "oh wonderful, ...", a death)
    negative_regexes: tuple[str, ...] = SARCASM_REGEXES + FRUSTRATION_REGEXES + REJECTION_REGEXES
    spoken_negative_regexes: tuple[str, ...] = SPOKEN_NEGATIVE_END_REGEXES  # on calls only
    spoken_positive_regexes: tuple[str, ...] = SPOKEN_POSITIVE_END_REGEXES  # on calls only
    neutral_acks: tuple[str, ...] = NEUTRAL_ACKS
    # a figure of the agent's last turn said back on its own, then praise: sarcasm ("10 working days. rent's due
    # friday. great, thanks.", "8 weeks for 75 pounds. Marvellous.")
    said_back_praise: tuple[str, ...] = SAID_BACK_PRAISE
    said_back_words: int = 6  # the said-back sentence has at most this many words
    thanks_phrases: tuple[str, ...] = THANKS
    positive_exemplars: Exemplars | None = None
    negative_exemplars: Exemplars | None = None
    vader: bool = True


# words that carry no sentiment on their own: a sentence of only these is like any exemplar by accident
_FUNCTION_WORDS = frozenset({"i", "you", "we", "it", "that", "this", "so", "do", "did", "will", "would", "shall", "can",
                             "am", "is", "are", "was", "have", "has", "had", "the", "a", "an", "and", "then", "there",
                             "yes", "yeah", "yep", "ok", "okay", "sure", "well", "right", "oh", "um", "uh", "me", "too",
                             "i'll", "i'm", "it's", "that's", "we'll", "you'll"})
_WEAK = "negative sentiment"  # the reason _upset gives when VADER's score alone found the customer upset
_LEADING_NO = re.compile(r"^\s*(?:no|nope|nah)\b[\s,.!]*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError("the empathy checks need vaderSentiment: pip install 'qa-toolkit[scoring]'") from exc
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=65536)
def sentiment(sentence: str) -> float:
    """VADER's compound sentiment of a text, −1 (negative) to 1 (positive); remembered (empathy and the end
    sentiment both read the customer's turns)."""
    return float(_analyzer().polarity_scores(sentence)["compound"])


def shouted(said: str) -> str | None:
    """A word in capitals for emphasis ("down AGAIN", "I have NO card"), not an acronym or an all-caps message."""
    if said.upper() == said:
        return None  # all capitals: a habit or a caps-lock, not emphasis
    for m in SHOUTING.finditer(said):
        word = m.group(0)
        if word not in ACRONYMS and _VOWEL.search(word) and (len(word) > 3 or word in SHORT_SHOUTS):
            return word  # "CSV", "GDPR": acronyms without vowels; "ZIP", "PAC", "ADJ": short codes, not emphasis
    return None


def _calm(sem: semantic.Hit, p: EmpathyParams) -> bool:
    """True when a sentence like the upset exemplars says too little to be upset by likeness alone (fewer than
    ``upset_min_words`` words: an answer, a thumbs-up), or, only weakly like them, asks calmly for an explanation
    ("my bill's double the usual and I'd like to know why"); a strong likeness stays upset ("I'd like to know why I
    pay double for a service that never works")."""
    if len(_LETTERED.findall(sem.sentence)) < p.upset_min_words:
        return True
    return sem.similarity < p.calm_ask_below and text.first(sem.sentence, (), p.calm_ask_regexes) is not None


def _asks_calmly(said: str, p: EmpathyParams) -> bool:
    """True when a turn opens with a greeting and asks a question or makes a request ("Morning. My card got declined
    at Tesco, could you see why?"), or says it is light or in no hurry ("got pepperoni, I'm vegetarian lol")."""
    if text.first(said, p.calm_markers) is not None:
        return True
    return (text.first(said, (), p.polite_opening_regexes) is not None
            and text.first(said, (), p.polite_request_regexes) is not None)


def _upset(turn: TurnView, p: EmpathyParams, written: bool = True) -> tuple[str, float] | None:
    """Why ``turn`` sounds upset, with a confidence, else None. ``written``: a chat or an e-mail (the polite-opening
    guard reads written turns only; on a call every customer greets and asks)."""
    match = text.first(turn.text, p.frustration_phrases, p.frustration_regexes)
    if match:
        return f"frustration words {turn.text[match.start:match.end]!r}", 0.85
    if p.repeated_punctuation and (marks := REPEATED_PUNCTUATION.search(turn.text)):
        if (len(_WORD.findall(turn.text, 0, marks.start())) >= 3 and sentiment(turn.text) < 0.3  # not excitement
                and not text.first(turn.text, THANKS, THANKS_REGEXES)):  # nor thanks: "they're back. ty!!"
            return f"repeated punctuation {marks.group(0)!r}", 0.75
    if p.shouting and (word := shouted(turn.text)) and sentiment(turn.text) < p.thanked_above:
        return f"shouting {word!r}", 0.75  # not capitals of delight: "the new app is GREAT!"
    if written and _asks_calmly(turn.text, p):
        return None  # a likeness to the upset exemplars or a negative tone alone: not upset when asked politely
    if (sem := semantic.match([turn], p.upset_exemplars)) and _calm(sem, p):  # another sentence may be upset
        sem = next((h for h in semantic.matches([turn], p.upset_exemplars) if not _calm(h, p)), None)
    if sem and text.first(turn.text, THANKS, THANKS_REGEXES) and sentiment(turn.text) >= p.thanked_above:
        sem = None  # a happy thanks ("great, it's working now. ty!!") is not upset by likeness alone
    if sem:
        return f"sounds upset, like “{sem.exemplar}” ({sem.similarity:.2f})", sem.confidence
    score = sentiment(_LEADING_NO.sub("", turn.text) or turn.text)
    if score <= p.threshold and not text.first(turn.text, THANKS):  # "nope, that's perfect, thank you!"
        return f"negative sentiment {score:+.2f}", min(1.0, 0.5 + abs(score) / 2)
    return None


def _replies(view: InteractionView, position: int, window: int) -> list[TurnView]:
    """The agent's next ``window`` replies after turn ``position``, as turns. On a call a reply is what the agent
    (or a colleague who took over: ``agent_2`` on a mono call) says until the customer says something of their own:
    a customer's "mm-hm" inside it (which splits it into two turns) does not end it, a bare "okay" of the agent's
    before it is no reply, and neither is a recorded line of the queue."""
    after = view.turns[position + 1:]
    if view.channel != "call":
        return [t for t in after if t.speaker == "agent"][:window]
    from qa_toolkit.transcribe.redaction import is_backchannel

    replies: list[list[TurnView]] = []
    open_reply = False
    for turn in after:
        if recorded_line(turn):
            continue  # "your call is important to us" in a hold: the line's, nobody's reply
        if turn.speaker in STAFF:  # the agent, or the colleague or team lead who took the call over
            if not open_reply:
                if len(replies) == window:
                    break
                replies.append([])
                open_reply = True
            replies[-1].append(turn)
        elif not is_backchannel(turn.text):  # the customer said something: the agent's next words are a new reply
            if open_reply and all(is_backchannel(t.text) for t in replies[-1]):
                replies.pop()  # an "okay" while the customer was still talking
            open_reply = False
    return [t for reply in replies for t in reply]


def _blames(sentence: str, p: EmpathyParams) -> bool:
    """True when ``sentence`` holds blame or a brush-off by the prohibited-language words, or names the customer as
    the cause ("you must have missed the knock"); negated uses left out, a negation up to five words before
    ("none of this is your fault")."""
    phrases = p.blame_phrases + p.blame_extra_phrases
    return (any(not m.negated for m in text.find(sentence, phrases, p.blame_regexes, window=5))
            or text.first(sentence, (), p.customer_cause_regexes) is not None)


def _sentence_at(said: str, position: int) -> str:
    """The sentence of ``said`` that holds the character at ``position``."""
    return next((said[s:e] for s, e in semantic.sentences(said) if s <= position < e), said)


def _elsewhere(said: str, upset: TurnView, p: EmpathyParams) -> list[tuple[int, int]]:
    """The spans of ``said`` whose apology is about something other than the customer's ``upset`` turn: a request to
    clarify ("Sorry, I don't follow"), or the agent's own slow reply when the upset turn says nothing of waiting."""
    regexes = p.clarifying_regexes
    if text.first(upset.text, (), p.waiting_regexes) is None:
        regexes = regexes + p.own_delay_regexes
    return [(m.start, m.end) for m in text.find(said, (), regexes)]


def _acknowledgement(reply: TurnView, upset: TurnView, p: EmpathyParams) -> Evidence | None:
    """The first acknowledgement in ``reply`` of the customer's ``upset`` turn (an empathy phrase, else a sentence
    like the block) whose sentence does not blame ("Sorry, but that's on you" apologises for nothing the customer
    felt) and that is not about something else ("sorry for the slow reply" to an upset about a bill)."""
    other = _elsewhere(reply.text, upset, p)
    for match in text.find(reply.text, p.empathy_phrases, p.empathy_regexes):
        if (not match.negated and not any(s <= match.start < e for s, e in other)
                and not _blames(_sentence_at(reply.text, match.start), p)):
            return quote(reply, match.start, match.end)
    if p.empathy_exemplars is None:
        return None
    sem = next((h for h in semantic.matches([reply], p.empathy_exemplars)
                if not _blames(h.sentence, p) and not _elsewhere(h.sentence, upset, p)), None)
    return semantic.evidence(sem) if sem else None


def _named_feeling(view: InteractionView, position: int, p: EmpathyParams) -> Evidence | None:
    """On a call, the agent's next reply to the customer's turn at ``position`` naming a feeling (not negated), else
    None."""
    if view.channel != "call" or not p.spoken_feeling_regexes:
        return None
    reply = next(iter(_replies(view, position, 1)), None)
    match = text.first(reply.text, (), p.spoken_feeling_regexes) if reply is not None else None
    return quote(reply, match.start, match.end) if reply is not None and match is not None else None


def empathy(view: InteractionView, p: EmpathyParams) -> CheckResult:
    """When the customer first sounds upset, the agent acknowledges it within the next ``window`` agent turns.

    A turn that only VADER's score calls upset ("lost my debit card, need to cancel it") does not decide alone:
    unacknowledged, the check reads on, and a later turn upset in words or exemplars decides instead."""
    turns = view.turns
    weak: CheckResult | None = None
    for position, turn in enumerate(turns):
        if turn.speaker != "customer":
            continue
        upset = _upset(turn, p, view.channel != "call")
        if upset is None:
            if named := _named_feeling(view, position, p):
                return CheckResult("pass", f"agent named the customer's feeling in turn {named.turn} (answering turn "
                                   f"{turn.index})", (quote(turn), named), 0.6)
            continue
        reason, confidence = upset
        trigger = quote(turn)
        replies = _replies(view, position, p.window)
        if not replies:
            continue  # upset in the last word: nothing the agent could answer
        for reply in replies:
            if (said := _acknowledgement(reply, turn, p)) is not None:
                return CheckResult("pass", f"customer upset in turn {turn.index} ({reason}); agent acknowledged "
                                   f"in turn {reply.index}", (trigger, said), confidence)
        failed = CheckResult("fail", f"customer upset in turn {turn.index} ({reason}); no acknowledgement in the "
                             f"next {len(replies)} agent turn(s)", (trigger, *(quote(r) for r in replies)), confidence)
        if not reason.startswith(_WEAK):
            return failed
        weak = weak or failed
    return weak or CheckResult("na", "the customer never sounded upset", (), 0.7)


def _relieved(said: str, p: SentimentParams, negative_regexes: tuple[str, ...]) -> bool:
    """Thanks with relief, and no complaint once the relief is taken out ("thank god. thank you, I was panicking",
    not "thanks, but I was panicking and nobody called, ridiculous")."""
    if not text.first(said, p.thanks_phrases, THANKS_REGEXES) or not text.first(said, (), RELIEF_REGEXES):
        return False
    rest = said
    for regex in RELIEF_REGEXES:
        rest = re.sub(regex, " ", rest, flags=re.IGNORECASE)
    return not text.first(rest, p.negative_phrases, negative_regexes)


def customer_sentiment(view: InteractionView, p: SentimentParams) -> CheckResult:
    """The customer's sentiment at the end (their last turn): negative when it complains, rejects, threatens to
    leave or is sarcastic; positive when it thanks (sincerely) or sounds happy; neutral otherwise (a bare "ok").
    Fails when negative. The order: a bare acknowledgement, then negative evidence (exemplars, phrases, sarcasm),
    then positive evidence (exemplars, thanks), then VADER's compound score against ``positive``/``negative``."""
    turns = view.by("customer")[-p.last_turns:]
    if not turns:
        return CheckResult("na", "no customer turns")
    said = " ".join(t.text for t in turns)
    # a leading "no" answers "anything else?", it is no sentiment: "No thanks, bye" is as positive as "thanks, bye"
    score = sentiment(_LEADING_NO.sub("", said) or said) if p.vader else 0.0
    bare = " ".join(text.normalize(said).replace(".", " ").replace("!", " ").split())
    evidence: tuple[Evidence, ...] = tuple(quote(t) for t in turns)
    negative = semantic.best(turns, p.negative_exemplars) if p.negative_exemplars else None
    if negative and set(_WORD.findall(negative.sentence.lower())) <= _FUNCTION_WORDS:
        negative = None  # "I will.", "So do I.": nothing in it to sound unhappy by meaning ("helpful. not." has)
    positive = semantic.best(turns, p.positive_exemplars) if p.positive_exemplars else None
    negative_regexes = on_channel(view, p.negative_regexes, p.spoken_negative_regexes)
    if bare in p.neutral_acks:
        label, score = "neutral", 0.0
    elif _relieved(said, p, negative_regexes):
        label = "positive"  # relieved: the fear it names is over
    elif negative and negative.matched and not (positive and positive.matched
                                                and positive.similarity > negative.similarity):
        label, evidence = "negative", (semantic.evidence(negative),)
    elif p.said_back_praise and (before := [t for t in view.by("agent") if t.index < turns[0].index]) and said_back(
            said, before[-1].text, p.said_back_praise, p.said_back_words):
        label = "negative"
    elif text.first(said, p.negative_phrases, negative_regexes):  # searched only when nothing above decided
        label = "negative"
        said_in = next(((t, m) for t in turns if (m := text.first(t.text, p.negative_phrases, negative_regexes))),
                       None)  # the turn that says it (None: the words run across two turns)
        evidence = (quote(said_in[0], said_in[1].start, said_in[1].end),) if said_in else evidence
    elif positive and positive.matched:
        label, evidence = "positive", (semantic.evidence(positive),)
    elif text.first(_LEADING_NO.sub("", said) or said, p.thanks_phrases, THANKS_REGEXES):
        label = "positive"  # "no thanks", "no ty" answer "anything else?" with thanks: the "no" negates nothing
    elif text.first(said, (), on_channel(view, (), p.spoken_positive_regexes)):
        label = "positive"
    else:
        label = "positive" if score >= p.positive else "negative" if score <= p.negative else "neutral"
    return CheckResult("fail" if label == "negative" else "pass", f"customer ends {label} ({score:+.2f})",
                       evidence, min(1.0, 0.5 + abs(score) / 2),
                       {"sentiment_end": label, "compound": round(score, 3)})


def register_checks(register) -> None:  # type: ignore[no-untyped-def]
    register("empathy", empathy, EmpathyParams, empathy.__doc__)
    register("customer_sentiment", customer_sentiment, SentimentParams, customer_sentiment.__doc__)
