"""Resolution: the agent confirms and the customer agrees; escalation detected; first-contact resolution."""

from __future__ import annotations

import re
from datetime import timedelta

from qa_toolkit.scoring import semantic, text
from qa_toolkit.scoring.checks import CheckResult, Evidence, Params, on_channel, quote
from qa_toolkit.scoring.semantic import Exemplars
from qa_toolkit.scoring.view import InteractionView, TurnView

AGENT_RESOLVED = (
    "resolved", "fixed", "sorted", "all set", "you're all set", "processed", "i've processed", "has been processed",
    "i've issued", "has been issued", "i've refunded", "has been refunded", "refund is on its way", "i've updated",
    "has been updated", "i've changed", "has been changed", "i've reset", "has been reset", "i've cancelled",
    "has been cancelled", "i've canceled", "has been canceled", "should work now", "should now work",
    "working now", "is now active", "has been applied", "i've applied", "i've credited", "has been credited",
    "has been reactivated", "i've reactivated", "is back on", "good to go", "taken care of", "done for you",
    "i've sent", "has been sent", "i've booked", "has been booked", "i've set up", "has been set up",
    "i've removed", "has been removed", "i've waived", "has been waived", "i've unlocked", "has been unlocked",
)
CUSTOMER_AGREES = (
    "thanks", "thank you", "thx", "ty", "cheers", "that worked", "it works", "works now", "working now", "perfect",
    "great", "awesome", "brilliant", "excellent", "that's all", "that helps", "that helped", "appreciate it",
    "much appreciated", "sorted", "problem solved", "all good", "wonderful", "fantastic", "gracias", "merci",
    "lovely", "amazing", "no thanks", "no thank you", "ok", "okay",
    "fine", "alright", "all right", "will do", "got it", "cool", "nice",
    "noted", "sounds good", "what a relief", "oh right", "ta", "fair enough", "makes sense",
    # thanks in the customer's own language, and a go-ahead typed short: "danke", "shukriya", "k", "go on then"
    "danke", "grazie", "obrigado", "obrigada", "shukran", "shukriya", "dhanyavaad", "arigato", "dziękuję", "dank je",
    "k", "kk", "go for it", "go on then", "yes please",
)
# the customer turning down "anything else?": nothing more is needed ("no", "nope, that's it", "no ty")
DECLINE_REGEXES = (r"^\W*(?:no|nope|nah|nothing|that's\s+(?:all|it|everything))\b",)
MORE_HELP_REGEXES = (r"\b(?:anything|something)\s+(?:else|more)\b",)
CUSTOMER_UNRESOLVED = (
    "still not working", "still doesn't work", "still does not work", "still broken", "didn't work", "did not work",
    "doesn't work", "not resolved", "not fixed", "still waiting", "still have the problem", "still the same",
    "that doesn't help", "that didn't help", "not what i asked", "useless", "i'll call back", "i will call back",
    "i'll contact you again", "waste of time", "still not", "why ask", "we'll see", "rude", "not happy",
    "thanks for nothing", "unbelievable", "unreal", "put it back", "it's not there", "it is not there",
    "still blank", "still empty", "still nothing",
    # a refusal or a delay said back (chatrest, dev ld-0941..1000): "so that's a no then", "so no refund yet then"
    "that's a no", "still gone", "other providers", "another provider", "holding my breath",
    "same as before",
)
# the same in a known form: "still 3 meg", "so no refund yet"
CUSTOMER_UNRESOLVED_REGEXES = (
    r"\bstill\s+(?:\d|only\b|just\b|slow\b|down\b|off\b|missing\b|no\b)",
    r"\bso\s+(?:no|not)\s+(?:\w+\s+){0,2}?yet\b",
    # ... or not until later (chatrest round 18): "so no data until thursday", "so nothing till next week"
    r"\bso\s+(?:no|not|nothing)\s+(?:\w+\s+){0,2}?(?:until|till|til|before)\b",
    # it broke again after the fix (chatrest, dev ld-1101..1160): "it's just dropped again", "same as before"
    r"\b(?:dropped|stopped|gone|broken|crashed|failed|failing|frozen|locked|happened|happening|doing\s+it)\s+"
    r"(?:out\s+|off\s+)?again\b",
    # a fix denied in the customer's words, and negation's scope at a clause's end (chatrest, dev ld-1261..1320):
    # "refunding isn't fixing it", "credit doesn't help me cook tonight", "not ok", "the plan bit's sorted, the
    # roaming isn't", "still refused in pharmacy", "why does it keep happening"
    r"\b(?:isn't|is\s+not|wasn't|doesn't|does\s+not|didn't|did\s+not|hasn't|has\s+not|won't)\s+(?:really\s+)?"
    r"(?:fix|fixing|fixed|solv(?:e|es|ed|ing)|sort(?:s|ed|ing)?|help(?:s|ed|ing)?)\b",
    r"\bnot\s+(?:ok|okay|acceptable|good\s+enough|fair)\b", r"\bunacceptable\b",
    r"\b(?:the|that|this|my)\s+[^.!?,;]{1,30}?\b(?:isn't|aren't|hasn't|haven't|wasn't|weren't|doesn't|didn't)\s*"
    r"(?:[.!?,;]|$)",
    r"\bstill\s+(?:refused|refusing|declined|declining|rejected|blocked|locked|wrong|charging|charged|says|saying|"
    r"shows|showing|failing|happening)\b",
    r"\bkeeps?\s+(?:on\s+)?(?:happening|doing\s+(?:it|this|that)|dropping|failing|crashing|breaking)\b",
)
# the customer confirming the fix in their own words: a later confirmation outweighs an earlier "still says 12" (the
# customer's last word wins: "hmm the billing page still says 12" ... "9 now. sorted, thank you!", chatrest)
CUSTOMER_CONFIRMS = ("that worked", "it works", "works now", "working now", "sorted", "problem solved", "all good now",
                     "fixed now", "it's fixed", "there it is", "it's there now", "that's done it", "that did it")
