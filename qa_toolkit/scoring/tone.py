"""Tone cues: how a sentence speaks to the customer, whatever it is about.

Sentence embeddings carry topic more than tone ("Pls read the SMS properly" sits near other sentences about texts),
so a classifier over them alone finds a rude agent mainly where an earlier writer was rude about the same thing. Each
cue here is one family of wording that carries tone in any topic: the customer blamed in the second person, orders
to calm down or read again, minimising, sarcasm, exasperation at repeating, indifference, threats tied to the
customer's behaviour, belittling comparisons, lectures on what to do next time, swearing (masked and abbreviated
too), whether the sentence is addressed to the customer at all; and, on the other side, politeness, apology, quoting
someone else's words, negating or disowning a rude act (a colleague's, a hypothetical one) and a statement of the
company's practice. A cue is a yes/no reading of one sentence; a trained classifier (``model: trained`` with
``cues`` in its file, see ``tools/train_classifier.py``) weighs them beside the embedding, learning from labelled
conversations how much each one counts. The cues decide nothing on their own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from qa_toolkit.scoring import literals
from qa_toolkit.scoring.text import normalize

if TYPE_CHECKING:
    import numpy as np

_YOU = r"(?:you|u)"
CUES: dict[str, tuple[str, ...]] = {
    # "you should've checked", "you never bothered to look", "if you can't keep a receipt"
    "blame": (
        rf"\b{_YOU}(?:'d|'ve|\s+had|\s+have)?\s+(?:really\s+|clearly\s+|obviously\s+)?(?:should(?:'ve|\s+have)?|"
        r"could(?:'ve|\s+have)|ought\s+to\s+have)\s+(?:read|checked|looked|known|thought|asked|noticed|kept|saved|"
        r"listened|paid|followed|made\s+sure|bothered)\b",
        rf"\b{_YOU}\s+(?:never|didn't|did\s+not|don't|can't|couldn't)\s+(?:even\s+)?(?:bother|read|check|listen|"
        r"look|manage|remember|keep)\w*\b",
        rf"(?<!not\s)(?<!n't\s)\b(?:on|down\s+to|up\s+to)\s+{_YOU}\b[.!]?$",
        r"\b(?:your|ur)\s+(?:own\s+)?(?:fault|mistake|lookout|responsibility|job\s+to)\b",
        r"\b(?:people|customers|folks|anyone|most\s+people)\s+who\s+(?:actually\s+|bother\s+to\s+)?(?:read|check|"
        r"listen|pay\s+attention|open|look)\w*\b",
        # blame in the words of a policy: "a failure to consult them", "overlooked on your side", "the choices
        # customers make at 2am"
        r"\bfailure\s+to\s+(?:consult|read|check|follow|update|notice|keep|look)\b",
        r"\b(?:overlooked|missed|forgotten|skipped|wrong)\s+(?:\w+\s+){0,2}on\s+your\s+(?:side|end|part)\b",
        r"\bchoices\s+(?:customers|people|you)\s+make\b",
    ),
    # advice on what the customer should have done or do before writing in: "worth keeping somewhere you will find
    # it", "we trust this will be borne in mind", "consult the FAQ before contacting us", "the clue's in the name"
    "lecture": (
        r"\bfor\s+future\s+reference\b", r"\bborne\s+in\s+mind\b", r"\bsomewhere\s+you(?:'ll|\s+will)\s+find\b",
        r"\bbefore\s+(?:contacting|writing\s+to|calling|messaging|chatting\s+with)\s+us\b",
        r"\bworth\s+a\s+(?:glance|look|read)\s+before\b",
        r"\b(?:customers|you|policyholders|tenants)\s+(?:are|were)\s+expected\s+to\b",
        r"\bas\s+(?:previously|already)\s+(?:advised|stated|explained|mentioned|communicated)\b",
        r"\bthe\s+clue'?s\s+in\s+the\s+name\b",
    ),
    # "deep breaths", "read it again, slowly", "stop writing the same thing", "listen" (not a well-wish: "look after
    # yourself")
    "order": (
        r"^(?:now,?\s+|so,?\s+|please,?\s+|just\s+)?(?:calm|settle|relax|breathe|chill|listen|stop|read|grow\s+up|"
        r"get\s+over|deal\s+with|learn|pay\s+attention|look)\b(?!\s+(?:forward|into|after|at\s+(?:the|your)\s+options))",
        r"\bdeep\s+breaths?\b", r"\btake\s+a\s+(?:breath|breather|step\s+back)\b", r"\b(?:slowly|properly)\s+this\s+"
        r"time\b", r"\bstop\s+(?:writing|sending|asking|repeating|messaging|shouting|typing)\b",
        rf"\b{_YOU}\s+(?:are|'re)\s+not\s+listening\b",
    ),
    # "it's forty quid", "hardly the end of the world", "bit much over", "making a fuss"
    "minimise": (
        r"\b(?:hardly|not\s+exactly|barely)\s+(?:the\s+end\s+of\s+the\s+world|a\s+(?:disaster|tragedy|crisis|"
        r"catastrophe|big\s+deal)|life\s+or\s+death)\b",
        r"\b(?:it's|it\s+is|that's)\s+(?:only|just)\s+(?:a\s+)?(?:few\s+)?\w+\s+(?:quid|pounds|dollars|euros|bucks|"
        r"minutes|days)\b", r"\b(?:it's|it\s+is)\s+(?:\w+\s+)?(?:quid|bucks)\b", r"\bend\s+of\s+the\s+world\b",
        r"\b(?:no|not\s+a)\s+big\s+deal\b", r"\bmak(?:e|ing)\s+(?:a\s+)?(?:fuss|drama|scene|mountain)\b",
        r"\bfirst[-\s]world\s+problem\b", r"\bnot\s+a\s+(?:child|baby|person)\b", r"\b(?:moving|let's\s+move)\s+on\b",
        r"\bget\s+over\s+it\b", r"\bnot\s+exactly\s+(?:an?\s+)?(?:emergency|urgent|crisis|tragedy)\b",
        r"\bonly\s+money\b",
        # the loss or the grievance waved off by what it is not: "it's not like it was new", "it's not like I'm
        # picking on you"
        r"\bit(?:'s|\s+is)\s+not\s+like\s+(?!that\b|this\b)",
    ),
    # "oh wonderful, another one who", "impressive", "bold strategy", "lol no", "sure, let me just ..."
    "sarcasm": (
        r"^\W*(?:oh|wow|well),?\s+(?:great|wonderful|brilliant|lovely|fantastic|perfect|amazing|marvell?ous|"
        r"fabulous|congrat\w*|bravo|impressive|nice|super)\b",
        r"\b(?:impressive|bold\s+(?:move|strategy|choice)|genius|what\s+a\s+surprise|shock(?:er|ing)?,?\s+i\s+know)\W*$",
        r"^\W*impressive\b", r"^\W*congratulations,?\s+you\b",
        r"^\W*sure,?\s+(?:let\s+me\s+|i'll\s+)just\b", r"\blet\s+me\s+just\s+(?:pop|go|run|nip)\b",
        r"\banother\s+one\s+who\b", r"[\U0001F643\U0001F644\U0001F612\U0001F602\U0001F923\U0001F926]",
        r"\b(?:lol|lmao|rofl|smh)\b", r"\bgood\s+luck\s+with\s+that\b", r"\bgood\s+luck\s+with\s+the\b",
        r"\bfunnily\s+enough\b", r"\bat\s+this\s+rate\b", r"\bwell\s+done\s+you\b", r"\bgold\s+star\b",
        r"\bseen\s+that\s+(?:film|movie|one)\s+before\b",
    ),
    # "once more, since it slipped past you", "per my previous two messages", "one more time"
    "exasperation": (
        r"\bonce\s+more\b", r"\bone\s+more\s+time\b", r"\bper\s+my\s+(?:previous|last|earlier)\b",
        r"\bfor\s+the\s+(?:second|third|fourth|fifth|last|hundredth|umpteenth)\s+time\b",
        r"\bagain\s+and\s+again\b", r"\bhow\s+many\s+times\b", r"\bslipped\s+past\s+you\b",
        r"\bas\s+i\s+(?:said|told\s+you|keep\s+saying)\b", r"\b(?:i've|i\s+have)\s+(?:already\s+)?(?:said|told\s+you)\b",
        r"\b(?:not|no)\s+\w+(?:-\w+)?,\s+not\s+['\w]", r"\bare\s+we\s+done\b",
        r"\*\s*(?:sigh|sighs|eye[-\s]?roll|facepalm|groan)s?\s*\*", r"^\W*(?:sigh|meh)\b",
        r"\b(?:a|another)\s+(?:second|third|fourth|fifth)\s+time\b",
        r"\bwe\s+(?:look|get\s+to\s+it|reply)\s+when\s+we\b",
        r"\b(?:in\s+full|properly|carefully)\s+this\s+time\b",
    ),
    # "isn't something I lose sleep over", "couldn't give a toss", "your problem to chase"
    "indifference": (
        r"\blose\s+sleep\b", r"\bcould(?:n't|\s+not)\s+care\s+less\b", r"\b(?:couldn't|could\s+not|don't|do\s+not)\s+"
        r"give\s+a\s+\w+", r"\bnot\s+(?:something|anything)\s+i(?:'m|\s+am)?\s+(?:going\s+to\s+)?(?:care|chase|worry|"
        r"bother|lose)\w*\b", r"\b(?:your|ur)\s+(?:\w+,\s+)?(?:your|ur)\s+(?:problem|job|issue|headache)\b",
        r"\bnot\s+(?:my|our)\s+(?:concern|issue|headache|business)\b", r"^\W*whatever\b",
        r"\b(?:actual|real|other)\s+customers\s+waiting\b", r"\bcan'?t\s+be\s+(?:arsed|bothered|asked)\b",
        r"\brules\s+are\s+rules\b", r"\bit\s+is\s+what\s+it\s+is\b", r"\btake\s+it\s+up\s+with\b",
        r"^\W*(?:no|nope|nah|k|irrelevant|asked\s+and\s+answered|not\s+relevant)\W*$",
        r"\bknock\s+yourself\s+out\b", r"\bmore\s+to\s+your\s+(?:taste|liking)\b",
        r"\b(?:consider|try|find)\s+(?:a|another)\s+(?:\w+\s+)?(?:provider|company|supplier|firm)\s+"
        r"(?:whose|that|who)\b",
        r"^\W*(?:dunno|no\s+idea|not\s+a\s+clue|no\s+clue|who\s+knows)(?:,?\s+(?:mate|pal))?\W*$",
    ),
    # "keep pushing like this and ...", "carry on with that tone and I can ...", "we know where you work"
    "threat": (
        r"\b(?:keep|carry\s+on|continue|any\s+more\s+of)\b[^.!?]{0,40}?\band\s+(?:i|we|you|your)\b[^.!?]{0,20}?"
        r"\b(?:will|'ll|can|could|might|may)\b",
        r"\bbottom\s+of\s+the\s+(?:pile|list|queue|heap)\b", r"\bflag\s+(?:you|your|the)\s+(?:\w+\s+){0,2}for\b",
        r"\bwe\s+know\s+(?:where|when|who)\b", r"\b(?:think|have\s+a\s+think)\s+about\s+how\s+you'd\s+like\b",
        r"\b(?:ban|blacklist|report)\s+you\b",
        r"\bneighbours?\b[^.!?]{0,40}?\b(?:see|sees|saw|seeing|notic\w+|watch\w*)\b",
        r"\bdon't\s+make\s+me\b",
        r"\b(?:nice|polite|pleasant)\s+(?:people|customers)\b[^.!?]{0,30}?\bfirst\b",
    ),
    # "tenants like you", "not for everyone", "not going to hold your hand", "grown-ups read"
    "belittle": (
        r"\b\w+s\s+like\s+you\b", r"\bnot\s+for\s+everyone\b", r"\bhold\s+your\s+hand\b", r"\bgrown[-\s]?ups?\b",
        r"\bbeyond\s+you\b", r"\b(?:too\s+(?:hard|much|complicated|difficult)|a\s+struggle)\s+for\s+you\b",
        rf"\bif\s+(?:an?\s+|the\s+)?\w+\s+is\s+(?:a\s+struggle|too\s+\w+)\b", r"\bmost\s+people\s+(?:can|manage|do)\b",
        r"\b(?:complete|total|absolute)\s+beginners?\b", r"\bfor\s+dummies\b",
        r"\b(?:clearly|obviously)\s+(?:a\s+bit\s+)?(?:new|hard|difficult|confusing|too\s+much)\s+(?:to|for)\s+you\b",
        r"\b(?:go|take\s+(?:it|this)|do\s+this)\s+(?:very,?\s+)+slowly\b", r"\b(?:[a-z]-){3,}[a-z]\b",
        r"\bthen\s+complain\b",
        # talking down in formal or polite words: "perhaps a little more slowly", "in the simplest possible terms",
        # "a lot for you to take in", "with all due respect", "Bless you for trying", "written for adults", "even
        # child can do", "ask your son to help you", "better than you do", "we can't all be technically minded", the
        # majority of customers manage
        r"\bmore\s+slowly\b", r"\b(?:simplest|plainest)\s+(?:possible\s+)?(?:terms|words)\b",
        r"\bspell\s+it\s+out\b", r"\ba\s+lot\s+for\s+you\s+to\s+(?:take\s+in|process|follow|understand)\b",
        r"\bwith\s+(?:all\s+)?due\s+respect\b", r"^\W*(?:then\s+|but\s+|and\s+)?(?:respectfully|with\s+respect),",
        r"\bbless\s+(?:you|your\s+heart)\s+for\b", r"\b(?:written|designed|made)\s+for\s+adults\b",
        r"\beven\s+(?:a\s+)?(?:child|kid|baby)\s+(?:can|could|would|knows?|manages?|understands?|gets?)\b",
        r"\bask\s+(?:your|a)\s+(?:son|daughter|grandson|granddaughter|kids?|children|grandchildren|relative)\s+"
        r"to\s+help\b",
        r"\bbetter\s+than\s+you\s+do\b", r"\bcan't\s+all\s+be\b",
        r"\bbetween\s+the\s+keyboard\s+and\s+the\s+chair\b", r"\buser\s+error\b",
        r"\b(?:majority|most|all)\s+of\s+(?:our\s+)?(?:customers|users|members|clients)\s+(?:manage|cope)\b",
        r"\blike\s+everyone\s+else\b", r"\bsome\s+(?:customers|people|users)\s+find\s+it\s+helps?\b",
        # measured against a small child, an old relative or any grown adult: "toddlers manage it", "my nan manages
        # it", "plenty of time for a grown adult"
        r"\b(?:toddlers?|my\s+(?:nan|nana|nanna|gran|granny|grandma|grandad|grandpa))\s+(?:\w+\s+)?(?:manages?|can|"
        r"could|does|do|knows?|gets?)\b", r"\bgrown\s+(?:adults?|men|man|women|woman)\b",
    ),
    # swearing in any sentence (the customer's words are not read: the check reads the agent's sentences)
    "swearing": (
        r"\b(?:shit\w*|fuck\w*|f\*+\w*|arse\w*|ass(?:hole)?s?|piss\w*|crap\w*|damn\w*|bloody|bollocks|bugger\w*|"
        r"sod(?:ding)?|toss|twat|wank\w*|bastard\w*|bitch\w*|hell)\b",
        # masked, misspelt and abbreviated: "f***ing", "sh1t", "proper shiite", "b*tch", "wtf", "FFS", "total bs"
        r"\bf[*#@$!]+\w*", r"\bsh[*!1i]{1,3}te?(?:s|ty|ting)?\b", r"\b[bp][*#@$]+\w+", r"\bpi\$\$",
        r"\b(?:wtf|ffs|stfu|fml|omfg|bs|arsed|shite|effin\w*|frick\w*|fck\w*|fkn|feck\w*|bullsh\w*|goddamn\w*)\b",
        # blasphemy as an interjection: "Jeez, it's on the sign", "Christ, again?"
        r"^\W*(?:jeez|geez|jesus|christ|god\s+almighty|good\s+god)\b",
    ),
    # the sentence speaks to the customer ("you", "your"): rudeness is mostly addressed, a policy mostly is not
    "addressed": (r"\b(?:you|your|you're|you've|you'd|yourself|u|ur)\b",),
    # politeness, apology and care: "I'm sorry", "happy to help", "no worries at all", "I can see why"
    "polite": (
        r"\b(?:sorry|apologi[sz]e|apologies|my\s+mistake|my\s+fault)\b", r"\b(?:thank\s+you|thanks)\b",
        r"\b(?:please|kindly)\b", r"\b(?:happy|glad)\s+to\b", r"\bno\s+(?:worries|problem|stress)\b",
        r"\b(?:i|we)\s+(?:understand|can\s+see\s+why|completely\s+get)\b", r"\bfair\s+enough\b",
        r"\b(?:every|a)\s+right\s+to\b",
    ),
    # someone else's words quoted: "you called us 'useless thieves'", "told you it was 'not our problem'"
    "quote": (r"(?:^|(?<=[\s(:,]))['\"\u2018\u201c](?=\w).{3,}?['\"\u2019\u201d](?!\w)",
              r"\b(?:you|they|he|she|colleague)\s+(?:called|said|told|wrote|described)\b"),
    # the speaker negates or refuses a rude act: "I'm not going to tell you to ...", "I won't pretend"
    "negated": (r"\b(?:not\s+going\s+to|won't|will\s+not|never\s+going\s+to|wouldn't)\s+(?:ask|tell|pretend|blame|"
                r"judge)\b",
                # someone else's rude words disowned or supposed: "that should never have been said", "if anyone tells
                # you to wait and see, they'd be wrong", "some people would say ..., but"
                r"\bshould(?:\s+never|n't)\s+have\s+(?:been\s+)?(?:said|told|written|called)\b",
                r"\b(?:was|were|would\s+be|'d\s+be)\s+wrong\b",
                r"\bnot\s+here\s+to\s+(?:pressure|judge|lecture|blame|rush|push|hassle|chase)\b",
                r"\bif\s+(?:anyone|anybody|someone)\s+(?:ever\s+)?"
                r"(?:tells?|told|says?|said)\b", r"\b(?:some|other)\s+(?:people|agents|firms)\s+(?:would|might)\s+"
                r"(?:say|tell)\b", r"\b(?:not|isn't|wasn't)\s+on\s+you\b", r"\bnobody\s+could\s+have\s+known\b"),
    # the fault taken by the speaker or the company, not put on the customer: "That's our mistake, not yours",
    # "that one's on me", "my fault entirely", "nothing you did"
    "owned": (r"\b(?:my|our)\s+(?:own\s+)?(?:fault|mistake|error|slip|doing)\b",
              r"\b(?:that|that\s+one|it|this)(?:'s|\s+is|\s+was)\s+on\s+(?:me|us)\b",
              r"\bnot\s+(?:yours|your\s+(?:fault|doing|mistake)|(?:something|anything)\s+you\s+did)\b",
              r"\bnothing\s+you\s+did\b"),
    # the company's practice, not the customer's doing: "We aim to reply within a day", "Our team takes every report
    # seriously", "Nothing more for you to do"
    "practice": (r"^\W*(?:we|our\s+(?:team|company))\s+(?:always\s+|genuinely\s+|do\s+)?(?:strive|aim|"
                 r"endeavou?r|are\s+committed|pride\s+ourselves|value|takes?\s+(?:all|every|each))\b",
                 r"\bnothing\s+(?:more\s+|further\s+|else\s+)?(?:for\s+you\s+to|you\s+need\s+to)\s+(?:pay|do)\b",
                 r"^\W*nothing\s+to\s+pay\b"),
}
NAMES: tuple[str, ...] = tuple(CUES)
SOFTENING = ("addressed", "polite", "quote", "negated", "owned", "practice")  # cues that are no rudeness in themselves
# each cue's regexes one by one, with the words a text must hold for each to match (literals.needs, case-sensitive as
# the regexes are): a cue fires where one of its regexes is found, so only the regexes whose needs a sentence holds run
_PARTS = tuple((name, literals.needs(r, 0), re.compile(r)) for name, regexes in CUES.items() for r in regexes)
_ALWAYS = frozenset(i for i, (_, need, _) in enumerate(_PARTS) if need is None)  # no known needs: always searched


def _by_word() -> dict[str, tuple[int, ...]]:
    """By each word of a regex's first need, the regexes (indexes in :data:`_PARTS`) it may let match."""
    found: dict[str, list[int]] = {}
    for i, (_, need, _) in enumerate(_PARTS):
        for word in need[0] if need else ():
            found.setdefault(word, []).append(i)
    return {word: tuple(indexes) for word, indexes in found.items()}


