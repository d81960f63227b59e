"""Phrases and patterns: greeting, closing, required disclosure, prohibited language, any phrase."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Literal

from pydantic import Field, model_validator

from qa_toolkit.scoring import heard, semantic, text, tone
from qa_toolkit.scoring.callturns import IVR_PROMPT_REGEXES, UNDECIDED, own_words
from qa_toolkit.scoring.checks import CheckResult, Evidence, Params, on_channel, quote
from qa_toolkit.scoring.checks.resolution import ESCALATION, ESCALATION_REGEXES, OFFER_REGEXES, handover
from qa_toolkit.scoring.semantic import Exemplars
from qa_toolkit.scoring.view import InteractionView, TurnView

GREETINGS = (
    "hello", "hi", "hey", "good morning", "good afternoon", "good evening", "welcome", "thanks for contacting",
    "thank you for contacting", "thanks for reaching out", "thank you for reaching out", "thanks for calling",
    "thank you for calling", "thanks for getting in touch", "my name is", "how can i help", "how may i help",
    "how can i assist", "bonjour", "hola", "greetings", "howdy", "good day", "what can i do for you",
    "you're through to", "you are through to", "you're speaking to", "you're speaking with", "you speak with",
    "speaking",
    # spoken openings: "Hiya, Wanderly Holidays", "you've reached Emberline Energy"
    "hiya", "heya", "hey there", "hi there", "you've reached", "you have reached",
)
# spoken openings: "Morning, Harbor Mutual billing", "Afternoon! Hannah here", also where a call's turn starts with
# what the line said before the agent ("... connecting you to an advisor now. Afternoon, home support.")
GREETING_REGEXES = (
    r"(?:^|(?<=[.!?])\s)\W*(?:good\s+)?(?:morning|afternoon|evening)\b",
    # a caller introducing themselves on an outbound call: "Is that Ms Doyle? Brian, from Castlegate Recoveries",
    # "it's Jo calling from Brightway" (a name and a comma, or "it's"/"this is": not "Cancelled from today")
    r"(?:^|(?<=[.!?])\s)\W*(?:(?:it's|this\s+is)\s+[a-z]+,?|(?!(?:so|ok|okay|right|sorry|well|and|but|yes|no|now|"
    r"just|also|then|thanks|that|this|it|apart|aside|calling)\b)[a-z]+,)\s+(?:(?:calling|ringing|phoning)\s+)?from\s+"
    r"(?!the\s+(?:account|system|notes|looks|start|top|end))",
    # an agent introducing themselves by name alone, after the line's prompt: "Thanks for that, I'm Bea."
    r"(?:^|(?<=[.!?,])\s)\W*(?:i'm|i\s+am)\s+(?!(?:sorry|afraid|here|back|sure|fine|good|okay|ok|done|ready|new|"
    r"listening|with\s+you|not|so|just|glad|happy|a|an|the|in|on|at|it)\b)[a-z]+(?=\s*(?:[.!?,]|$))",
)
# a phone opening of two names and no verb, the company's and the agent's: "Kowalski, Castlegate Collections.",
# "Quillmart, Tom.", "Voltway support, Jonas here." (matched on the text as written: names are capitalised; a name
# may end in department words, "support", "claims"; a department alone is no greeting)
_NAME = r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3}(?:\s+(?!here\b|speaking\b)[a-z][\w'-]*){0,2}"
NAMED_OPENING = re.compile(rf"^\W*({_NAME})(?:\s+(?:here|speaking))?,\s+({_NAME})"
                           r"(?:\s+(?:here|speaking)\s*(?:[.!,]|$)|\s*(?:[.!]|$))")
DEPARTMENTS = frozenset({
    "billing", "cards", "card", "support", "sales", "retention", "retentions", "collections", "claims", "accounts",
    "bookings", "booking", "help", "desk", "helpdesk", "customer", "customers", "service", "services", "team", "line",
    "loyalty", "complaints", "payments", "returns", "orders", "technical", "tech", "fraud", "security", "reception",
})
NOT_A_NAME = DEPARTMENTS | frozenset({
    "admissions", "enquiries", "reservations", "appointments", "registrations", "applications", "renewals",
    "repairs", "deliveries", "claim", "meter", "readings", "on", "look", "listen", "great", "perfect",
    "cheers", "lovely", "good", "cool", "ah", "oh", "aye", "hmm", "mm", "yup", "wait", "just", "what", "who", "how",
    "thank", "you", "and", "but", "the", "a", "it", "is", "that", "this",
    "yes", "yeah", "yep", "no", "okay", "ok", "right", "sure", "hello", "hi", "sorry", "thanks", "go", "hang", "hold",
    "one", "sec", "moment", "ahead", "please", "um", "uh", "er", "so", "well", "now", "fine", "alright",
})
# a phone opening of a first name and an open question, nothing else: "Marta. What are we sorting out today?", "Otis
# here, how can I be useful?", "Claims, you've got Priya, what's happened?" (matched on the agent's first words as
# written; a department or a filler before the question, "Admissions, what is it?", "Right, what's the problem?",
# introduces nobody)
OPEN_QUESTION = re.compile(r"^\W*(?:what|how|where|who|which|why)\b[^?]*\?", re.IGNORECASE)
INTRODUCED = re.compile(
    r"\b(?i:you(?:'ve|\s+have)\s+got|you(?:'re|\s+are)\s+(?:with|talking\s+(?:to|with))|this\s+is|it's|it\s+is)\s+"
    r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\b)[A-Z][a-z'-]+\b"
    r"|^\W*[A-Z][a-z'-]+\s+(?i:here|speaking|on\s+the\s+line|at\s+(?-i:[A-Z]))\b")
INTRODUCTION_EVIDENCE_CHARS = 40  # a name-and-question opening's evidence: the name and this much of the question
CLOSINGS = (
    "anything else", "goodbye", "bye", "take care", "thanks for contacting",
    "thank you for contacting", "thank you for calling", "thanks for calling", "thanks for chatting",
    "next steps", "you will receive", "you'll receive", "you'll get an email", "feel free to reach out",
    "don't hesitate to contact", "don't hesitate to reach out", "enjoy your day", "glad i could help",
    # spoken goodbyes: "You look after yourself", "mind how you go", "ta-ra", "speak soon"
    "look after yourself", "mind how you go", "all the best", "cheerio", "ta-ra", "bye now", "speak soon",
    "talk soon", "take it easy", "good luck",
    # e-mail sign-offs and well-wishes (chatrest, dev ld-0741..0790): "Kind regards, Rosa", "see you back soon"
    "kind regards", "best regards", "warm regards", "warmest regards", "yours sincerely", "yours faithfully",
    "see you soon", "see you back", "see you next time", "get well soon", "bon voyage",
    # a well-wish in other words (chatrest, dev ld-1101..1160): "Have fun with the winter pack."
    "have fun",
    # goodbyes in other languages' habits (chatrest, dev ld-1261..1320): "Até logo", "Auf Wiedersehen", "Doei!"
    "adiós", "adios", "hasta luego", "hasta pronto", "hasta la próxima", "até logo", "até mais", "tchau", "ciao",
    "arrivederci", "au revoir", "à bientôt", "a bientot", "auf wiedersehen", "tschüss", "tschuss", "doei", "tot ziens",
    "do svidaniya", "do widzenia", "hej då", "adeus", "sayonara", "khuda hafiz", "buen viaje", "boa viagem",
)
# "have a great day", "have a lovely weekend", "have a good rest of your day", "have a good one"
CLOSING_REGEXES = (
    r"\bhave an? (?:(?:really|very) )?(?:great|good|nice|lovely|wonderful|fantastic|brilliant|pleasant|safe) "
    r"(?:day|evening|night|weekend|afternoon|morning|week|holiday|trip|one|stay|flight|journey|time|"
    r"rest of (?:the|your) (?:day|week|evening))\b",
    # a well-wish on its own: "good flight!", "safe travels", "hope your cat feels better soon", "heal quickly"
    r"(?:^|(?<=[.!?,])\s)\W*(?:good|safe|nice|great)\s+(?:flight|trip|journey|stay|travels)\b",
    r"\b(?:get|gets|feel|feels)\s+better\s+soon\b", r"\bheal\s+(?:up\s+)?(?:quickly|soon|fast|well)\b",
    # more help offered in other words, as a question: "Was there something else?", "Is that everything for today?"
    r"\b(?:anything|something)\s+(?:else|more)\b[^.!?]{0,40}\?", r"\bis\s+that\s+(?:everything|all)\b[^.!?]{0,20}\?",
    # a callback or an update promised: "I'll call you on the 2nd", "we'll message you here once it's done"
    r"\b(?:i'll|i\s+will|we'll|we\s+will)\s+(?:\w+\s+)?(?:call|ring|phone|e-?mail|text|message|write\s+to|contact|"
    r"update)\s+you\b",
    # money or a delivery on its way, said short: "You'll get 260 back by the 15th", "a new delivery comes Thursday"
    r"\byou(?:'ll|\s+will|\s+should)\s+(?:get|receive|have)\s+(?:it\s+|the\s+money\s+|[£$€]?\d[\d,.]*\s+)back\b",
    r"\b(?:courier|driver|engineer|technician|parcel|delivery|replacement)\s+(?:\w+\s+){0,2}?(?:comes?|arrives?|"
    r"delivers?|lands?|is\s+due)\b[^.!?]{0,40}?\b(?:today|tomorrow|tonight|within|by|on|this|next|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)\b",
    # next steps said as what arrives and when: "a welcome pack will come in the post in about a week", "the
    # label'll be in your inbox in a few minutes", "the engineer will be with you on Thursday"
    r"\b(?:will|'ll|should)\s+(?:\w+\s+)?(?:come|arrive|reach\s+you|be\s+with\s+you|land|go\s+out|turn\s+up|"
    r"be\s+(?:in|on)\s+(?:the\s+post|your\s+(?:inbox|account|email|phone|way)))\b[^.!?]{0,40}?\b(?:in|within|by|"
    r"on|over|today|tomorrow|tonight|next)\b",
    # next steps said as what the customer will get or what is on its way: "you'll get a letter confirming nothing
    # is owed", "we'll send a statement", "a returns bag is on its way", "the replacement ships when we scan it"
    r"\b(?:you'll|you\s+will|you\s+should)\s+(?:\w+\s+)?(?:get|receive)\s+(?:a|an|the|your)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:letter|e-?mail|text|sms|confirmation|statement|code|link|label|invoice|receipt|message|notification|reply|"
    r"call|refund|replacement|pack|copy|form)\b",
    r"\b(?:we'll|we\s+will|i'll|i\s+will)\s+(?:\w+\s+)?(?:send|post|e-?mail|text)\s+(?:you\s+)?(?:a|an|the|your)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:letter|e-?mail|statement|confirmation|code|link|label|invoice|receipt|copy|form|pack|"
    r"replacement|update|details)\b",
    r"\b(?:is|are)\s+on\s+(?:its|their|the)\s+way\b", r"\b(?:ships|dispatches|will\s+ship)\s+(?:when|as\s+soon|"
    r"today|tomorrow|on|within|in|by)\b",
    # a short well-wish: "Enjoy Madrid!", "Enjoy the trip!"
    r"(?:^|(?<=[.!?])\s)\W*enjoy\s+(?:the\s+|your\s+)?[\w-]+(?:\s+[\w-]+)?\s*[.!]",
    # next steps by someone else or in other words (chatrest, dev ld-1101..1160): "they'll lock the account now and
    # email you", "a reviewer replies by email within 72 hours", "I'll drop you a text in July", "I've booked our
    # heating contractor for tomorrow 8-12", "Booked you in Tuesday 1-5"
    r"\b(?:they|he|she|someone|somebody)(?:'ll|\s+will)\s+(?:[\w-]+\s+){0,5}?(?:call|ring|phone|e-?mail|text|"
    r"message|write\s+to|contact)\s+you\b",
    r"\b(?:replies|reply|responds?|gets?\s+back\s+to\s+you)\s+(?:by\s+(?:e-?mail|phone|post|letter)\s+)?within\b",
    r"\bdrop\s+you\s+(?:a|an)\s+(?:quick\s+)?(?:text|line|e-?mail|message|note)\b",
    r"\bbooked\s+(?:[\w'-]+\s+){0,3}?(?:in\s+)?(?:for\s+)?(?:today|tomorrow|tonight|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|next\s+\w+|(?:on\s+)?the\s+\d+(?:st|nd|rd|th)?)\b",
    # what the customer must do to finish, on a condition: "if it starts to weep, ring us and we'll see her"
    r"\bif\b[^.!?]{0,80}?\b(?:ring|call|phone|message|text|e-?mail|contact|tell)\s+us\b",
    # more help offered as a question: "Want me to add the winter sports part?", "Would you like me to book it?"
    r"(?:^|(?<=[.!?])\s)\W*(?:do\s+you\s+)?want\s+me\s+to\b[^.!?]*\?",
    # next steps as a refund's timing said short, a document in the customer's portal, a goodbye with when (chatrest,
    # dev ld-1261..1320): "Second payment refunded, 3-5 days", "it'll be in your tenant portal by tomorrow midday",
    # "See you at 2!" (a person's future act with any time, "I'll ... within the hour", and money "goes back to your
    # card" were tried and dropped: false passes on the old test splits)
    r"\b(?:refund(?:ed)?|money|payment|credit)\b[^.!?]{0,40}?\b\d+\s*(?:-|–|to)\s*\d+\s+(?:working\s+|business\s+)?"
    r"days\b",
    r"\b(?:will|'ll|should)\s+be\s+(?:in|on)\s+your\s+(?:[\w-]+\s+)?(?:portal|app|dashboard|account|inbox)\b",
    r"\bsee\s+you\s+(?:and\s+[\w'-]+\s+)?(?:at\s+\d|on\s+\w+day|then\b|tomorrow\b|later\b|monday\b|tuesday\b|"
    r"wednesday\b|thursday\b|friday\b|saturday\b|sunday\b)",
)
DISCLOSURE_REGEXES = (
    r"\b(?:this|the|our|your)\s+(?:call|conversation|chat)s?\s+(?:may|will|might|is going to|are|is)\s+"
    r"(?:be\s+)?(?:being\s+)?(?:monitored|recorded)",
    r"\brecorded\s+for\s+(?:quality|training)",
    r"\bmonitored\s+(?:and|or)\s+recorded\b",
    r"\brecorded\s+(?:and|or)\s+monitored\b",
)
# the same as speech recognition writes it on a call, the kind of record misheard: "we keep body oil of these calls"
# (audio), "we keep a copy of every call"; a recorded line
SPOKEN_DISCLOSURE_REGEXES = (
    r"\bwe\s+keep\s+(?:[\w'-]+\s+){1,3}?of\s+(?:these|our|all|every|each|your|the)\s+(?:phone\s+)?calls?\b",
    r"\brecorded\s+line\b",  # "you're on a recorded line", its first words lost ("totally strong and recorded line")
)
# in a call's opening (what the agent's line says before the customer speaks) a word of recording is the notice,
# however garbled the rest: "First one is totally strong and recorded line.", "what President Colder comes to
# unrecord", "so you know these conversations are kept on tape"
OPENING_DISCLOSURE_REGEXES = (r"\b(?:un)?record(?:ed|ing|s)?\b|\btape[ds]?\b|\btaping\b|\bmonitor(?:ed|ing)?\b",)
PROHIBITED = (
    "calm down", "not my problem", "not my job", "shut up", "stupid", "idiot", "dumb",
    "you people", "damn", "hell", "crap", "that's your problem", "i don't care",
    "you should have read", "as i already said", "like i said", "bloody", "ridiculous question",
    "that's on you", "your own fault", "your fault", "stop shouting", "effing", "frigging", "friggin", "freaking",
    # spoken swearing and brush-offs: "this sodding system", "for god's sake", "everybody's got a story"
    "sodding", "bollocks", "bugger", "pissed off", "piss off", "sod off", "for god's sake",
    "for christ's sake", "everybody's got a story", "everyone's got a story", "haven't got all day",
    "don't have all day", "your lookout", "your own lookout",
)
PROHIBITED_REGEXES = (
    # swearing the list above lacks, spelt out, masked or abbreviated: "our shitty system", "this f***ing driver",
    # "FFS", "wtf", "can't be arsed" (the end is no word boundary: a mask ends in a sign)
    r"\b(?:shit\w*|shite|sh[*!1@#]+t\w*|fuck\w*|fck\w*|fcuk\w*|fkn|f[*#@$!]+(?:\w+|[*#@$!])*|wtf|ffs|stfu|omfg|"
    r"bullsh\w*|arsed|arsehole\w*|asshole\w*|twat\w*|wank\w*|bastard\w*|bitch\w*|b[*#@$!]+tch\w*)(?!\w)",
    # "deal with it" said to the customer, not the agent's own promise ("it is our problem and I'll deal with it")
    r"(?<!i'll\s)(?<!i\swill\s)(?<!we'll\s)(?<!we\swill\s)(?<!me\s)(?<!i\scan\s)(?<!we\scan\s)\bdeal\s+with\s+it\b",
    # the you-people insult: "folks like you always say that", "people like you", "your sort"
    r"\b(?:folks|people|types?|sorts?)\s+like\s+you\b",
    r"\byour\s+(?:sort|type)\b(?!\s+(?:of|code|number))",
    # blaming the customer: "if you'd actually read it", "if you had bothered to check"
    r"\bif\s+you(?:'d|\s+had)\s+(?:actually\s+|just\s+|even\s+|bothered\s+to\s+|taken\s+the\s+time\s+to\s+)*"
    r"(?:read|listened|checked|looked|paid\s+attention)\b",
    # the same through speech recognition, which drops the "'d": "if you actually read it, you wouldn't need to call"
    r"\bif\s+you\s+(?:actually|bothered\s+to|even|took\s+the\s+time\s+to)\s+(?:read|listened|checked|looked)\b",
    # calm down in other words: "take it down a notch", "tone it down"
    r"\b(?:take|bring|tone|turn|keep)\s+it\s+down\b",
    # ... and on the telephone: "raising your voice at me isn't going to fix it", "keep your voice down", "no need
    # to shout", "settle down", "simmer down" (the "no" belongs to the phrase: it negates nothing here)
    r"\b(?:raising|raise|lower|keep)\s+your\s+voice\b", r"\b(?:settle|simmer|cool)\s+down\b",
    r"\b(?:calm|settle)\s+(?:yourself|your\s*self)(?:\s+down)?\b",  # "Calm yourself, sir." (calls, round 16)
    # the customer's question belittled: "that's a bit of a daft question", "a silly question, it's on the page"
    r"\b(?:daft|silly|stupid|dumb|ridiculous|pointless|obvious)\s+question\b",
    # blame for not bothering ("not really on us if you don't bother reading your texts"), matched after "if" so that
    # the deflection before it does not read as a negation
    r"(?<=\bif\s)you\s+(?:don't|didn't|can't|won't|do\s+not|did\s+not)\s+(?:even\s+)?bother\s+(?:to\s+)?"
    r"(?:read|check|look|open|listen)\w*\b",
    r"\bstop\s+(?:yelling|screaming|having\s+a\s+go)\b", r"\bchill\s+out\b",
    r"\bno\s+need\s+(?:to|for)\s+(?:shout|yell|scream|raise\s+your\s+voice|that\s+tone|the\s+attitude|get\s+(?:so\s+)?"
    r"(?:worked\s+up|upset|angry|shirty|arsey|aggressive|funny|personal))\w*\b",
    # blame in the past tense: "declaring it was down to you", "that was all down to you"
    r"\b(?:was|were)\s+(?:all\s+|entirely\s+|completely\s+|really\s+)?down\s+to\s+you\b",
    r"\bthat's\s+(?:just\s+|simply\s+)(?:how|the\s+way)\s+it\s+is\b",
    r"\bdon't\s+make\s+me\s+(?:chase|ring|call|phone|come\s+after)\b",
    r"\bare\s+you\s+(?:even|actually)\s+listening\b",
    # blame in hindsight: "if you had taken a minute to open it", "if you'd saved the email we wouldn't be here"
    r"\bif\s+you(?:'d|\s+had)\s+(?:(?:actually|just|even|only|ever|bothered\s+to|taken\s+(?:a|the)\s+"
    r"(?:minute|moment|second|time)\s+to)\s+)*(?:read|listened|checked|looked|opened|saved|kept|followed|"
    r"paid\s+attention)\b",
    # lecturing: "that's what happens when you paste keys", "next time don't guess", "you can't expect them to"
    r"\bthat's\s+what\s+happens\s+(?:when|if)\s+you\b", r"\bnext\s+time,?\s+(?:don't|do\s+not|try\s+to|read)\b",
    r"\byou\s+can't\s+(?:really\s+)?expect\b",
    # talking down: "it's not rocket science", "how much simpler can I make it", "explained this three times"
    r"\bnot\s+rocket\s+science\b", r"\bhow\s+much\s+simpler\b",
    r"\b(?:explained|told\s+you)\s+(?:\w+\s+){0,3}?(?:three|two|four|several|many|multiple|a\s+hundred|ten)\s+"
    r"times\b", r"\bas\s+(?:has\s+been|was|i've|i\s+have)\s+(?:already\s+)?(?:been\s+)?"
    r"(?:explained|told)\s+to\s+you\b",
    # indifference: "makes no difference to me", "it's your money", "your funeral", "I don't make the rules"
    r"\b(?:makes|made)\s+no\s+difference\s+to\s+me\b", r"\bit's\s+your\s+(?:money|funeral|loss|problem)\b",
    r"(?<!for\s)(?<!about\s)\byour\s+(?:funeral|loss)\b", r"\bi\s+don't\s+make\s+the\s+rules\b",
    # threats that reach past the debt: "your boss will be getting a call", "the truck comes"
    r"\byour\s+(?:boss|employer|manager|work|family|neighbou?rs)\s+(?:will|is\s+going\s+to|'ll)\b",
    r"\b(?:the\s+)?(?:truck|van|bailiffs?|enforcement\s+agents?|repo\s+men?)\s+(?:comes?|will\s+come|turns?\s+up|"
    r"will\s+be\s+round)\b",
    # people sent to take the goods: "we'll be sending people round to take the car off your drive" (round 16)
    r"\b(?:send|sending|sent|get|getting)\s+(?:people|someone|somebody|men|the\s+lads|a\s+team|agents?|bailiffs?)\s+"
    r"(?:round|over|out)\s+to\s+(?:take|seize|repossess|clamp|tow)\s+(?:away\s+)?(?:the|your)\s+(?:car|vehicle|van|"
    r"goods|belongings|furniture|things|stuff|telly|tv)\b",
    r"\b(?:enforcement\s+agents?|bailiffs?|someone|officers?|collectors?)\s+(?:\w+\s+){0,3}?(?:to\s+)?(?:attend|visit|"
    r"come\s+(?:round\s+)?to|call\s+at|knock\s+on)\s+your\s+(?:address|home|house|property|door|work)\b",
    # a threat behind a condition, which the negation window would read as negated: "if nothing comes in, your
    # employer will hear about it"
    r"\bif\s+(?:nothing|no\s+payment|you\s+don't|you\s+do\s+not|it's\s+not|it\s+isn't)\b[^.!?]{0,60}?\byour\s+"
    r"(?:boss|employer|manager|work|family|neighbou?rs)\s+(?:will|is\s+going\s+to|'ll)\b",
    # talking down, starting where a negation would otherwise hide it: "I don't know how much simpler I can make it"
    r"\b(?:can't|cannot|don't\s+know\s+how\s+to)\s+make\s+it\s+(?:any\s+)?(?:simpler|clearer|easier)\b",
    r"\bdon't\s+know\s+how\s+much\s+(?:simpler|clearer|plainer)\b",
    r"\bdid\s+you\s+(?:even|actually|really|not)\s+(?:read|check|look|try|listen|bother)\b",
    r"\b(?:every(?:one|body)|any(?:one|body))\s+knows?\s+(?:this|that|how)\b",
    r"\b(?:this|that|it)(?:'s|\s+is)\s+(?:a\s+|really\s+|very\s+|pretty\s+)*basic\s+(?:thing|stuff|knowledge)\b",
    r"\b(?:type|talk|speak|say\s+it|go)\s+(?:really\s+|very\s+|extra\s+)?slow(?:ly|er)?\s+(?:then|for\s+you)\b",
    r"\bi'll\s+(?:type|talk|speak|say\s+it)\s+(?:really\s+|very\s+|extra\s+)?slow(?:ly|er)?\b",
    r"\b(?:spell\s+it\s+out|use\s+small(?:er)?\s+words)\s+for\s+you\b",
    # sarcasm and disbelief: "sure, because nobody's ever reported that", "congratulations, you've found the fee",
    # "heard that one before", "course it was"
    r"\bsure,?\s+because\s+(?:no(?:body|\s+one)|every(?:one|body))\b",
    r"^\W*congratulations,?\s+you(?:'ve|\s+have)\s+(?:found|discovered|managed|worked\s+out)\b",
    r"\bheard\s+(?:that\s+one|it\s+all|that)\s+before\b", r"(?:^|[.!?]\s+)(?:of\s+)?course\s+it\s+(?:was|is|did)\W*$",
    r"\b(?:likely|likely\s+sounding)\s+story\b",
    # indifference and blame: "take it or leave it", "not sure what you expected", "works fine for everyone else"
    r"\btake\s+it\s+or\s+leave\s+it\b", r"\b(?:not\s+sure\s+)?what\s+(?:did|do|else\s+did)\s+you\s+expect\b",
    r"\bnot\s+sure\s+what\s+you\s+expected\b",
    r"\bworks?\s+(?:fine\s+|perfectly\s+)?for\s+every(?:one|body)\s+else\b",
    r"\b(?:(?:a\s+)?bit|rather|so|being|very)\s+dramatic\b", r"\bover-?react(?:ing)?\b",
    r"\b(?:that's|it's)\s+on\s+(?:the|your)\s+\w+,?\s+not\s+(?:me|us)\b",
    # blame and talking down in stock idioms: "so that one's on you", "a child could do it", "cry me a river"
    r"\b(?:that|this)\s+one(?:'s|\s+is)\s+on\s+you\b",
    r"\ba\s+(?:child|kid|toddler|five-year-old|monkey)\s+could\s+(?!be\b|have\b|get\b|travel\b)", r"\bcry\s+me\s+a\s+river\b",
    # legal action stated as a certainty, not as what may happen: "you will be taken to court" (a lawful "our
    # client may start court proceedings" is not matched)
    r"\byou\s+(?:will|'ll)\s+be\s+(?:taken\s+to\s+court|sued|arrested|prosecuted)\b",
)

# the same as speech recognition writes it on a call, a small word misheard: "declaring the conservatory was out to
# you, and that's what we how it is" (was down to you ... that's simply how it is)
SPOKEN_PROHIBITED_REGEXES = (
    r"\b(?:was|were)\s+(?:all\s+|entirely\s+|completely\s+|really\s+)?out\s+to\s+you\b"
    r"(?!\s+(?:by|on|in|at|via|for|today|yesterday|last|this|next|already)\b)",
    r"\bthat's\s+(?!not\b|never\b)(?:\w+\s+){1,2}?how\s+it\s+is\b",
    # spoken brush-offs (round 10): telling the caller not to be upset in other words ("not much point getting upset
    # with me"), disowning ("I don't run the airline"), disbelief ("everyone says that"), refusing to explain again,
    # a counterfactual blame ("reading the terms would have saved us both the bother", "can't expect us to read
    # minds", "you never told us"), a doorstep threat ("we'll send someone round")
    r"\b(?:no|not\s+much|little|what's\s+the)\s+(?:point|use|good)\s+(?:in\s+)?(?:getting|being)\s+(?:\w+\s+)?"
    r"(?:upset|angry|cross|stroppy|shirty|arsy|annoyed|emotional|worked\s+up)\b",
    r"\b(?:getting|get)\s+(?:upset|angry|cross|stroppy|shirty|arsy)\s+(?:with|at)\s+me\b",
    r"\bi\s+(?:don't|do\s+not)\s+(?:run|own)\s+the\s+\w+", r"\bi\s+(?:don't|do\s+not)\s+make\s+the\s+rules\b",
    r"\b(?:every(?:one|body)|they\s+all|you\s+all)\s+(?:says?|said|tells?\s+(?:me|us))\s+that\b",
    r"\b(?:not|never)\s+(?:going\s+)?(?:over|through)\s+(?:it|this|that)\s+again\b",
    r"\b(?:i've|i\s+have)\s+(?:explained|said|told\s+you)\s+(?:it|this|that)\s+(?:twice|three\s+times|already|"
    r"before|(?:a\s+)?(?:few|couple\s+of|hundred)\s+times)\b",
    r"\bread\s+(?:your\s+|people's\s+)?minds?\b", r"\byou\s+(?:never|didn't)\s+(?:told|tell|warn(?:ed)?|let)\s+us\b",
    r"\bwould(?:'ve|\s+have)\s+saved\s+(?:us|you|everyone|everybody)\s+(?:both\s+|all\s+)?(?:the|a\s+lot\s+of|some)\s+"
    r"(?:bother|trouble|hassle|time|grief)\b",
    r"\bsend\s+(?:someone|somebody|people|the\s+lads|a\s+(?:man|team|collector))\s+(?:round|around|over|out)\s+"
    r"(?:to\s+(?:collect|recover|take|seize|get\s+(?:it|the\s+money))|for\s+(?:it|the\s+money|what\s+you\s+owe))\b",
)


class HeardParams(Params):
    """On a call, a phrase of the list also matches as speech recognition may have written it (:mod:`heard`): each
    word's sound key at least ``word_ratio`` like the phrase's, or, one word split or run together, the joined keys
    ``joined_ratio`` alike; phrases of fewer than ``min_chars`` letters only as written. Calibrated on the dev calls'
    tiny.en transcripts (README, calls round 18)."""

    word_ratio: float = Field(default=70.0, ge=0.0, le=100.0)
    joined_ratio: float = Field(default=85.0, ge=0.0, le=100.0)
    min_chars: int = Field(default=10, ge=1)


def _heard(turns: list[TurnView], phrases: tuple[str, ...], p: HeardParams | None) -> tuple[TurnView, text.Match] | None:
    """The first of ``turns`` with a phrase as speech recognition may have written it (None without ``p``)."""
    if p is None:
        return None
    for turn in turns:
        if match := heard.near(turn.text, phrases, word_ratio=p.word_ratio, joined_ratio=p.joined_ratio,
                               min_chars=p.min_chars):
            return turn, match
    return None


class GreetingParams(Params):
    phrases: tuple[str, ...] = GREETINGS
    regexes: tuple[str, ...] = GREETING_REGEXES
    exemplars: Exemplars | None = None
    first_turns: int = 2
    ivr_regexes: tuple[str, ...] = IVR_PROMPT_REGEXES  # on calls: a prompt before the agent greets nobody
    named_opening: bool = True  # on calls: "Company, Name." is an introduction
    heard: HeardParams | None = Field(default_factory=lambda: HeardParams())  # on calls: phrases as ASR wrote them


class ClosingParams(Params):
    phrases: tuple[str, ...] = CLOSINGS
    regexes: tuple[str, ...] = CLOSING_REGEXES
    exemplars: Exemplars | None = None
    last_turns: int = 2
    handover: bool = True  # a hand-over (a transfer, a team that takes the case) in the last turns is a next step
    # on calls: phrases as ASR wrote them; off by default (on the dev calls it found one closing and made one false
    # one, "nothing else I can do about that" sounding like "anything else")
    heard: HeardParams | None = None


class DisclosureParams(Params):
    phrases: tuple[str, ...] = ()
    regexes: tuple[str, ...] = DISCLOSURE_REGEXES
    spoken_regexes: tuple[str, ...] = SPOKEN_DISCLOSURE_REGEXES  # on calls only
    opening_regexes: tuple[str, ...] = OPENING_DISCLOSURE_REGEXES  # in a call's opening only
    exemplars: Exemplars | None = None
    within_s: float | None = 30.0
    within_turns: int | None = 4
    within_agent_turns: int | None = None
    timed_channels: tuple[str, ...] = ("call", "chat", "email")
    # who may give it: the agent or the line's prompt (``system``); on a mono call also a second staff voice, the IVR's
    # own voice (``other``) and a voice diarization could not place (``unknown``): a customer never says "this call
    # is recorded"
    speakers: tuple[str, ...] = ("agent", "system", "agent_2", "other", "unknown")
    channels: tuple[str, ...] = ()


# a softener beside the tone cues: the sentence names the customer's feeling or situation as the empathy check reads an
# acknowledgement ("I know that's disappointing", "that would wind anyone up", "You're right to be annoyed")
ACKNOWLEDGED = "acknowledged"


class ProhibitedParams(Params):
    phrases: tuple[str, ...] = PROHIBITED
    regexes: tuple[str, ...] = PROHIBITED_REGEXES
    spoken_regexes: tuple[str, ...] = SPOKEN_PROHIBITED_REGEXES  # on calls only
    extra_phrases: tuple[str, ...] = ()
    exemplars: Exemplars | None = None  # the team's sentences (a rubric edits them)
    # a classifier trained offline on many more sentences ({model: trained, weights: prohibited_language}): read
    # after the phrases, patterns and exemplars, on the same sentence vectors (no further model call)
    classifier: Exemplars | None = None
    # tone cues (qa_toolkit.scoring.tone: polite, quote, negated) that hold the exemplar block back on a sentence where
    # no rude cue fires: "I'm sorry I can't be more use" is no brush-off for being about the same thing as one
    exemplar_softeners: tuple[str, ...] = ()
    # a polite closing or well-wish (the closing check's phrases and patterns: "Look after yourself.", "Take care")
    # with no rude cue is read by neither the exemplars nor the classifier: its likeness to a brush-off ("Suit
    # yourself") is one of topic, not of tone
    spare_closings: bool = False
    # a sentence the classifier alone rates rude, with no rude cue, counts only where the exemplar block also gives
    # it at least this probability (a second signal for a borderline likeness; None: the classifier alone decides)
    classifier_needs_block: float | None = Field(default=None, ge=0.0, le=1.0)
    # and the other way round: a sentence the exemplar block alone finds, with no rude cue, counts only where the
    # trained classifier also gives it at least this probability (None: the block alone decides)
    block_needs_classifier: float | None = Field(default=None, ge=0.0, le=1.0)
    # softening cues that hold the classifier back too on a sentence where no rude cue fires ("That's our fault, not
    # something you did": the fault owned, not put on the customer)
    classifier_softeners: tuple[str, ...] = ()
    speaker: str = "agent"
    negation: bool = True
    negation_window: int = 6

    @model_validator(mode="after")
    def _known_cues(self) -> ProhibitedParams:
        known = (*tone.SOFTENING, ACKNOWLEDGED)
        for field in ("exemplar_softeners", "classifier_softeners"):
            if unknown := [name for name in getattr(self, field) if name not in known]:
                raise ValueError(f"{field}: unknown {', '.join(unknown)} (one of {', '.join(known)})")
        return self


class PhraseParams(Params):
    phrases: tuple[str, ...] = ()
    regexes: tuple[str, ...] = ()
    exemplars: Exemplars | None = None
    speaker: str = "agent"
    where: Literal["any", "first", "last"] = "any"
    turns: int = 2
    required: bool = True


class SemanticParams(PhraseParams):
    """The ``semantic`` check: like ``phrase``, but exemplars are required (phrases optional)."""

    exemplars: Exemplars

    @model_validator(mode="before")
    @classmethod
    def _needs_exemplars(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("exemplars"):
            raise ValueError("a semantic check needs exemplars: {positive: [sentences], negative: [sentences], "
                             "threshold: 0.6}")
        return data


def _search(turns: list[TurnView], phrases: tuple[str, ...], regexes: tuple[str, ...]) -> tuple[TurnView, text.Match] | None:
    for turn in turns:
        match = text.first(turn.text, phrases, regexes)
        if match:
            return turn, match
    return None


def _named_opening(turn: TurnView) -> text.Match | None:
    """"Castlegate Collections, Brian." or "Voltway support, Jonas here." at the start of the agent's first words (a
    prompt before them blanked out): two names, one of them no department or filler word."""
    match = NAMED_OPENING.match(turn.text)
    if match is None:
        return None
    if any(word[0].islower() and word not in DEPARTMENTS for group in match.groups() for word in group.split()):
        return None  # "Voltway support" names a company's department; "Tom said" is no name
    names = [set(re.findall(r"[\w'-]+", group.casefold())) for group in match.groups()]
    if all(words <= NOT_A_NAME for words in names) or any(words & {"yes", "yeah", "yep", "okay", "ok", "right",
                                                                    "sorry", "hello", "hi", "thanks"} for words in names):
        return None
    return text.Match(match.start(1), match.end(2), match.group(0), False)


def _spoken_introduction(turn: TurnView) -> text.Match | None:
    """A phone opening that gives the agent's name, however briefly, in the first words of their first turn: "you've
    got Priya", "this is Aoife", "Otis here", or a short first sentence that is no department or filler word followed
    by an open question ("Tomas. What's broken?")."""
    sentences = [m for m in re.finditer(r"[^.!?,]+(?:[.!?,]+|$)", turn.text) if m.group(0).strip()][:3]
    if not sentences:
        return None
    opening = turn.text[: sentences[-1].end()]
    if (found := INTRODUCED.search(opening)) is not None:
        return text.Match(found.start(), found.end(), found.group(0), False)
    first = sentences[0]
    words = re.findall(r"[\w'-]+", first.group(0).casefold())
    name_like = 1 <= len(words) <= 3 and not set(words) <= NOT_A_NAME and not any(
        w in NOT_A_NAME or re.search(r"(?:ions|ments|ings|ies)$", w) for w in words[:1])
    if name_like and len(sentences) > 1 and OPEN_QUESTION.match(turn.text[first.end():]):
        end = min(len(turn.text), first.end() + INTRODUCTION_EVIDENCE_CHARS)
        return text.Match(first.start(), end, turn.text[first.start():first.end()], False)
    return None


def _before_hand_over(turns: list[TurnView]) -> list[TurnView]:
    """A call's first agent turns up to the one that hands the call over ("I'll put you through to billing"): on the
    agent's line, whoever speaks after it is the colleague who took the call, not the first agent."""
    for position, turn in enumerate(turns):
        if handover(turn, ESCALATION, ESCALATION_REGEXES, OFFER_REGEXES, first_agent_turn=True):
            return turns[: position + 1]
    return turns