# a question waved away by the agent is not answered: "google it", "not my call", "whatever"
AGENT_WAVED = (
    "google it", "not my call", "not my department", "nothing to do with me", "not my problem", "not our problem",
    "their problem", "nothing i can do", "nothing else i can do", "nothing more i can do", "whatever",
    "not here to", "put it in writing", "take it up with",
    # not knowing said as the answer (chatrest, dev ld-1261..1320): "I don't really know why they went up"
    "i don't really know why", "no idea why", "beats me",
)
ESCALATION = (
    "transfer you", "transferring you", "i'll transfer", "escalate", "escalating", "escalated",
    "a supervisor", "a manager", "another team", "another department",
    "specialist team", "the specialist", "our specialists", "technical team", "tech team", "second line",
    "second-line", "tier 2", "level 2", "connect you with", "put you through to", "hand this over",
    "handing this over", "raise a ticket with", "raised a ticket with", "passed this to", "pass this to",
    "forward this to", "forwarded this to", "refer this to", "referred this to", "pass you to", "passing you to",
    "put you through", "another agent", "our sales team", "putting you through",
    "connecting you", "pass you through", "passing you through", "pop you through", "popping you through",
)
ESCALATION_REGEXES = (
    # "a colleague in billing will call you", not the agent asking one for advice ("while I ask a colleague in our
    # cards team", chatrest, dev ld-0783)
    r"(?<!\bask\s)(?<!\basking\s)(?<!\basked\s)(?<!\bcheck\swith\s)(?<!\bchecking\swith\s)(?<!\bchecked\swith\s)"
    r"\ba\s+colleague\s+in\b",
    # a bare "transferring" / "transferring you now" (not "transferring the money")
    r"\btransferring(?:\s+(?:you|your\s+call|the\s+call|this\s+chat|the\s+chat))?(?:\s+now)?\s*(?:[.!]|$)",
    # "I'll connect you now", "let me put you through", "I'm going to transfer you"
    r"\b(?:i'll|i\s+will|let\s+me|i'm\s+going\s+to|i\s+am\s+going\s+to|i'm\s+gonna)\s+(?:now\s+)?"
    r"(?:(?:connect|transfer)\s+you|put\s+you\s+(?:through|over|to))\b",
    # "let me get my supervisor", "I'm fetching a manager"
    r"\b(?:get|getting|fetch|fetching|grab|grabbing|call|calling)\s+(?:my|a|the)\s+"
    r"(?:supervisor|manager|team\s+lead(?:er)?)\b",
    # a hand-over to another team: "I'm passing it to our branch team", "I've sent your details to our specialist
    # underwriters", "I've raised a chargeback with our Disputes Team" (not "I've sent the invoice to your inbox")
    r"\b(?:pass(?:ed|ing)?|sen[dt]|sending|forward(?:ed|ing)?|referr?(?:ed|ing)?|hand(?:ed|ing)?|rais(?:ed|ing)|"
    r"open(?:ed|ing)?|log(?:ged|ging)|book(?:ed|ing)?)\b[^.;!?]{0,60}?\b(?:to|with)\s+(?:our|the)\s+"
    r"(?:[\w'-]+\s+){0,3}?(?:team|engineers|underwriters|partner|department|desk|specialists|assessors?|"
    r"colleagues|people|unit|panel)\b",
    # a system line: "Chat transferred to queue: broadband-tech", "Chat moved to queue: Complaints", "Sven joined the chat"
    r"\b(?:chat|call|conversation)\s+(?:transferred|moved|routed|reassigned)\b",
    r"\b(?:joined|will\s+join|is\s+joining)\s+(?:this|the)\s+(?:chat|call|conversation)\b",
    # the team was named before: "that's handled by our branch team, so I'm passing it to them", "I've sent them
    # your order", "I'm sending your booking over to them"
    r"\b(?:pass|send|sen[dt]|hand|forward|refer|mov|transferr?)\w*\s+(?:(?:it|this|that|them|the\s+\w+|your\s+\w+)\s+)?"
    r"(?:(?:over|on|across)\s+)?to\s+them\b",
    r"\b(?:sent|sending|passed|passing|forwarded|forwarding|handed|handing)\s+them\s+(?:your|the|all)\b",
    # "I'll flag it to our security team", "I've looped in our tier-2 engineers", "I've asked the underwriting team to"
    r"\b(?:flag(?:ged|ging)?|loop(?:ed|ing)?\s+in|pag(?:ed|ing))\b[^.;!?]{0,40}?\b(?:team|engineers|desk|department|"
    r"specialists|unit|colleagues)\b",
    r"\b(?:asked|asking)\s+(?:the|our)\s+(?:[\w-]+\s+){0,3}?(?:team|desk|department|engineers|underwriters)\s+to\b",
    # "I'm going to bring in Marcus, who runs the desk", "I'm sending you over to them now"
    r"\b(?:bring|bringing|get|getting)\s+in\s+(?:my\s+|a\s+|our\s+)?(?:colleague|supervisor|manager|team\s+lead(?:er)?|"
    r"specialist|[A-Z]?[a-z]+,?\s+who)\b",
    # ... and "I'm getting you over to our fraud ops folks", "popping you across to them" (calls stream, round 16)
    r"\b(?:send|sending|pass|passing|put|putting)\s+you\s+(?:over|across)\b",
    r"\b(?:get|getting|pop|popping|move|moving)\s+you\s+(?:over|across)\s+to\b",
    # a team named, then what it will do for the customer: "our privacy team will compile the export; they'll email
    # you", "I'd like our financial support team to go through a plan with you", "it needs our specialist
    # underwriters. I send them your details, they will phone you"
    r"\b(?:our|the)\s+(?:[\w'-]+\s+){0,3}?(?:team|department|desk|partner|specialists|underwriters|unit)\s+"
    r"(?:will|'ll|is\s+going\s+to|are\s+going\s+to|to)\s+(?:\w+\s+)?(?:call|ring|phone|contact|email|e-mail|write|"
    r"go\s+through|compile|review|assess|take\s+(?:it|this|over)|be\s+in\s+touch|get\s+back|reach\s+out)\b",
    r"\b(?:team|department|desk|partner|specialists|underwriters|unit)\b[^!?\n]{0,120}?\bthey(?:'ll|\s+will)\s+"
    r"(?:\w+\s+)?(?:call|ring|phone|contact|email|e-mail|write|be\s+in\s+touch|get\s+back|reach\s+out)\b",
    r"\b(?:send|pass|forward|hand)\s+them\s+(?:your|the|all)\b",
    # (feedback passed on is no hand-over of the case: "I've passed your feedback on. I'll take this on myself.")
    r"\b(?:pass(?:ed|ing)?|hand(?:ed|ing)?)\s+(?:it|this|that|your\s+(?!feedback\b|comments?\b)\w+)\s+on\b",
    # said on the phone: "I'm going to pop all of this across to them", "I'll put you over to my team leader"
    r"\b(?:pop|popping|popped|put|putting|pass|passing|passed|hand|handing|handed|send|sending|sent|move|moving)\s+"
    r"(?:(?:it|this|that|you|them|everything|all\s+(?:of\s+)?(?:this|that|it)|your\s+\w+|the\s+\w+)\s+)?"
    r"(?:across|over|through)\s+to\s+(?:them|(?:our|the|my|a)\s+(?:[\w'-]+\s+){0,3}?(?:team|engineers|department|"
    r"desk|specialists?|colleagues?|manager|supervisor|team\s+lead(?:er)?|people|lot))\b",
    # a call back from others: "one of them will give you a ring within the hour", "someone from our fraud team
    # will call you"
    r"\b(?:one\s+of\s+(?:them|our\s+[\w-]+)|someone\s+from\s+(?:the|our)\s+(?:[\w-]+\s+){0,2}?(?:team|department|"
    r"desk|lot))\s+(?:will|'ll|is\s+going\s+to|should)\s+(?:give\s+you\s+a\s+(?:ring|call|bell)|call|ring|phone|"
    r"contact|get\s+back\s+to)\b",
)
# the same hand-overs as speech recognition writes them on a call, the small words misheard: "I'm referring to plan
# already support team" (referring you to our priority support team), "I'm going to send it over to how I'm going
# to be" (to our metering team): passed on to anyone who is not the customer
SPOKEN_ESCALATION_REGEXES = (
    r"\b(?:referr?(?:ed|ing)?|pass(?:ed|ing)?|sen[dt]|sending|forward(?:ed|ing)?|hand(?:ed|ing)?)\s+"
    r"(?:(?:it|this|that|you|them)\s+)?(?:(?:over|across|on)\s+)?to\s+(?!(?:you|your|me|us)\b)(?:[\w'-]+\s+){1,3}?"
    r"(?:team|department|desk|engineers|specialists|underwriters|unit)\b",
    r"\b(?:send|sending|pass|passing|hand|handing|pop|popping|put|putting)\s+(?:it|this|that|everything|"
    r"all\s+of\s+(?:this|that|it))\s+(?:over|across)\s+to\s+(?!(?:you|your|me|us)\b)\w",
    # hand-overs said in other words on the phone (round 10): "let me get someone senior", "I'll raise a ticket with
    # tier two", "my manager, Carla ... she'll phone you before five"
    r"\b(?:get|getting|fetch|fetching|grab|find|finding|bring|bringing)\s+(?:in\s+)?(?:someone|somebody)\s+"
    r"(?:more\s+)?(?:senior|higher\s+up|from\s+(?:the|our)\s+\w+)\b",
    r"\b(?:ticket|case|job)\s+(?:with|for|to)\s+(?:tier|level|line|second|third)\s+(?:two|three|2|3|line)\b",
    r"\b(?:tier|level|second\s+line|third\s+line)\s+(?:two|three|2|3|support|team)?\s*(?:will|'ll|are\s+going\s+to)\s+"
    r"(?:\w+\s+)?(?:call|ring|phone|contact|be\s+in\s+touch)\b",
    r"\bmy\s+(?:manager|supervisor|team\s+lead(?:er)?|boss)\b[^.!?]{0,40}[.!?,]?\s*(?:[^.!?]{0,80}[.!?]\s*)?"
    r"(?:she|he|they)(?:'ll|\s+will)\s+(?:\w+\s+)?(?:call|ring|phone|contact|get\s+back\s+to)\s+you\b",
    # a referral to the complaints team, its verb lost (round 12): "Every friend is her complaint team" (I'm referring
    # it to our complaints team)
    r"\b(?:our|the|her|a)\s+complaints?\s+(?:team|department|desk)\b",
)
# someone new on the agent's line: "Tier two, Ravi speaking", "it's Karen Holt, I lead the collections team"; in
# the agent's first turn this is the agent introducing themselves ("Good morning, Oliver speaking"), no hand-over
INTRODUCTION_REGEXES = (
    r"^\W*(?:[\w'-]+[\s,]+){0,3}[\w'-]+\s+speaking\b",
    r"\bi\s+(?:lead|run|manage|supervise)\s+the\s+(?:[\w-]+\s+){0,2}(?:team|desk|department)\b",
    r"\b(?:i'm|i\s+am)\s+(?:the|a)\s+(?:team\s+lead(?:er)?|supervisor|(?:duty\s+)?manager)\b",
    # "Mr Kaplan, Farah here, the team leader", "Ben here, duty manager"
    r"\b[\w'-]+\s+here,?\s+(?:(?:the|your|a)\s+)?(?:[\w-]+\s+)?(?:team\s+lead(?:er)?|supervisor|(?:duty\s+)?manager|"
    r"shift\s+lead(?:er)?|senior\s+on\s+(?:shift|duty))\b",
    # a senior joining the call: "my shift lead Callum is on the line with us" (calls stream, round 16)
    r"\b(?:supervisor|manager|team\s+lead(?:er)?|shift\s+lead(?:er)?)\b[^.!?]{0,30}?\b(?:is|'s)\s+(?:now\s+)?"
    r"(?:on\s+the\s+line\s+with\s+us|joining\s+us|here\s+with\s+us)\b",
)
ESCALATION_REGEXES += (
    # "I'm looping in my supervisor", "I'm bringing in one of our senior support engineers", "I'm moving this chat to
    # them now"
    r"\b(?:loop(?:ed|ing)?|bring(?:ing)?|brought)\s+in\s+(?:my|a|an|our|the|one\s+of\s+(?:our|the|my))\s+"
    r"(?:[\w-]+\s+){0,2}?(?:supervisors?|managers?|team\s+lead(?:er)?s?|colleagues?|engineers?|specialists?)\b",
    r"\b(?:mov|pass|hand|transferr?)(?:e|ed|es|ing)?\s+(?:this|the|your)\s+(?:chat|conversation|case|call)\s+"
    r"(?:(?:over|across|on)\s+)?to\b",
    # a team named, then who will contact the customer (chatrest, dev ld-0941..1000): "our Account Recovery team,
    # who'll email you", "the review panel, who will write to you"
    r"\b(?:team|department|desk|specialists|underwriters|unit|panel)\b,?\s+who(?:'ll|\s+will)\s+(?:\w+\s+)?"
    r"(?:call|ring|phone|contact|email|e-mail|write|be\s+in\s+touch|get\s+back|reach\s+out)\b",
    # handed to a crew, a service or a named role (no "booked": a booked crew visit is no hand-over): "I've handed
    # this to the Site Operations crew"
    r"\b(?:pass(?:ed|ing)?|hand(?:ed|ing)?|referr?(?:ed|ing)?|transferr(?:ed|ing))\s+(?:it|this|that|your\s+\w+)\s+"
    r"(?:over\s+|on\s+)?to\s+(?:the|our)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:crew|service|lot|adjudicators?|nurses?|pharmacists?)\b",
    # "I've raised it to them", "I've sent your case over with everything you told me"
    r"\brais(?:e|ed|ing)\s+(?:it|this|that|your\s+\w+)\s+(?:with|to)\s+them\b",
    r"\b(?:sent|sending|passed|passing|handed|handing)\s+(?:your|the)\s+(?:case|claim|complaint|request|query|"
    r"details)\s+(?:over|across)\b",
    # "your deposit is now with our Dispute Resolution service"
    r"\b(?:is|are)\s+now\s+with\s+(?:our|the)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:team|service|department|desk|specialists|panel|adjudicators?|unit)\b",
    # sent up the line, whoever it goes to (calls stream, round 16): "I'm referring this up to our claims assessors"
    # (through tiny.en "... up to our plane successors"), "kicking it up to second line", "bumping it up to my manager"
    r"\b(?:referr?(?:ed|ing)?|pass(?:ed|ing)?|kick(?:ed|ing)?|bump(?:ed|ing)?|send(?:ing)?|sent|"
    r"escalat(?:e|ed|ing))\s+(?:it|this|that)\s+up\s+to\b",
    # someone brought into the chat or taking it over (chatrest, dev ld-1101..1160): "I bring my supervisor Ewan into
    # this chat now", "I've asked our surgical nurse, Ruth, to take this chat over", "I've taken this over"
    r"\b(?:bring|bringing|brought|invit(?:e|ed|ing))\s+(?:[\w'-]+,?\s+){1,4}?(?:into|in\s+to|to)\s+"
    r"(?:this|the)\s+(?:chat|call|conversation)\b",
    r"\b(?:take|taking|took|taken)\s+(?:this|the|your)\s+(?:chat|call|conversation|case)\s+over\b",
    r"\b(?:i've|i\s+have)\s+taken\s+(?:this|it)\s+over\b",
    # sent to a unit named without a team word, who then act: "I've sent this to Account Recovery with everything you
    # told me; they'll lock the account now"
    r"\b(?:sent|passed|handed|referred|forwarded)\s+(?:it|this|that|your\s+\w+)\s+(?:over\s+|on\s+)?to\s+"
    r"(?!you\b|your\b)[^.;!?]{1,60}?[;,.]\s+they(?:'ll|\s+will)\b",
    # the one who takes it named before, by any pronoun (chatrest, dev ld-1261..1320): "I've sent her your job",
    # "I've opened case NF-30917 with them", "I've asked them to take your case", "I'm adding her to the chat"
    r"\b(?:sent|sending|passed|passing|forwarded|forwarding|handed|handing|send|pass|forward|hand)\s+(?:him|her)\s+"
    r"(?:your|the|all)\b",
    r"\b(?:open(?:ed|ing)?|rais(?:e|ed|ing)|log(?:ged|ging)?)\s+(?:a\s+|the\s+)?(?:case|ticket|job|request|referral)"
    r"(?:\s+[\w-]*\d[\w-]*)?\s+with\s+(?:them|him|her)\b",
    r"\basked\s+(?:them|him|her)\s+to\s+(?:take|pick\s+up|look\s+after|handle|deal\s+with)\b",
    r"\b(?:add(?:ed|ing)?|invit(?:e|ed|ing))\s+(?:him|her|them|(?:my|our|a|an|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:colleague|supervisor|manager|specialist|pharmacist|nurse|vet|adviser|advisor|team\s+lead(?:er)?))\s+"
    r"(?:(?:into|in\s+to|to)\s+(?:this|the)\s+(?:chat|call|conversation))\b",
    # a callback from someone else, by their role: "a specialist will call you tomorrow", "a counsellor will
    # telephone you", "I've asked one to call you" (not a booked engineer, which is no hand-over)
    r"\b(?:a|an|our|the)\s+(?:[\w-]+\s+){0,2}?(?:specialist|adviser|advisor|counsellor|caseworker|case\s+worker|"
    r"assessor|reviewer|underwriter|nurse|pharmacist|solicitor|expert|investigator|handler)\s+(?:will|'ll|is\s+going\s+to|"
    r"should)\s+(?:\w+\s+)?(?:call|ring|phone|telephone|contact|email|e-mail|write\s+to|text|get\s+back\s+to)\s+you\b",
    r"\b(?:asked|booked|arranged\s+for)\s+(?:one|someone|somebody|(?:a|an)\s+[\w-]+(?:\s+[\w-]+)?)\s+to\s+"
    r"(?:call|ring|phone|telephone|contact|email|e-mail|write\s+to|get\s+back\s+to)\s+you\b",
    # the one asked named before, by a pronoun, or a call booked with someone else (chatrest round 18): "I've asked
    # them to call you tomorrow", "I've booked you a call with an adviser", "a call from her this afternoon"
    r"\b(?:asked|booked|arranged\s+for)\s+(?:them|him|her)\s+to\s+"
    r"(?:call|ring|phone|telephone|contact|email|e-mail|write\s+to|get\s+back\s+to)\s+you\b",
    r"\bbooked\s+you\s+(?:in\s+)?(?:a|an)\s+(?:call|callback|call-back|phone\s+call|appointment)\s+(?:with|from)\s+"
    r"(?:her|him|them|(?:a|an|our|one\s+of\s+our)\s+(?!own\b)[\w-]+)",
    # the case sent, added or asked of someone, who then contacts the customer, in one sentence: "I've added your
    # workspace to the engineering ticket and they'll email you", "I've asked a decision maker to review it and
    # they'll write to you" (not a garage or a repairer told of an approval in a sentence before "They'll call you":
    # a bare "they'll call you" took two of those in other writers' dev chats, ld-0722, ld-1058)
    r"\b(?:sent|send|sending|passed|added|asked|referred|raised|opened|logged|flagged|forwarded)\b[^.!?]{0,80}?\band\s+"
    r"(?:they|she|he)(?:'ll|\s+will)\s+(?:\w+\s+)?(?:call|ring|phone|telephone|email|e-mail|write\s+to|contact)\s+you\b",
)
ESCALATION_REGEXES += INTRODUCTION_REGEXES
# on a call, a second person greeting and giving their name on the agent's line after the agent's first turn is someone
# who took the call over, however their team was misheard (calls stream, round 17, dev LC-D-155..174 through tiny.en:
# "Hi, it's Helen.", "Hello, this is Grace, I run ..."); a returning agent says "again" or "back"
SPOKEN_INTRODUCTION_REGEXES = (
    r"(?:^|[.!?]\s+)(?:hi|hello|hiya|hey|good\s+(?:morning|afternoon|evening))[,.!]?\s+(?:it's|this\s+is|i'm|"
    r"my\s+name's|my\s+name\s+is)\s+(?!sorry\b|afraid\b|back\b|just\b|here\b|so\b|not\b|going\b|still\b|me\b)"
    r"(?![a-z]+\s+again\b)[a-z]+(?:\s+[a-z]+)?\s*(?:[,.!]|\s+(?:here|speaking|from)\b)",
)
SPOKEN_ESCALATION_REGEXES += SPOKEN_INTRODUCTION_REGEXES
# an offer is no hand-over: "If you want, I can pass you to our planning team", "I could put you through to claims,
# but ...", "Would you like me to transfer you?"
OFFER_REGEXES = (
    r"\bif\s+you(?:'d)?\s+(?:\w+\s+)?(?:want|wish|like|prefer|rather)\b", r"\bi\s+could\b",
    r"\b(?:would|do)\s+you\s+(?:like|want)\s+me\s+to\b", r"\bshall\s+i\b", r"\bi\s+can\s+also\b",
    r"\bif\s+you\s+need\b", r"\bif\s+(?:that|it)\s+(?:doesn't|does\s+not|still)\b",
    # a hand-over put to the customer as a choice: "I can get a specialist on it, or we can try a reconnect first, your
    # choice?" (chatrest)
    r"\byour\s+choice\b", r"\bor\s+(?:we|i)\s+(?:can|could)\b", r"\bup\s+to\s+you\b",
    # a hand-over promised only on a condition: "if it hasn't cleared by then, message us and I'll get the payments
    # team to trace it"
    r"\bif\s+(?:it|that|this|the\s+\w+)\s+(?:hasn't|has\s+not|isn't|is\s+not|doesn't|does\s+not|won't|didn't)\b",
    # one way among others: "I can transfer you to the refunds team, or your payroll can fix the plan" (chatrest)
    r"\bi\s+can\s+(?:transfer|put|pass|connect|send|refer)\b[^.!?]{0,80}?\bor\b",
    # a hand-over put as a question is asked, not done: "I can pop you over to our Delay Repay team, or give you the
    # link, whichever's easier?", "Can I put you through to billing?" (the sentence ends in "?"; chatrest round 18)
    r"\?\s*$",
)
# a hand-over refused or only imagined is none either, whatever else its sentence names (negation scope: the
# sentence, chatrest, dev ld-1261..1320): "Managers don't take chat contacts", "A supervisor would tell you the same,
# so I won't transfer you", "Nobody senior can waive it", "That's fair feedback, I'll pass it on."
REFUSAL_REGEXES = (
    r"\b(?:won't|will\s+not|can't|cannot|can\s+not|couldn't|unable\s+to|not\s+able\s+to)\s+(?:\w+\s+){0,2}?"
    r"(?:transfer|escalate|pass|put\s+you|connect|refer|hand)\w*\b",
    r"\b(?:managers?|supervisors?|team\s+lead(?:er)?s?|seniors?|nobody|no\s+one|no-one)\b[^.!?]{0,30}?"
    r"\b(?:don't|doesn't|do\s+not|does\s+not|can't|cannot|won't|wouldn't|aren't|isn't|would\s+(?:only\s+)?(?:tell|say))\b",
    r"\b(?:nobody|no\s+one|no-one)\s+(?:senior|above\s+me|higher)\b",
    # nobody there to hand it to: "There isn't a team I can transfer chats to for this" (chatrest round 18)
    r"\bthere(?:\s+is|'s)?\s*(?:isn't|is\s+no|'s\s+no|no|are\s+no|aren't)\s+(?:\w+\s+){0,3}?(?:i|we)\s+(?:can|could)\s+"
    r"(?:transfer|escalate|pass|put|connect|refer|hand|send)\w*\b",
    r"\b(?:feedback|comments?|suggestions?)\b[^.!?]{0,40}?\bpass(?:ed|ing)?\s+(?:it|this|that|them)\s+on\b",
)
OFFER_REGEXES += REFUSAL_REGEXES
AGENT_RESOLVED_REGEXES = (
    r"\b(?:has|have|was|were|is|are)\s+(?:now\s+)?(?:been\s+)?(?:issued|processed|refunded|fixed|resolved|"
    r"updated|changed|cancell?ed|canceled|applied|credited|removed|waived|unlocked|reactivated|booked|"
    r"scheduled|arranged|corrected|lifted|restored|approved|reopened|reinstated|reissued|released)\b",
    # "I've just sent the invoice", "we have frozen the card", "I've also opened a chargeback"
    r"\b(?:i've|i\s+have|we've|we\s+have)\s+(?:(?:just|now|also|already|gone\s+ahead\s+and)\s+)*(?:sent|issued|"
    r"refunded|processed|fixed|resolved|updated|changed|cancell?ed|applied|credited|removed|waived|unlocked|"
    r"unblocked|reactivated|booked|scheduled|arranged|corrected|lifted|restored|frozen|blocked|opened|switched|"
    r"ordered|added|raised|reset|set\s+up|reversed|moved|swapped|extended|renewed|activated|posted|emailed|sorted|"
    r"topped\s+up|approved|reopened|reinstated|reissued|released)\b",
    # "I've put the eighty-four pounds back into your account" (not "I've put a note on the account")
    r"\b(?:i've|i\s+have|we've|we\s+have)\s+(?:(?:just|now|also|already)\s+)*put\s+[^.!?]{0,50}?\bback\s+(?:into|in|on|to)\b",
)

