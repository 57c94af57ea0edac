"""Words the national data generator builds names and texts from (our own words)."""

from __future__ import annotations

from audits.models import Audit
from recommendations.models import Answer, FollowUp, Recommendation
from regions.models import Body

PLACE_HEADS = (
    "Björk", "Gran", "Sjö", "Berg", "Ek", "Lind", "Ås", "Hög", "Norr", "Söder", "Väster",
    "Öster", "Stor", "Lill", "Tall", "Rön", "Al", "Hassel", "Sand", "Sten", "Kall", "Älv",
    "Mo", "Fors", "Hed", "Ljung", "Myr", "Bäck", "Vik", "Näs", "Holm", "Dal", "Fjäll", "Ulv",
    "Järv", "Ren", "Lo", "Tran", "Örn", "Falk", "Hjort", "Ny", "Malm", "Kopp", "Silver",
    "Guld", "Järn", "Mård",
)  # fmt: skip
PLACE_TAILS = (
    "by", "sund", "vik", "näs", "holm", "köping", "stad", "berga", "tuna", "hamn", "fors",
    "sjö", "dal", "torp", "ryd", "lund", "ås", "hed", "bo", "rum", "inge", "landa", "sala",
    "vara", "mark", "åker", "strand", "backa",
)  # fmt: skip
REGION_TAILS = ("land", "botten", "manland", "bygden", "skogen", "kusten", "slätten", "dalen")

FIRST_NAMES = (
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Eva", "Anders", "Sara", "Per",
    "Lena", "Mikael", "Emma", "Nils", "Ingrid", "Olof", "Sofia", "Gustav", "Elin", "Magnus",
    "Linnea", "Fredrik", "Helena", "Jonas", "Astrid", "Henrik", "Maja", "Oskar",
)  # fmt: skip
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist",
    "Berglund", "Forsberg", "Sandström", "Lundgren", "Holm", "Bergström", "Nyström", "Öberg",
    "Wikström", "Sjöberg", "Hedlund", "Lundin",
)  # fmt: skip

REGION_BODIES = (
    ("Hälso- och sjukvårdsnämnden", "HSN", Body.Kind.COMMITTEE),
    ("Regionala utvecklingsnämnden", "RUN", Body.Kind.COMMITTEE),
    ("Kulturnämnden", "KN", Body.Kind.COMMITTEE),
    ("Patientnämnden", "PN", Body.Kind.COMMITTEE),
    ("Servicenämnden", "SN", Body.Kind.COMMITTEE),
    ("Kollektivtrafiknämnden", "KTN", Body.Kind.COMMITTEE),
    ("Primärvårdsnämnden", "PVN", Body.Kind.COMMITTEE),
    ("Tandvårdsnämnden", "TVN", Body.Kind.COMMITTEE),
    ("Folkhälsonämnden", "FHN", Body.Kind.COMMITTEE),
    ("Regionens fastighetsbolag", "RFAB", Body.Kind.COMPANY),
    ("Länstrafiken", "LT", Body.Kind.COMPANY),
)
MUNICIPALITY_BODIES = (
    ("Barn- och utbildningsnämnden", "BUN", Body.Kind.COMMITTEE),
    ("Socialnämnden", "SOC", Body.Kind.COMMITTEE),
    ("Vård- och omsorgsnämnden", "VON", Body.Kind.COMMITTEE),
    ("Bygg- och miljönämnden", "BMN", Body.Kind.COMMITTEE),
    ("Kultur- och fritidsnämnden", "KFN", Body.Kind.COMMITTEE),
    ("Tekniska nämnden", "TN", Body.Kind.COMMITTEE),
    ("Överförmyndarnämnden", "ÖFN", Body.Kind.COMMITTEE),
    ("Valnämnden", "VN", Body.Kind.COMMITTEE),
    ("Gymnasienämnden", "GYN", Body.Kind.COMMITTEE),
    ("Arbetsmarknadsnämnden", "AMN", Body.Kind.COMMITTEE),
    ("Kommunens bostadsbolag", "BOAB", Body.Kind.COMPANY),
    ("Kommunens energibolag", "EAB", Body.Kind.COMPANY),
)

# (title phrase, noun phrase for questions, who audits it: region / municipality / both)
TOPICS = (
    ("intern kontroll", "den interna kontrollen", "both"),
    ("upphandling och avtalstrohet", "upphandlingsverksamheten", "both"),
    ("informationssäkerhet", "informationssäkerhetsarbetet", "both"),
    ("kompetensförsörjning", "kompetensförsörjningen", "both"),
    ("investeringsprocessen", "investeringsprocessen", "both"),
    ("ekonomistyrning", "ekonomistyrningen", "both"),
    ("lokalförsörjning", "lokalförsörjningen", "both"),
    ("krisberedskap", "krisberedskapen", "both"),
    ("bisysslor och jäv", "hanteringen av bisysslor och jäv", "both"),
    ("delegationsordningen", "tillämpningen av delegationsordningen", "both"),
    ("arkiv och diarieföring", "arkivvården och diarieföringen", "both"),
    ("digitalisering", "digitaliseringsarbetet", "both"),
    ("målstyrning", "målstyrningen", "both"),
    ("attestrutiner", "attestrutinerna", "both"),
    ("hållbarhetsarbetet", "hållbarhetsarbetet", "both"),
    ("1177 Vårdguiden", "arbetet med 1177 Vårdguiden", "region"),
    ("tillgänglighet i primärvården", "tillgängligheten i primärvården", "region"),
    ("vårdköer", "köhanteringen i den specialiserade vården", "region"),
    ("läkemedelshantering", "läkemedelshanteringen", "region"),
    ("ambulanssjukvård", "ambulanssjukvården", "region"),
    ("psykiatrisk vård", "den psykiatriska vården", "region"),
    ("hyrpersonal", "användningen av hyrpersonal", "region"),
    ("kollektivtrafik", "styrningen av kollektivtrafiken", "region"),
    ("patientsäkerhet", "patientsäkerhetsarbetet", "region"),
    ("elevhälsa", "elevhälsoarbetet", "municipality"),
    ("hemtjänst", "hemtjänsten", "municipality"),
    ("särskilt boende", "verksamheten vid särskilda boenden", "municipality"),
    ("försörjningsstöd", "handläggningen av försörjningsstöd", "municipality"),
    ("bygglovshantering", "bygglovshanteringen", "municipality"),
    ("skolans måluppfyllelse", "arbetet med måluppfyllelse i grundskolan", "municipality"),
    ("placeringar av barn och unga", "placeringarna av barn och unga", "municipality"),
    ("VA-verksamheten", "vatten- och avloppsverksamheten", "municipality"),
    ("överförmyndarverksamheten", "överförmyndarverksamheten", "municipality"),
)