def greeting(view: InteractionView, p: GreetingParams) -> CheckResult:
    """The agent greets in their first turn(s); on a call, the first agent after the line's prompts (an IVR's
    welcome greets nobody) and before a hand-over, and on a mono call whose speakers are undecided, the first voice
    after the prompts."""
    turns = view.by("agent")
    limit = p.first_turns
    if view.channel == "call":
        if not turns and (turns := view.by(UNDECIDED)):
            limit = 1  # who speaks second is unknown: the caller, as likely as not
        if p.ivr_regexes:
            turns = own_words(turns, p.ivr_regexes)
        turns = _before_hand_over(turns[:limit])
    turns = turns[:limit]
    if not turns:
        return CheckResult("na", "no agent turns")
    hit = _search(turns, p.phrases, p.regexes)
    if hit:
        turn, match = hit
        return CheckResult("pass", f"greeting in turn {turn.index}", (quote(turn, match.start, match.end),), 0.95)
    if view.channel == "call" and (hit := _heard(turns, p.phrases, p.heard)):
        turn, match = hit
        return CheckResult("pass", f"greeting in turn {turn.index}, as heard", (quote(turn, match.start, match.end),),
                           0.8)
    if view.channel == "call" and p.named_opening and (named := _named_opening(turns[0])):
        return CheckResult("pass", f"greeting in turn {turns[0].index}: the company and the agent named",
                           (quote(turns[0], named.start, named.end),), 0.8)
    if view.channel == "call" and p.named_opening and (named := _spoken_introduction(turns[0])):
        return CheckResult("pass", f"greeting in turn {turns[0].index}: the agent gives their name",
                           (quote(turns[0], named.start, named.end),), 0.75)
    if sem := semantic.match(turns, p.exemplars):
        return CheckResult("pass", f"greeting in turn {sem.turn.index} (similarity {sem.similarity:.2f})",
                           (semantic.evidence(sem),), sem.confidence)
    return CheckResult("fail", f"no greeting in the agent's first {len(turns)} turn(s)",
                       tuple(quote(t) for t in turns), 0.85)