# the same as speech recognition writes it on a call, where "I've" is often heard as "I": "I put the 84 pounds back
# into your account", "I refunded the fee" (only past forms that are no present tense or offer)
SPOKEN_RESOLVED_REGEXES = (
    r"\b(?:i|we)\s+(?:(?:just|now|also|already|gone\s+ahead\s+and)\s+)*(?:issued|refunded|processed|cancell?ed|"
    r"credited|waived|unlocked|unblocked|reactivated|rebooked|reversed|swapped)\b",
    r"\b(?:i|we)\s+(?:(?:just|now|also|already)\s+)*put\s+[^.!?]{0,50}?\bback\s+(?:into|in|on|to)\b",
)


class ResolutionParams(Params):
    agent_phrases: tuple[str, ...] = AGENT_RESOLVED
    agent_regexes: tuple[str, ...] = AGENT_RESOLVED_REGEXES
    spoken_agent_regexes: tuple[str, ...] = SPOKEN_RESOLVED_REGEXES  # on calls only
    customer_phrases: tuple[str, ...] = CUSTOMER_AGREES
    unresolved_phrases: tuple[str, ...] = CUSTOMER_UNRESOLVED
    unresolved_regexes: tuple[str, ...] = CUSTOMER_UNRESOLVED_REGEXES
    confirm_phrases: tuple[str, ...] = CUSTOMER_CONFIRMS
    require_customer: bool = True
    confirm_fix: bool = True  # a stated fix needs the customer's agreement too (False: it stands unless they object)
    escalation_phrases: tuple[str, ...] = ESCALATION
    escalation_regexes: tuple[str, ...] = ESCALATION_REGEXES
    spoken_escalation_regexes: tuple[str, ...] = SPOKEN_ESCALATION_REGEXES  # on calls only
    resolved_exemplars: Exemplars | None = None
    unresolved_exemplars: Exemplars | None = None
    # the agent admitting it is not fixed ("I can't get this done today", "you'll have to try again tomorrow"): after
    # the agent's last stated fix, the chat is not resolved whatever the customer answers
    unfixed_exemplars: Exemplars | None = None
    unfixed_regexes: tuple[str, ...] = ()  # the same said in a known form ("try again tomorrow")
    escalation_exemplars: Exemplars | None = None
    offer_regexes: tuple[str, ...] = OFFER_REGEXES
    waved_phrases: tuple[str, ...] = AGENT_WAVED
    decline_regexes: tuple[str, ...] = DECLINE_REGEXES
    more_help_regexes: tuple[str, ...] = MORE_HELP_REGEXES
    speakers: tuple[str, ...] = ("agent", "system")  # whose hand-overs count (a system line "Chat transferred")