MAIN_QUESTIONS = (
    "Finns en ändamålsenlig styrning av {np}?",
    "Säkerställer {body} att {np} följs upp systematiskt?",
    "Finns tydliga mål och riktlinjer för {np}?",
    "Är ansvarsfördelningen för {np} tydlig?",
    "Sker en tillräcklig återrapportering om {np} till {body}?",
    "Har {body} en tillräcklig intern kontroll av {np}?",
    "Bedrivs {np} likvärdigt i hela {org}?",
    "Finns en ändamålsenlig riskanalys för {np}?",
)
SUB_QUESTIONS = (
    "Finns dokumenterade rutiner?",
    "Är rutinerna kända i verksamheten?",
    "Följs rutinerna upp?",
    "Finns resurser för uppdraget?",
    "Sker samverkan med andra aktörer?",
)
RECOMMENDATIONS = (
    "Säkerställ att {np} följs upp och återrapporteras till {body}.",
    "Ta fram dokumenterade rutiner för {np}.",
    "Tydliggör ansvarsfördelningen för {np}.",
    "Genomför en riskanalys av {np} och vidta åtgärder utifrån den.",
    "Säkerställ att {np} bedrivs likvärdigt i hela {org}.",
    "Utveckla den interna kontrollen av {np}.",
    "Inför mätbara mål för {np}.",
)
MEASURES = (
    "Rutinerna för {np} revideras och beslutas.",
    "En handlingsplan tas fram och återrapporteras till {body}.",
    "Uppföljning av {np} förs in i den interna kontrollplanen.",
    "Utbildning genomförs för berörda chefer.",
    "Ansvarsfördelningen förtydligas i delegationsordningen.",
)
RESPONSIBLE = {
    True: ("Regiondirektören", "Hälso- och sjukvårdsdirektören", "Ekonomidirektören"),
    False: ("Kommundirektören", "Förvaltningschefen", "Ekonomichefen", "Socialchefen"),
}
SHARED_RESPONSIBLE = ("HR-chefen", "Digitaliseringschefen", "Verksamhetschefen")
ANSWERS = {
    Answer.Stance.ACCEPTED: "{body} delar revisorernas bedömning och vidtar åtgärder.",
    Answer.Stance.PARTLY: "{body} delar delvis bedömningen; se åtgärderna nedan.",
    Answer.Stance.REJECTED: "{body} bedömer att nuvarande arbetssätt är tillräckligt.",
}
FOLLOW_UP_COMMENTS = {
    FollowUp.Assessment.IMPLEMENTED: "Åtgärderna är genomförda.",
    FollowUp.Assessment.PARTLY: "Arbetet pågår men är inte slutfört.",
    FollowUp.Assessment.NOT_IMPLEMENTED: "Inga åtgärder har vidtagits.",
    FollowUp.Assessment.NO_LONGER_RELEVANT: "Rekommendationen är inte längre aktuell.",
}
STATUS_AFTER_FOLLOW_UP = {
    FollowUp.Assessment.IMPLEMENTED: Recommendation.Status.IMPLEMENTED,
    FollowUp.Assessment.PARTLY: Recommendation.Status.PARTLY_IMPLEMENTED,
    FollowUp.Assessment.NOT_IMPLEMENTED: Recommendation.Status.NOT_IMPLEMENTED,
    FollowUp.Assessment.NO_LONGER_RELEVANT: Recommendation.Status.WITHDRAWN,
}
# Audit firms and the rating scale each one uses (codes of audits/0003).
FIRMS = (
    ("PwC", "uppfylld"),
    ("EY", "ja-delvis-nej"),
    ("KPMG", "fyrgradig"),
    ("Deloitte", "trafikljus"),
    ("BDO", "uppfylld"),
    ("Grant Thornton", "ja-delvis-nej"),
    ("Revisionskontoret", "fyrgradig"),
)
KINDS = (
    (Audit.Kind.IN_DEPTH, 60),
    (Audit.Kind.BASIC, 20),
    (Audit.Kind.FOLLOW_UP, 12),
    (Audit.Kind.PRE_STUDY, 8),
)
SCHEDULES = (("14,3,0", "14,0"), ("21,7,0", "30,14,0"), ("30,14,3,0", "14,7,0"))