def _handed_over(turns: list[TurnView], first_agent: int) -> tuple[TurnView, text.Match] | None:
    """The last of ``turns`` that hands the contact over by the escalation check's rules (offers, negations and the
    agent's introduction in their first turn left out), with the hand-over found."""
    for turn in reversed(turns):
        if match := handover(turn, ESCALATION, ESCALATION_REGEXES, OFFER_REGEXES, turn.index == first_agent):
            return turn, match
    return None


def closing(view: InteractionView, p: ClosingParams) -> CheckResult:
    """The agent closes (anything else, next steps, goodbye) in their last turn(s)."""
    turns = view.by("agent")[-p.last_turns:] if p.last_turns else []
    if not turns:
        return CheckResult("na", "no agent turns")
    hit = _search(list(reversed(turns)), p.phrases, p.regexes)
    if hit:
        turn, match = hit
        return CheckResult("pass", f"closing in turn {turn.index}", (quote(turn, match.start, match.end),), 0.9)
    if view.channel == "call" and (hit := _heard(list(reversed(turns)), p.phrases, p.heard)):
        turn, match = hit
        return CheckResult("pass", f"closing in turn {turn.index}, as heard", (quote(turn, match.start, match.end),),
                           0.8)
    if p.handover and (handed := _handed_over(turns, view.by("agent")[0].index)):
        turn, match = handed
        return CheckResult("pass", f"closing in turn {turn.index}: handed over, the next step",
                           (quote(turn, match.start, match.end),), 0.85)
    if sem := semantic.match(turns, p.exemplars):
        return CheckResult("pass", f"closing in turn {sem.turn.index} (similarity {sem.similarity:.2f})",
                           (semantic.evidence(sem),), sem.confidence)
    return CheckResult("fail", f"no closing in the agent's last {len(turns)} turn(s)",
                       tuple(quote(t) for t in turns), 0.8)