_BY_WORD = _by_word()
literals.register(word for _, need, _ in _PARTS for group in need or () for word in group)


@lru_cache(maxsize=65536)
def fired(sentence: str) -> tuple[str, ...]:
    """The names of the cues found in ``sentence`` (normalised: lower case, straight apostrophes)."""
    said = normalize(sentence).strip()
    words = literals.present(said)
    candidates = set(_ALWAYS)
    for word in words:
        candidates.update(_BY_WORD.get(word, ()))
    found: set[str] = set()
    for i in candidates:
        name, need, pattern = _PARTS[i]
        if name not in found and (need is None or all(not group.isdisjoint(words) for group in need[1:])) \
                and pattern.search(said):
            found.add(name)
    return tuple(name for name in NAMES if name in found)


def rude(sentence: str) -> tuple[str, ...]:
    """The cues found in ``sentence`` that speak against the speaker (all but :data:`SOFTENING`)."""
    return tuple(name for name in fired(sentence) if name not in SOFTENING)


def vector(sentences: list[str], names: tuple[str, ...] = NAMES) -> np.ndarray:
    """One row per sentence, one column per cue of ``names`` (1.0 where it fires)."""
    import numpy as np

    out = np.zeros((len(sentences), len(names)), dtype=np.float32)
    for row, sentence in enumerate(sentences):
        found = fired(sentence)
        for column, name in enumerate(names):
            out[row, column] = name in found
    return out
