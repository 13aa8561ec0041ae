"""Built-in detectors for the standard key point and red flag ids of the failure question.

Cues in a deck catch the phrases people often use; these patterns catch the shapes of sentences
that no list of phrases can enumerate ("I was a payroll administrator...", "so forty orders went
out wrong", "these days any change gets a second pair of eyes"). They apply to any card that uses
the standard ids (DESIGN.md), including the user's own.

Patterns run on normalized clauses (lowercase, apostrophes dropped, punctuation as spaces), so
"I'd" is "id" and "didn't" is "didnt".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Where in the answer a detector may fire: anywhere, in the opening (the scene is set first),
# or after the failure has been told (remedy, lessons and later use come after it).
ANYWHERE, OPENING, AFTER_FAILURE = "anywhere", "opening", "after_failure"

_ROLE_NOUN = (
    r"(?:nurse|manager|supervisor|assistant|analyst|engineer|developer|coordinator|administrator|"
    r"officer|lead|leader|chef|cook|teacher|buyer|planner|inspector|technician|tech|intern|"
    r"student|trainee|associate|rep|representative|consultant|designer|clerk|controller|agent|"
    r"accountant|director|head|foreman|driver|operative|picker|cashier|receptionist|researcher|"
    r"scientist|editor|writer|producer|owner|specialist|advisor|adviser|executive|apprentice|"
    r"fellow|candidate|server|waiter|waitress|barista|baker|pharmacist|therapist|paramedic|"
    r"carer|worker|volunteer|tutor|lecturer|coach|programmer|tester|architect|surveyor)"
)


def _compile(*patterns: str) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in patterns)


@dataclass(frozen=True)
class Detector:
    """Sentence patterns for one standard id."""

    patterns: tuple[re.Pattern, ...]
    region: str = ANYWHERE
    #: Whether a negation before the match cancels it ("I didn't learn anything").
    negatable: bool = True
    #: Patterns that only count when they match twice (or a stronger pattern matches too).
    weak: tuple[re.Pattern, ...] = ()
    #: A clause matching one of these never counts (for this id), whatever else matched.
    unless: tuple[re.Pattern, ...] = ()


KEY_POINT_DETECTORS: dict[str, Detector] = {
    "context": Detector(
        _compile(
            r"\bi (?:joined|started (?:at|as|in|on|working)|was hired|got a job|took a job|"
            r"was placed|was on placement|was volunteering|was interning|interned|was temping|"
            r"was covering)\b",
            r"\b(?:at|in|for) (?:a|an|the) (?:\w+ ){0,3}(?:company|firm|agency|hospital|ward|"
            r"school|store|shop|restaurant|kitchen|warehouse|lab|laboratory|bank|office|startup|"
            r"charity|council|clinic|hotel|factory|plant|site|practice|studio|garage|salon|cafe|"
            r"depot|centre|center|university|college|call centre|call center|retailer|"
            r"supermarket|pharmacy|surgery|nursery|gym|spa)\b",
            r"\bi (?:run|ran|own|owned|manage|managed|lead|led|work|worked) (?:a|an|the|my|"
            r"our) (?:\w+ )?(?:team|shop|store|kitchen|ward|unit|department|crew|shift|branch|"
            r"site|class|practice)\b",
            rf"\b(?:i was|im|i am|i worked|i work|i used to work|i was working|i d been|ive been|"
            rf"i had been|i had just|id just)\b(?: \w+){{0,5}} {_ROLE_NOUN}s?\b",
            r"\b(?:i was|im|i am|i was working|i worked|i used to work|i work)"
            r" (?:as|at|in|for|on) (?:a|an|the|my|our)\b",
            r"\b(?:at|in) my (?:last|previous|old|first|second|current|former) (?:job|role|"
            r"company|employer|position|team|workplace|placement|internship)\b",
            r"\b(?:when|while) i was (?:a|an|the|working|at|in|on|doing|running|leading)\b",
            r"\b(?:during|in) my (?:first|second|third|final|last)? ?(?:year|internship|placement|"
            r"phd|masters|degree|apprenticeship|training|rotation|residency)\b",
            r"\b(?:a few|a couple of|two|three|four|five|several|some) (?:years|months) ago\b",
            r"\bearly in my (?:career|time)\b",
        ),
        region=OPENING,
        negatable=False,
    ),
    "task": Detector(
        _compile(
            r"\b(?:my|our) (?:job|role|responsibility|task|remit|brief|target|goal|aim|"
            r"objective|deadline|quota) (?:was|is|included|were)\b",
            r"\bone of my (?:jobs|responsibilities|duties|tasks|main jobs|roles)\b",
            r"\bi was (?:responsible|in charge|tasked|asked|supposed|meant|expected|given|"
            r"assigned|leading|running|managing|organi[sz]ing|coordinating|handling|owning|"
            r"the one)\b",
            r"\bit was my (?:job|responsibility|task|call)\b",
            r"\b(?:the|our) (?:goal|aim|target|objective|deadline|brief|plan) (?:was|had been)\b",
            r"\b(?:every|each) (?:day|week|month|morning|night|shift|quarter|term|year)"
            r"(?: \w+){0,3} i (?:had to|needed to|would|put|ran|did|sent|prepared|checked)\b",
            r"\bi (?:had|needed) to (?:deliver|get|make sure|prepare|organi[sz]e|run|hit|meet|"
            r"finish|ship|hand|launch|cover|order|plan|train|write|build|set up)\b",
            r"\b(?:we|i) (?:had|needed) to (?:deliver|ship|launch|hit|meet|finish)\b",
            r"\bi (?:ran|run|managed|manage|led|lead|looked after|look after|owned|own|"
            r"oversaw|handled|handle|coordinated) (?:the|our|a|an|all)\b",
            r"\b(?:responsible for|in charge of|accountable for|tasked with)\b",
        ),
        region=OPENING,
        negatable=False,
    ),
    "failure": Detector(
        _compile(
            r"\bi (?:went ahead|carried on|pressed on|pushed ahead|ploughed on|kept going|"
            r"stuck with|only|just|let|allowed|waited|hoped|left|didnt|never)\b",
            r"\bi was (?:too|so|overconfident|complacent|careless|sloppy|lazy|impatient|afraid|"
            r"scared|worried|embarrassed|reluctant|proud|stubborn|focused on|busy|distracted|"
            r"rushing)\b",
            r"\bi (?:took|made) (?:a|the|an) (?:shortcut|assumption|decision|call|risk|gamble|"
            r"guess)\b",
            r"\binstead of (?:checking|asking|testing|confirming|telling|reading|waiting|"
            r"flagging|escalating|following|using|double checking)\b",
            r"\bi (?:\w+ )?(?:used|gave|ordered|sent|picked|booked|entered|quoted|set|"
            r"chose) (?:the|a|an) (?:wrong|old|outdated|incorrect|previous)\b",
            r"\bi (?:didnt|did not|hadnt|had not|never|wasnt|was not) (?:once |even |really |"
            r"properly |actually )?(?:check|checked|ask|asked|test|tested|confirm|confirmed|"
            r"chase|chased|flag|flagged|escalate|escalated|tell|told|follow|read|verify|"
            r"verified|plan|planned|prepare|prepared|think|look|notice|noticed|realise|realize|"
            r"speak|push|raise|raised|delegate|review|reviewed|double|make|bother|want|get|"
            r"include|update|back|line|call|warn|train|trained|communicate|listen|allow|"
            r"leave|give|set|take|do|paying|careful)\b",
            r"\bwithout (?:checking|asking|testing|confirming|telling|looking|reading|verifying|"
            r"double checking|consulting|running|reviewing|thinking|a second|any)\b",
            r"\bi (?:forgot|skipped|missed|overlooked|ignored|underestimated|overestimated|"
            r"assumed|rushed|misjudged|misread|misunderstood|miscalculated|mislabelled|"
            r"mislabeled|mixed up|messed up|screwed up|neglected|overcommitted|overpromised|"
            r"cut corners|put off|left it|let it|let the|kept putting|avoided|guessed|"
            r"talked at|ticked|signed off|pushed|sent|keyed|uploaded|approved|promised|"
            r"quoted|copied|relied|trusted|treated|chose|decided|agreed|took on|tried to do|"
            r"went with|went ahead|dropped the ball|got it wrong|got the|made the call)\b",
            r"\bmy (?:mistake|error|fault|oversight|bad|failure|part|call)\b",
            r"\b(?:on me|was mine|fault was mine|mistake was mine|i was to blame|i should have|"
            r"i shouldnt have|i should ve|the part thats on me|i own that)\b",
        ),
        negatable=False,
    ),
    "impact": Detector(
        _compile(
            r"\b(?:delay(?:ed|s)?|complain(?:ed|ts?)?|refund(?:ed|s)?|rework|overtime|"
            r"penalt(?:y|ies)|fined|loss(?:es)?|backlog|outage|downtime|recall(?:ed)?|lost|"
            r"wasted|cancel(?:l?ed)?|escalat(?:ed|ion)|angry|upset|furious|frustrated|"
            r"disappointed|embarrass(?:ed|ing)|missed|failed|broke|crashed|late|costing)\b",
            r"\b(?:as a result|which meant|that meant|this meant|so we|so the|so our|so i had|"
            r"so they|so he|so she|so it|so a|so about|so around|so nearly|so several|"
            r"the result was|resulting in|which led|that led|this led|ended up|knock on)\b",
            r"\b(?:was|were|got|had been|went) (?:delayed|late|lost|cancelled|canceled|wasted|"
            r"short|understated|overstated|underpaid|overpaid|affected|missed|rejected|returned|"
            r"postponed|pushed back|binned|thrown away|scrapped|recalled|wrong|out wrong|sour|"
            r"infected|ruined|cut|shut|closed|escalated|refunded|behind|upset|unhappy|"
            r"furious|annoyed|frustrated|confused|stranded|overbooked|double booked|down|offline|"
            r"unavailable)\b",
            r"\b(?:we|they|the client|the customer|the company|the team|he|she|it) "
            r"(?:lost|missed|cost|slipped|complained|cancelled|canceled|had to|fell|dropped|"
            r"held back|pulled|withdrew|went|walked)\b",
            r"\b(?:it|that|this|which) (?:cost|caused|meant|delayed|pushed|set us back|"
            r"hurt|damaged)\b",
            r"\b(?:lost|missed|wasted|binned|refunded) (?:about|around|roughly|nearly|almost|over|"
            r"a|an|the|\d|one|two|three|four|five|six|seven|eight|nine|ten|half|a third)\b",
            r"\b(?:had to (?:come|be|redo|repeat|wait|push|pay|refund|cancel|stay|work|re|recall|"
            r"reschedule|rebook|rerun|throw|bin|delay|postpone|apologi[sz]e|issue|move))\b",
            r"\bfood poisoning|complaints? (?:came|went|rose)|\bslipped by\b",
        ),
        negatable=False,
    ),
    "remedy": Detector(
        _compile(
            r"\b(?:i|we) (?:came in|went to|went straight|paid|credited|discounted|comped|"
            r"covered|compensated|rang round|sat down with|talked to|spoke to|met with|"
            r"explained|swapped|reported|volunteered|took ownership|took the blame|owned it|"
            r"offered|pulled|rolled back|reverted|patched|restored|retrieved|recovered|salvaged|"
            r"chased|followed up|reached)\b",
            r"\b(?:i|we) (?:had to|needed to) (?:redo|rework|call|ring|apologi[sz]e|fix|re\w+|"
            r"go back|start again|stay)\b",
            r"\b(?:i|we) (?:asked|got|took|found|booked) (?:for )?(?:help|advice|feedback|"
            r"a mentor|training|a course|support)\b",
            r"\b(?:i|we) (?:owned|apologi[sz]ed|fixed|corrected|called|rang|phoned|emailed|"
            r"wrote to|went back|reran|redid|rebuilt|rewrote|stayed|arranged|organi[sz]ed|"
            r"set up|built|created|added|introduced|put in|changed|asked for|flagged|escalated|"
            r"contacted|sorted|reached out|offered|refunded|spent|admitted|told|informed|"
            r"worked with|worked out|got a|got the|got them|got it|caught up|recovered|"
            r"replaced|reissued|resent|rescheduled|rebooked|reorgani[sz]ed|negotiated|"
            r"renegotiated|split|moved|brought|bought|found|made sure|made a|started|"
            r"proposed|suggested|trained|retrained|documented|wrote up|wrote a|drew up|"
            r"held|ran a|ran extra|did a|went through|took it|took responsibility|"
            r"air freighted|switched|personally|immediately|straight away)\b",
            r"\b(?:to fix it|to put it right|to make up for|to recover|so it wouldnt happen|"
            r"to stop it happening|to prevent|put things right|make it right|damage control)\b",
        ),
        region=AFTER_FAILURE,
    ),
    "lesson": Detector(
        _compile(
            r"\b(?:it|that|this) (?:made|makes|has made) me (?:more|much more|a lot more|"
            r"far more|better|realise|realize|think|a better)\b",
            r"\b(?:the|my) (?:big|biggest|main|real|key) (?:learning|insight|realisation|"
            r"realization|thing i)\b|\b(?:lesson|learning|takeaway) (?:for me )?(?:was|is|"
            r"there)\b",
            r"\b(?:it|that) was (?:a|an) (?:wake up call|eye opener|valuable|important|big|"
            r"real) (?:lesson|moment|one)?\b|\bthe (?:key|trick) is\b|\bwhat matters is\b",
            r"\b(?:you|i) (?:have|need|needs|has) to (?:check|ask|confirm|plan|communicate|flag|"
            r"speak|say|make sure|test|verify|raise|listen|own|build)\b",
            r"\b(?:never|dont|do not) (?:assume|take (?:\w+ ){0,3}for granted)\b",
            r"\b(?:i|we) (?:learned|learnt|realised|realized|understood|took away|came away|"
            r"worked out that|figured out that|saw that|now know|now understand|now see|"
            r"now realise|now realize|came to see|came to understand)\b",
            r"\b(?:taught me|teaches me|showed me|shows me|made me (?:see|realise|realize|"
            r"understand|appreciate)|reminded me|drove home|drilled into me|hammered home|"
            r"opened my eyes|clicked for me|brought home)\b",
            r"\bthe (?:lesson|takeaway|take away|big thing|key thing|main thing|thing i took|"
            r"real problem|real issue|root cause|real lesson|moral)\b",
            r"\bwhat (?:hit me|struck me|stuck with me|i took|i got|i learned|i learnt|i realised|"
            r"i realized|i understood|sticks with me|stayed with me|i carry)\b",
            r"\b(?:my|the) (?:takeaway|lesson)\b|\blesson (?:learned|learnt)\b",
            r"\b(?:looking back|in hindsight|with hindsight|on reflection)\b",
            r"\bi (?:cant|can not|cannot|shouldnt|should never|mustnt) (?:just )?(?:assume|rely|"
            r"trust|take)\b",
        ),
        region=AFTER_FAILURE,
    ),
    "applied": Detector(
        _compile(
            r"\b(?:now|nowadays|these days) (?:i|we|every|any|all|each|our|the|my)\b|\b(?:i|"
            r"we) now\b",
            r"\b(?:ive|i have|weve|we have) (?:since|now|not|never|already|kept|stuck)\b",
            r"\b(?:it|that|this) (?:has|have|hasnt|havent)(?: \w+){0,2} (?:since|again)\b",
            r"\b(?:still|now) (?:use|do|run|keep|check|follow|send|ask|build|plan)\b",
            r"\b(?:this|last|that|the next|the following) (?:year|term|quarter|season|month|"
            r"spring|summer|autumn|winter|christmas|semester|cycle|rota|launch|audit|"
            r"inspection)\b",
            r"\b(?:came|went|ran|finished|delivered|launched|landed|arrived) (?:in )?(?:on time|"
            r"early|smoothly|without|under budget|ahead|fine|perfectly)\b",
            r"\b(?:these days|nowadays|now|since then|ever since|from then on|from that day|"
            r"after that|today|going forward|since) (?:i|we|any|every|all|each|our|the)\b",
            r"\b(?:i|we) (?:now|always|still) (?:always |)(?:check|ask|use|build|run|send|keep|"
            r"make|have|get|set|plan|put|write|book|double|confirm|flag|do|go|start|give|"
            r"review|test|add|share|schedule|block|map|call|include|brief|read|try)\b",
            r"\b(?:ive|i have|weve|we have) (?:run|used|done|had|managed|delivered|kept|applied|"
            r"brought|taken|handled|led|trained|never|not had|since)\b",
            r"\b(?:hasnt|has not|havent|have not|hadnt|never) (?:happened|had a repeat|been a|"
            r"gone out|had another|repeated|recurred|missed)\b",
            r"\b(?:the following|the next|a few months later|later that|on my next|in my next|"
            r"at my next|the year after|the month after|next time|the next time|last year when|"
            r"a year later|months later|weeks later|the last (?:\w+ )?(?:\w+ )?(?:times|"
            r"projects|launches|rotas|meetings|releases))\b",
            r"\b(?:every one|each one|all of them|none of them|every time since|no (?:repeats|"
            r"errors|complaints|infections|incidents|problems|issues) since)\b",
            r"\b(?:made|became|is now|was made) (?:it )?(?:standard|policy|part of|the norm|"
            r"routine|a habit)\b|\bi made it a (?:habit|rule|point)\b",
        ),
        region=AFTER_FAILURE,
    ),
}

RED_FLAG_DETECTORS: dict[str, Detector] = {
    "never-failed": Detector(
        _compile(
            r"\b(?:every|all) (?:my |of my )?(?:project|projects|deadline|deadlines|target|"
            r"targets)(?: \w+){0,4} (?:delivered|met|hit|on time|successful|succeeded)\b",
            r"\b(?:ive|i have) always (?:delivered|met|hit|succeeded|come through|managed)\b|"
            r"\b(?:touch|knock on) wood\b",
            r"\b(?:i|ive|i have) (?:never|not|havent|have not) (?:really |actually |truly |"
            r"honestly )?(?:failed|had (?:a|any) (?:real |big |proper |major )?(?:failure|"
            r"failures)|made (?:a|any) (?:real |big |major )?mistakes?)\b",
            r"\bi (?:dont|do not) (?:think|believe) (?:ive|i have) (?:ever )?(?:had|really had|"
            r"failed|made)\b",
            r"\b(?:cant|cannot|can not|struggle to|hard to|difficult to) (?:really )?(?:think "
            r"of|name|point to|come up with) (?:a|any|one|an)\b",
            r"\b(?:havent|have not|havent really|dont|do not) (?:really )?(?:had|have) (?:one|a|"
            r"any) (?:big |real |major |proper )?(?:failure|failures|one)\b",
            r"\bfailure (?:isnt|is not) something\b|\bno (?:real|major|big) (?:failures|"
            r"mistakes)\b|\bi dont (?:really )?(?:fail|make mistakes)\b",
        ),
        negatable=False,
        # "I'd never failed an exam before..." starts a real story.
        unless=_compile(r"\b(?:id|i had|hed|shed|wed) never\b|\bbefore (?:that|then|my)\b"),
    ),
    "blame": Detector(
        _compile(
            r"\b(?:unrealistic|impossible|ridiculous|crazy|insane) (?:deadline|target|routes?|"
            r"workload|schedule|expectations|hours|timeline|numbers)s?\b",
            r"\b(?:no|zero|little) (?:support|training|help|guidance) from\b|\b(?:was|"
            r"were) (?:understaffed|short staffed)\b",
            r"\bbecause (?:of )?(?:the|my|our) (?:traffic|weather|system|software|manager|boss|"
            r"team|supervisor|client|customer|supplier|colleagues?)\b",
            r"\b(?:wasnt|was not|isnt|not) (?:really |entirely |actually )?(?:my fault|on me|"
            r"my responsibility|my problem|down to me|my call|my doing)\b",
            r"\b(?:their|his|her|the clients|the teams|the suppliers|managements) fault\b",
            r"\b(?:my|the|our) (?:manager|boss|supervisor|team leader|team|colleague|coworker|"
            r"co worker|client|supplier|chef|head chef|lead|director|department|developers|"
            r"contractor|council|warehouse|agency)s? (?:didnt|never|failed to|refused|wouldnt|"
            r"kept (?:changing|moving|adding)|messed|was useless|were useless|was awful|"
            r"was terrible|dropped the ball|forgot|should have|let me down|let us down|"
            r"took forever|went bust|was always|were always|just)\b",
            r"\b(?:nobody|no one|noone) (?:told|trained|warned|showed|gave|helped|checked)\b",
            r"\bi was (?:never|not) (?:told|trained|given|warned|shown)\b",
            r"\b(?:out of|beyond) (?:my|our) (?:hands|control)\b|\bnone of (?:that|it) was in "
            r"(?:my|our) control\b",
            r"\bcomes down to luck\b|\bbad luck\b|\b(?:set|was set) up to fail\b",
            r"\bthere was no way\b|\bnothing (?:i|we) could (?:have )?do(?:ne)?\b",
            r"\b(?:the|my|our) (?:\w+ ){0,2}(?:kept|keep) (?:underestimating|changing|moving|"
            r"adding|missing|sending|ignoring|forgetting|cancelling|raising)\b",
            r"\b(?:they|he|she|the others|others|everyone else) (?:kept|never|didnt|did not|"
            r"wouldnt|refused|failed to|just didnt)\b(?! mind)",
            r"\bcant make people\b|\bchanged their minds?\b|\bdid everything right\b|"
            r"\bpulls? (?:its|their) weight\b|\bnothing i did was\b|"
            r"\b(?:system|company|university|management|head office) (?:just )?(?:doesnt|didnt|"
            r"never)\b|\bdidnt do (?:their|his|her) (?:parts?|jobs?|bit)\b",
        ),
        negatable=False,
        # The speaker owning the same slip ("I dropped the ball") is not blame.
        unless=_compile(r"^(?:and |so |but )?i (?:dropped|messed|should|forgot|didnt)\b"),
    ),
    "humblebrag": Detector(
        _compile(
            r"\b(?:cant|cannot|couldnt) (?:switch|turn) off\b|\bcant stop working\b|"
            r"\bworkaholic\b|\bovera?chiever\b|\bi give (?:110|a hundred and ten|everything)\b",
            r"\btake (?:my )?work home\b|\bwork(?:ing)? (?:every )?(?:late|weekends|"
            r"evenings) (?:every|all)\b|\btoo (?:focused|eager|nice|keen)\b",
            r"\bperfectionis[mt]\b",
            r"\b(?:work|worked|working|care|cared|caring|try|tried|give|gave) (?:way )?too "
            r"(?:hard|much)\b",
            r"\btoo (?:detail oriented|dedicated|committed|thorough|passionate|invested|"
            r"conscientious|generous|helpful|honest|loyal|driven|ambitious|hard on myself)\b",
            r"\b(?:standards|bar|expectations) (?:are|were|is|was)? ?(?:just )?too high\b",
            r"\bsay(?:ing)? yes to everything\b|\b(?:cant|couldnt) say no\b",
            r"\bmy (?:only|biggest) weakness\b|\bi care so much\b|\babove and beyond\b",
        ),
        negatable=False,
    ),
    "non-work": Detector(
        _compile(
            r"\brenovat\w* (?:my|our|the) (?:house|home|flat|kitchen|bathroom)\b|"
            r"\bpersonal (?:project|life|finances)\b",
            r"\bmy (?:marriage|divorce|wedding|hobby|relationship|love life|personal life|"
            r"dating|diet|driving test|new years|fantasy|allotment|garden|gym)\b",
            r"\b(?:home brewing|homebrewing|my brewing|driving test|marathon|family holiday|"
            r"hen do|stag do)\b",
        ),
        # A family member may appear in a work story ("I rang his daughter"); twice is a pattern.
        weak=_compile(
            r"\b(?:my|our) (?:house|home|flat|kitchen|bathroom|loft|extension|renovation|car|"
            r"holiday|trip|vacation|savings|finances|band|club)\b",
            r"\bmy (?:sister|brother|mum|mom|dad|mother|father|wife|husband|partner|girlfriend|"
            r"boyfriend|kids|son|daughter|family|parents|best friend|flatmate|neighbour|"
            r"neighbor|landlord)s?\b",
            r"\b(?:birthday party|house party|dinner party)\b",
        ),
        negatable=False,
        # A party booked by a customer is work.
        unless=_compile(
            r"\b(?:booking|booked|customer|client|guest|order|shift|patient|seat|table|venue|"
            r"restaurant|event)s?\b"
        ),
    ),
    "catastrophic": Detector(
        _compile(
            r"\b(?:dropped|deleted|removed|excluded|left out|hid|altered|massaged|tweaked|"
            r"edited) (?:the |some |a few |a couple of |two |three )?(?:outliers|data points|"
            r"results|numbers|figures|records|samples|readings|entries)\b",
            r"\b(?:made|make) (?:the )?(?:numbers|data|results|figures) (?:look|fit)\b|"
            r"\b(?:i|we) backdated\b",
            r"\bbreach(?:ed)? (?:of )?(?:confidentiality|policy|protocol|gdpr|the rules|data)\b|"
            r"\b(?:drunk|hungover|under the influence) (?:at|on|during)\b",
            r"\b(?:falsif|fabricat|forged|faked|fudged|fiddled|cooked the books|embezzl|"
            r"fraud|bribe)\w*|\bi stole\b|\btheft by\b",
            r"\b(?:signed|ticked) (?:off )?(?:\w+ ){0,4}(?:i hadnt|i had not|i didnt|without "
            r"(?:doing|checking|seeing))\b",
            r"\b(?:covered it up|cover it up|kept it quiet|hid (?:it|the))\b",
            r"\bi (?:lied|was lying) (?:to|about)\b",
            r"\b(?:illegal|against the law|broke the law|unlawful|criminal|arrested|police)\b",
            r"\b(?:got|was|were|being) (?:fired|sacked|dismissed|let go)\b|\blet me go\b|"
            r"\blost my job\b|\bdisciplinary\b|\bgross misconduct\b",
            r"\b(?:(?:patient|resident|someone|he|she|man|woman|child|customer|worker) died|"
            r"killed|broke (?:his|her|their) \w+|seriously (?:hurt|injured)|"
            r"food poisoning|hospitali[sz]ed|got hurt|was injured|were injured)\b",
            r"\b(?:past its date|out of date|expired) (?:\w+ ){0,3}(?:rather than|instead of|"
            r"and served|anyway)\b|\bpast (?:its|their) (?:use by )?date\b",
            r"\bwithout (?:it|the) (?:edge protection|harness|guard|ppe)\b|"
            r"\bcrack on without\b|\bsafety investigation\b",
            r"\b(?:data breach|leaked|plagiari[sz]ed|cheated)\b",
        ),
        negatable=False,
    ),
    "negative": Detector(
        _compile(
            r"\b(?:want|wanted|need|needed) (?:to get )?out\b|\b(?:sick|tired) of\b|\bfed up\b|"
            r"\bdread\b|\b(?:cant|couldnt) stand\b|\bsoul destroying\b|\bdead end\b",
            r"\b(?:regret (?:ever|taking|joining))\b|\bno point\b|\bwaste of (?:time|my)\b|"
            r"\b(?:useless|pointless|hopeless|awful|terrible|horrible) (?:job|place|company|"
            r"industry|boss|manager|team|people)\b",
            r"\b(?:im|i am|i was|i felt|i feel|feel like|felt like) (?:such |just |so |a |an |"
            r"completely |totally |really )*(?:idiot|failure|useless|stupid|terrible|hopeless|"
            r"worthless|incompetent|not good enough|not cut out|let everyone down|a mess)\b",
            r"\b(?:hate|hated|loathe|loathed|despise|despised)\b",
            r"\b(?:toxic|miserable|pointless|nightmare|disaster of a|a joke)\b",
            r"\b(?:beat|beating) myself up\b|\bhaunts me\b|\bcry about it\b|\bcried\b",
            r"\b(?:never|cant|couldnt) (?:get|got|getting) over\b|\bnever forgive\b",
            r"\bi (?:always|just) (?:mess|screw) (?:things|it|everything) up\b|"
            r"\bso many i dont know\b|\bi mess things up\b",
            r"\bi dont know if im cut out\b|\bstill feel like\b",
            r"\b(?:still|so|really) (?:angry|bitter|furious|resentful)\b|\bmakes me angry\b|"
            r"\bchew (?:people )?up\b|\bwasted (?:\w+ )?years\b",
        ),
        negatable=False,
    ),
    "hypothetical": Detector(
        _compile(
            r"\b(?:i would|id|i might) (?:probably |just |always |first |"
            r"definitely |then |also |want to |try to |make sure |like to )?(?:flag|tell|make|"
            r"own|learn|handle|do|start|go|check|ask|try|hold|work|agree|fix|apologi[sz]e|"
            r"reach|sit|escalate|speak|talk|raise|look|take|put|review|want)\b(?! have)",
            r"\b(?:if (?:i|that|something) (?:ever |were to |was to )?(?:happened|happen|made|"
            r"failed|missed|did)|say i|lets say|hypothetically|imagine if|in that situation)\b",
            r"\bwhat i would do\b|\bi imagine\b",
        ),
        negatable=False,
        # Reported thoughts in a real story: "I kept telling myself I'd start revising".
        unless=_compile(r"\b(?:told|telling|tell) myself\b|\bi (?:thought|promised|said)\b"),
    ),
    "trivial": Detector(
        _compile(
            r"\b(?:small|little|minor|tiny|silly) (?:thing|mistake|slip|error|mix up|one)\b",
            r"\b(?:laughed|we laughed|had a laugh) (?:about it|it off)\b|\b(?:nobody|"
            r"no one) (?:really )?(?:minded|cared)\b",
            r"\bwrong (?:milk|coffee|drink|name on|spelling|colour|color|size|font|cup)\b|"
            r"\bname (?:card|badge|tag)\b|\bquickly (?:fixed|sorted)\b",
            r"\btypo\b|\bspelling mistake\b|\bwrong font\b|\bformatting\b",
            r"\b(?:a few|five|ten|5|10|two|couple of) minutes late\b",
            r"\bforgot (?:to bring )?(?:my |a |the |a colleagues )?(?:laptop )?(?:lunch|badge|"
            r"charger|password|umbrella|birthday|coffee|keys)\b|\bbirthday cake\b|\bcake\b",
            r"\b(?:wasnt|was not|not) (?:a|such a) (?:big|huge) deal\b|\bno (?:real )?harm done\b",
            r"\b(?:didnt|did not) really matter\b|\bnothing really happened\b",
            r"\breply all\b|\bon mute\b|\bspilled\b|\bspilt\b",
        ),
        # "Cutting corners is never a small thing" is not a small thing.
        negatable=True,
    ),
}