def disclosure(view: InteractionView, p: DisclosureParams) -> CheckResult:
    """A required disclosure (e.g. "this call may be recorded") within the first N seconds (on the channels in
    ``timed_channels``), turns, or agent turns."""
    if not view.turns:
        return CheckResult("na", "no turns")
    if p.channels and view.channel not in p.channels:
        return CheckResult("na", f"not required for {view.channel}s")
    agent_turns = 0
    regexes = on_channel(view, p.regexes, p.spoken_regexes)
    opening = {t.index for t in view.turns} - {t.index for t in view.after_opening()}
    for position, turn in enumerate(view.turns):
        agent_turns += turn.speaker == "agent"
        if turn.speaker not in p.speakers:
            continue
        match = text.first(turn.text, p.phrases, regexes)
        if match is None and turn.index in opening and p.opening_regexes:
            match = text.first(turn.text, (), p.opening_regexes)
        sem = semantic.match([turn], p.exemplars) if match is None else None
        if match is None and sem is None:
            continue
        at = view.seconds(turn)
        evidence = (quote(turn, match.start, match.end),) if match else (semantic.evidence(sem),)  # type: ignore[arg-type]
        within_s = p.within_s if view.channel in p.timed_channels else None
        late_s = within_s is not None and at is not None and at > within_s
        late_turn = p.within_turns is not None and position >= p.within_turns and (at is None or within_s is None)
        late_turn = late_turn or (p.within_agent_turns is not None and agent_turns > p.within_agent_turns)
        if late_s or late_turn:
            where = f"{at:.0f} s" if at is not None else f"turn {turn.index}"
            return CheckResult("fail", f"disclosure given late ({where})", evidence, 0.9, {"at_s": at})
        return CheckResult("pass", f"disclosure in turn {turn.index}", evidence, 0.95, {"at_s": at})
    return CheckResult("fail", "no disclosure", (), 0.85)