class EscalationParams(Params):
    phrases: tuple[str, ...] = ESCALATION
    regexes: tuple[str, ...] = ESCALATION_REGEXES
    spoken_regexes: tuple[str, ...] = SPOKEN_ESCALATION_REGEXES  # on calls only
    exemplars: Exemplars | None = None
    speakers: tuple[str, ...] = ("agent", "system")
    offer_regexes: tuple[str, ...] = OFFER_REGEXES


_SENTENCE_BREAK = re.compile(r"[.!?]+(?=\s|$)|\n+")


def _sentence_of(said: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence of ``said`` around ``start``..``end``."""
    before = [m.end() for m in _SENTENCE_BREAK.finditer(said, 0, start)]
    after = _SENTENCE_BREAK.search(said, end)
    return (before[-1] if before else 0), (after.end() if after else len(said))


def handover(turn: TurnView, phrases: tuple[str, ...], regexes: tuple[str, ...], offers: tuple[str, ...],
             first_agent_turn: bool = False) -> text.Match | None:
    """The first hand-over phrase of an agent or system turn that is not negated, not in an offer ("if you want, I
    can pass you to ...") and, in the agent's first turn, not the agent introducing themselves ("Oliver speaking")."""
    if first_agent_turn:
        regexes = tuple(r for r in regexes if r not in INTRODUCTION_REGEXES + SPOKEN_INTRODUCTION_REGEXES)
    for match in text.find(turn.text, phrases, regexes):
        if match.negated:
            continue
        s, e = _sentence_of(turn.text, match.start, match.end)
        if offers and text.first(turn.text[s:e], (), offers, allow_negated=True):
            continue
        return match
    return None


def _offered(hit: semantic.Hit, offers: tuple[str, ...]) -> bool:
    return bool(offers) and text.first(hit.sentence, (), offers, allow_negated=True) is not None


def _unfixed(turn: TurnView, p: ResolutionParams) -> Evidence | None:
    """Where the agent says in ``turn`` that it is not fixed (a pattern, else a sentence like the exemplars)."""
    if p.unfixed_regexes and (match := text.first(turn.text, (), p.unfixed_regexes, allow_negated=True)):
        return quote(turn, match.start, match.end)
    sem = semantic.match([turn], p.unfixed_exemplars)
    return semantic.evidence(sem) if sem else None


class FcrParams(Params):
    days: float = 7
    match_on: tuple[str, ...] = ("queue", "topic")


def resolution(view: InteractionView, p: ResolutionParams) -> CheckResult:
    """Resolved: the agent confirms a fix (or answers) and the customer's last word agrees; not escalated,
    not left with the customer saying it is still broken."""
    if not view.by("agent"):
        return CheckResult("na", "no agent turns")
    agent_hit: tuple[TurnView, Evidence] | None = None
    unfixed: Evidence | None = None
    spoken = {t.index for t in view.after_opening()}
    first_agent = view.by("agent")[0].index
    regexes = on_channel(view, p.escalation_regexes, p.spoken_escalation_regexes)
    fixed = on_channel(view, p.agent_regexes, p.spoken_agent_regexes)
    for turn in view.turns:
        if turn.speaker != "agent":  # a system line after the agent's first turn: "Chat transferred to queue: ..."
            if turn.speaker in p.speakers and turn.index > first_agent and turn.index in spoken and (
                    found := handover(turn, p.escalation_phrases, regexes, p.offer_regexes)):
                return CheckResult("fail", f"escalated in turn {turn.index}, not resolved here",
                                   (quote(turn, found.start, found.end),), 0.8, {"resolved": False})
            continue
        if waved := text.first(turn.text, p.waved_phrases):
            return CheckResult("fail", f"a question waved away in turn {turn.index}, not answered",
                               (quote(turn, waved.start, waved.end),), 0.7, {"resolved": False})
        match = text.first(turn.text, p.agent_phrases, fixed)
        if turn.index in spoken and (said := _unfixed(turn, p)):
            unfixed = said  # the agent says it is not fixed: no fix stated in this turn counts
        elif match:
            agent_hit, unfixed = (turn, quote(turn, match.start, match.end)), None
        elif sem := semantic.match([turn], p.resolved_exemplars):
            agent_hit, unfixed = (turn, semantic.evidence(sem)), None
        if turn.index not in spoken:
            continue
        escalated = handover(turn, p.escalation_phrases, regexes, p.offer_regexes,
                             turn.index == first_agent)
        if escalated:
            return CheckResult("fail", f"escalated in turn {turn.index}, not resolved here",
                               (quote(turn, escalated.start, escalated.end),), 0.8, {"resolved": False})
        if (sem := semantic.match([turn], p.escalation_exemplars)) and not _offered(sem, p.offer_regexes):
            return CheckResult("fail", f"escalated in turn {turn.index}, not resolved here",
                               (semantic.evidence(sem),), sem.confidence, {"resolved": False})
    if unfixed is not None:
        return CheckResult("fail", f"the agent says it is not fixed (turn {unfixed.turn})", (unfixed,), 0.7,
                           {"resolved": False})
    evidence: list[Evidence] = [agent_hit[1]] if agent_hit else []
    last_agent = view.by("agent")[-1].index
    since = agent_hit[0].index if agent_hit else view.by("agent")[0].index
    customer_after = [t for t in view.by("customer") if t.index > since]
    for position, turn in enumerate(customer_after):
        match = text.first(turn.text, p.unresolved_phrases, p.unresolved_regexes)
        said = quote(turn, match.start, match.end) if match else None
        if said is None and (sem := semantic.match([turn], p.unresolved_exemplars)):
            said = semantic.evidence(sem)
        if said and any(text.first(later.text, p.confirm_phrases) for later in customer_after[position + 1:]):
            continue  # confirmed fixed later: the customer's last word wins
        if said:
            evidence.append(said)
            return CheckResult("fail", f"the customer says it is not resolved (turn {turn.index})", tuple(evidence),
                               0.85, {"resolved": False})
    closing = [t for t in customer_after if t.index > last_agent] or customer_after[-1:]
    if agent_hit:  # after a stated fix, any agreement counts ("ok", then "no" to "anything else?")
        closing = customer_after
    ack = None
    if p.decline_regexes and text.first(view.by("agent")[-1].text, (), p.more_help_regexes):
        # "anything else?" turned down: what the customer said since the answer counts, the "no" agrees too
        closing = customer_after
        for turn in (t for t in customer_after if t.index > last_agent):
            if match := text.first(turn.text, (), p.decline_regexes, allow_negated=True):
                ack = (turn, match)
    for turn in closing:
        match = text.first(turn.text, p.customer_phrases)
        if match:
            ack = (turn, match)
    if ack is None and p.require_customer and (agent_hit is None or p.confirm_fix):
        what = f"resolution stated in turn {agent_hit[0].index}" if agent_hit else "no resolution stated"
        return CheckResult("fail", f"{what}; the customer never confirmed", tuple(evidence), 0.6,
                           {"resolved": False})
    if ack is not None:
        evidence.append(quote(ack[0], ack[1].start, ack[1].end))
    if agent_hit:
        return CheckResult("pass", f"resolution confirmed in turn {agent_hit[0].index}"
                           + (f", customer agreed in turn {ack[0].index}" if ack else ""), tuple(evidence), 0.85,
                           {"resolved": True})
    return CheckResult("pass", f"question answered; customer agreed in turn {ack[0].index}", tuple(evidence), 0.65,
                       {"resolved": True})


def escalation(view: InteractionView, p: EscalationParams) -> CheckResult:
    """Escalation to a supervisor or another team, said by the agent: fails when escalated (a measure, really).
    A call's opening (an IVR prompt) and system lines before the agent's first turn (a bot "connecting you with
    our team") route the contact to this agent; they are no hand-over."""
    first_agent = next((t.index for t in view.turns if t.speaker == "agent"), None)
    regexes = on_channel(view, p.regexes, p.spoken_regexes)
    for turn in view.after_opening():
        if turn.speaker not in p.speakers or (turn.speaker != "agent" and first_agent is not None
                                              and turn.index < first_agent):
            continue
        match = handover(turn, p.phrases, regexes, p.offer_regexes, turn.index == first_agent)
        if match:
            return CheckResult("fail", f"escalated in turn {turn.index}", (quote(turn, match.start, match.end),),
                               0.85, {"escalated": True})
        if (sem := semantic.match([turn], p.exemplars)) and not _offered(sem, p.offer_regexes):
            return CheckResult("fail", f"escalated in turn {turn.index} (similarity {sem.similarity:.2f})",
                               (semantic.evidence(sem),), sem.confidence, {"escalated": True})
    if not view.by("agent"):
        return CheckResult("na", "no agent turns")
    return CheckResult("pass", "not escalated", (), 0.8, {"escalated": False})


def fcr(view: InteractionView, p: FcrParams) -> CheckResult:
    """First-contact resolution: no contact by the same customer on the same queue/topic within ``days`` after."""
    if view.customer_id is None or view.started_at is None:
        return CheckResult("na", "customer or start time unknown", (), 1.0)
    horizon = view.started_at + timedelta(days=p.days)
    for other in view.other_contacts:
        if other.started_at is None or not (view.started_at < other.started_at <= horizon):
            continue
        same = [field for field in p.match_on
                if getattr(view, field) is not None and getattr(view, field) == getattr(other, field)]
        if same:
            days = (other.started_at - view.started_at).total_seconds() / 86400
            note = f"repeat contact {other.external_id} after {days:.1f} days (same {', '.join(same)})"
            return CheckResult("fail", note, (Evidence(note=note),), 0.95, {"fcr": False, "repeat": other.external_id})
    return CheckResult("pass", f"no repeat contact within {p.days:g} days", (), 0.9, {"fcr": True})


def register_checks(register) -> None:  # type: ignore[no-untyped-def]
    register("resolution", resolution, ResolutionParams, resolution.__doc__)
    register("escalation", escalation, EscalationParams, escalation.__doc__)
    register("fcr", fcr, FcrParams, fcr.__doc__)