def _spared(hit: semantic.Hit, p: ProhibitedParams) -> bool:
    """Whether ``hit``'s sentence is a polite closing with no rude cue (and ``p`` spares those)."""
    return p.spare_closings and not tone.rude(hit.sentence) and \
        text.first(hit.sentence, CLOSINGS, CLOSING_REGEXES) is not None


def _acknowledges(sentence: str) -> bool:
    """Whether ``sentence`` acknowledges the customer's feeling or situation, by the empathy check's own phrases and
    patterns (not negated)."""
    from qa_toolkit.scoring.checks.empathy import EMPATHY, EMPATHY_REGEXES  # empathy imports this module

    return text.first(sentence, EMPATHY, EMPATHY_REGEXES) is not None


def _softened(sentence: str, softeners: tuple[str, ...]) -> bool:
    """Whether one of the ``softeners`` cues fires in ``sentence`` (``acknowledged``: :func:`_acknowledges`) and no
    rude cue does."""
    if not softeners or tone.rude(sentence):
        return False
    return any(name in tone.fired(sentence) for name in softeners) or \
        (ACKNOWLEDGED in softeners and _acknowledges(sentence))


def _seconded(hit: semantic.Hit, other: semantic.Exemplars | None, needs: float | None) -> bool:
    """Whether ``hit``'s sentence stands: it has a rude cue, no second reading is asked for (``needs`` or ``other``
    None), or the ``other`` block gives the same sentence at least ``needs``."""
    if needs is None or other is None or tone.rude(hit.sentence):
        return True
    second = next(h for h in semantic.hits([hit.turn], other) if (h.start, h.end) == (hit.start, hit.end))
    return second.similarity >= needs


def _unsoftened(turns: list[TurnView], p: ProhibitedParams) -> semantic.Hit | None:
    """The first sentence like the exemplars that no softening cue of ``p`` holds back (one with a rude cue never is),
    that is no polite closing ``p`` spares and, without a rude cue, that the classifier rates at least
    ``p.block_needs_classifier`` (a second signal)."""
    if p.exemplars is None:
        return None
    for hit in semantic.matches(turns, p.exemplars):
        if _spared(hit, p) or _softened(hit.sentence, p.exemplar_softeners):
            continue
        if _seconded(hit, p.classifier, p.block_needs_classifier):
            return hit
    return None


def _classified(turns: list[TurnView], p: ProhibitedParams) -> semantic.Hit | None:
    """The first sentence the trained classifier rates rude that is no polite closing ``p`` spares and, without a rude
    cue, that the exemplar block rates at least ``p.classifier_needs_block`` (a second signal)."""
    if p.classifier is None:
        return None
    for hit in semantic.matches(turns, p.classifier):
        if _spared(hit, p) or _softened(hit.sentence, p.classifier_softeners):
            continue
        if _seconded(hit, p.exemplars, p.classifier_needs_block):
            return hit
    return None


def prohibited_language(view: InteractionView, p: ProhibitedParams) -> CheckResult:
    """Prohibited words by the agent only (whole words; negated uses like "I won't tell you to calm down" pass),
    else a sentence like the exemplars, else one the trained classifier rates rude (evidence: turn, quote, score)."""
    phrases = p.phrases + p.extra_phrases
    hits: list[Evidence] = []
    regexes = on_channel(view, p.regexes, p.spoken_regexes)
    spoken = [t for t in view.after_opening() if t.speaker == p.speaker]  # a call's IVR prompt is not the agent
    for turn in spoken:
        for match in text.find(turn.text, phrases, regexes, window=p.negation_window):
            if p.negation and match.negated:
                continue
            hits.append(quote(turn, max(0, match.start - 20), match.end + 20))
    if not hits and (sem := _unsoftened(spoken, p) or _classified(spoken, p)):
        found = semantic.evidence(sem)
        if not sem.exemplar and (cues := tone.rude(sem.sentence)):  # the classifier's: say which tone it read
            found = replace(found, note=f"{found.note}; tone: {', '.join(cues)}")
        hits.append(found)
    if hits:
        return CheckResult("fail", f"prohibited language in {len(hits)} place(s)", tuple(hits), 0.9,
                           {"count": len(hits)})
    if not view.by(p.speaker):
        return CheckResult("na", f"no {p.speaker} turns")
    return CheckResult("pass", f"no prohibited language by the {p.speaker}", (), 0.85, {"count": 0})


def phrase(view: InteractionView, p: PhraseParams) -> CheckResult:
    """Any configurable phrase list or regex, required (or forbidden) in a speaker's turns."""
    turns = view.by(p.speaker)
    if p.where == "first":
        turns = turns[: p.turns]
    elif p.where == "last":
        turns = turns[-p.turns:]
    if not turns:
        return CheckResult("na", f"no {p.speaker} turns")
    hit = _search(turns, p.phrases, p.regexes)
    sem = None if hit else semantic.match(turns, p.exemplars)
    found = hit is not None or sem is not None
    evidence = (quote(hit[0], hit[1].start, hit[1].end),) if hit else (semantic.evidence(sem),) if sem else ()
    ok = found == p.required
    verb = "found" if found else "not found"
    return CheckResult("pass" if ok else "fail", f"phrase {verb}", evidence, 0.9)


def register_checks(register) -> None:  # type: ignore[no-untyped-def]
    register("greeting", greeting, GreetingParams, greeting.__doc__)
    register("closing", closing, ClosingParams, closing.__doc__)
    register("disclosure", disclosure, DisclosureParams, disclosure.__doc__)
    register("prohibited_language", prohibited_language, ProhibitedParams, prohibited_language.__doc__)
    register("phrase", phrase, PhraseParams, phrase.__doc__)
    register("semantic", phrase, SemanticParams, "Sentences like the rubric's exemplars (by meaning, with the "
             "sentence embedding), required (or forbidden) in a speaker's turns; phrases optional.")
