"""The coordinated 1177 audit of 2021 as demo data, in our own words.

Facts (regions, names, ratings, dates, numbers, the short question and recommendation
wordings) come from the documents in shared/seeds; the prose is ours. Ratings of
Västmanland and Västerbotten are not in the seeds and are illustrative.
"""

QUESTION_SET = {
    "title": "Granskning av 1177",
    "year": 2021,
    "coordinator": "PwC",
    "description": (
        "Samordnad granskning av styrning och användning av de nationella "
        "invånartjänsterna 1177 i flera regioner, med ett gemensamt PM som jämför regionerna."
    ),
}

QUESTIONS = [
    "Har användandet av de nationella invånartjänsterna 1177 utvecklats i önskvärd riktning "
    "utifrån nationella och egna målsättningar sedan tidpunkten för föregående granskning?",
    "Finns en ändamålsenlig styrning och uppföljning avseende 1177:s tjänster?",
    "Finns en ändamålsenlig styrning och uppföljning avseende bemanning och dimensionering "
    "av tjänsten 1177 Vårdguiden på telefon?",
    "Finns ett enhetligt utbud av invånartjänster inom regionens olika geografiska delar?",
    "Säkerställer regionstyrelsen att invånartjänsterna är välfungerande utifrån ett "
    "medborgarperspektiv?",
]

PURPOSE = (
    "Att bedöma om regionstyrelsen säkerställer att de nationella invånartjänsterna 1177 "
    "drivs ändamålsenligt och med tillräcklig intern kontroll."
)

REGIONS = [
    {
        "code": "norrbotten",
        # The demo's public page (/public/norrbotten/): issued audits, no sign-in.
        "public_page": True,
        "name": "Region Norrbotten",
        "bodies": [("Regionstyrelsen", "RS", "board"), ("Regionfullmäktige", "RF", "council")],
        "areas": {
            "Luleå/Boden": ["Hertsöns hälsocentral", "Bodens hälsocentral"],
            "Övriga länet": ["Kiruna hälsocentral", "Piteå hälsocentral"],
        },
    },
    {
        "code": "vastmanland",
        "name": "Region Västmanland",
        "bodies": [
            ("Regionstyrelsen", "RS", "board"),
            ("Hälso- och sjukvårdsnämnden", "HSN", "committee"),
        ],
        "areas": {"Västerås": ["Vårdcentralen Skultuna"], "Övriga länet": ["Vårdcentralen Sala"]},
    },
    {
        "code": "vasterbotten",
        "name": "Region Västerbotten",
        "bodies": [
            ("Regionstyrelsen", "RS", "board"),
            ("Hälso- och sjukvårdsnämnden", "HSN", "committee"),
        ],
        "areas": {
            "Södra Västerbotten": ["Ålidhems hälsocentral"],
            "Norra Västerbotten": ["Skellefteå hälsocentral"],
            "Södra Lappland": ["Lycksele hälsocentral"],
        },
    },
]

# Ratings per region, in question order (Norrbotten's are those of its report).
RATINGS = {
    "norrbotten": [
        ("Uppfylld", "Användningen har ökat i linje med målen, men uppföljning och analys saknas."),
        (
            "Delvis uppfylld",
            "Vissa mål finns, men vårdbeställningen styr inte utbudet av e-tjänster.",
        ),
        (
            "Delvis uppfylld",
            "Mål finns och följs upp, men styrelsen har inte antagit verksamhetsplanen.",
        ),
        ("Ej uppfylld", "Ingen uppföljning visar att utbudet är enhetligt i länets delar."),
        ("Delvis uppfylld", "Lågt förtroende i barometern men hög kundnöjdhet på telefon."),
    ],
    "vastmanland": [
        ("Uppfylld", "Användningen har ökat kraftigt, särskilt under pandemin."),
        (
            "Delvis uppfylld",
            "Styrningen sker genom digitaliseringsstrategin, inte specifikt för 1177.",
        ),
        ("Ej uppfylld", "Målet för medelväntetid har inte nåtts under flera år."),
        (
            "Delvis uppfylld",
            "Utbudet liknar sig mellan regiondrivna vårdcentraler men inte privata.",
        ),
        ("Delvis uppfylld", "Förtroendet följs i barometern men åtgärder saknas."),
    ],
    "vasterbotten": [
        ("Delvis uppfylld", "Användningen har ökat, men mål saknas för flera tjänster."),
        ("Delvis uppfylld", "Uppföljning sker i objektet invånartjänster men inte i nämnden."),
        ("Delvis uppfylld", "Tillgänglighetsmål finns men behöver ses över."),
        ("Ej uppfylld", "Inget beslutat basutbud av e-tjänster för hälsocentralerna."),
        ("Uppfylld", "Nöjd-kund-index följs och redovisas regelbundet."),
    ],
}

NORRBOTTEN_AUDIT = {
    "reference_number": "Nr 11/2021",
    "issued_date": "2021-02-26",
    "response_deadline": "2021-05-31",
    "status": "followed_up",
    "audit_firm": "PwC",
    "background": (
        "Regionerna kom 2016 överens om Vision e-hälsa 2025. En samordnad granskning av "
        "1177 i åtta regioner gjordes 2016–2017; denna granskning följer upp "
        "utvecklingen sedan dess."
    ),
    "scope": (
        "I huvudsak år 2020, med tidigare beslut som påverkar året. "
        "Granskningsobjekt: regionstyrelsen."
    ),
    "method": (
        "Dokumentstudier, statistik från Inera och regionen samt intervjuer med verksamhetschef "
        "och enhetschef för 1177 på telefon, verksamhetsutvecklare, strateg för invånartjänster "
        "och IT-strateg. De intervjuade har faktagranskat rapporten."
    ),
    "overall_assessment": (
        "Regionstyrelsen säkerställer inte helt att invånartjänsterna 1177 drivs "
        "ändamålsenligt, och den interna kontrollen är inte helt tillräcklig."
    ),
    "team": [
        ("Erik Jansen", "revisionskonsult", "project_lead"),
        ("Michaela Nyman", "revisionskonsult", "consultant"),
        ("Ulrik Hellmark", "revisionskonsult", "consultant"),
        ("Matti Leskelä", "certifierad kommunal revisor", "quality_reviewer"),
    ],
    "criteria": [
        "Strategisk plan 2020–2022",
        "Regionstyrelsens plan 2020–2022 och verksamheternas verksamhetsplaner",
        "Övriga styrande dokument inom området",
    ],
    "observations": {
        1: [
            (
                "Samtal till 1177 på telefon",
                "Oktober 2018 kom 10 335 samtal, varav 71,28 % besvarades; oktober 2020 kom 9 937 "
                "samtal, varav 79,50 % besvarades.",
            ),
            (
                "Inloggningar i e-tjänsterna",
                "Unika inloggningar ökade från 6 153 i januari 2016 till 75 409 i november 2020.",
            ),
        ],
        2: [
            (
                "Mål i planerna",
                "Regionstyrelsens plan 2020–2022 har mål för andel invånare som loggat in (60 %) "
                "och andel webbokningsbara tider (>2 %), men inget mål för 1177 på telefon.",
            )
        ],
        3: [
            (
                "Samverkan i norra sjukvårdsregionen",
                "Verksamhetsplanen i norra sjukvårdsregionen anger att minst 85 % av samtalen ska "
                "besvaras; styrelsen har inte antagit planen.",
            )
        ],
        4: [
            (
                "Utbud per länsdel",
                "I augusti 2020 erbjöd 54 % av mottagningarna i Luleå/Boden och 68 % "
                "i övriga länet "
                "minst fyra e-tjänster.",
            )
        ],
        5: [
            (
                "Förtroende och nöjdhet",
                "57 % hade stort förtroende för 1177 på telefon i barometern 2018; nöjd-kund-index "
                "för telefonrådgivningen ligger över riket.",
            )
        ],
    },
    "recommendations": [
        (
            1,
            "Vidta åtgärder för systematisk uppföljning och utvärdering av 1177:s tjänster, "
            "bland annat vilka e-tjänster enskilda vårdverksamheter erbjuder, för en jämlik vård.",
            [2, 4],
        ),
        (
            2,
            "Överväg tillgänglighetsmål för 1177 på telefon, till exempel svarstid och "
            "svarsfrekvens, anpassade efter regionens förutsättningar.",
            [3],
        ),
        (
            3,
            "Analysera vilka åtgärder som kan öka implementeringen av 1177:s tjänster i "
            "vårdverksamheterna, vid behov med stöd av förändringsledning.",
            [4],
        ),
        (
            4,
            "Analysera vilka åtgärder som kan öka invånarnas kunskap om och kännedom om "
            "1177:s tjänster.",
            [5],
        ),
    ],
}

OTHER_AUDITS = {
    "vastmanland": {
        "reference_number": "Dnr REV 2021/4",
        "issued_date": "2021-03-15",
        "response_deadline": "2021-06-15",
        "status": "answered",
        "overall_assessment": (
            "Regionstyrelsen har inte helt säkerställt att 1177 drivs ändamålsenligt, och den "
            "interna kontrollen är inte helt tillräcklig."
        ),
        "body": "Regionstyrelsen",
        "recommendations": [
            (1, "Sätt mål för tillgängligheten hos 1177 på telefon och följ upp dem.", [3]),
            (2, "Besluta om ett basutbud av e-tjänster som alla vårdcentraler ska erbjuda.", [4]),
            (3, "Följ upp invånarnas förtroende för 1177 och vidta åtgärder vid brister.", [5]),
        ],
    },
    "vasterbotten": {
        "reference_number": "REV 2021:7",
        "issued_date": "2021-03-01",
        "response_deadline": "2021-06-30",
        "status": "answered",
        "overall_assessment": (
            "Nämnden har delvis säkerställt en ändamålsenlig styrning av 1177; uppföljningen "
            "av utbud och måluppfyllelse behöver stärkas."
        ),
        "body": "Hälso- och sjukvårdsnämnden",
        "recommendations": [
            (
                1,
                "Besluta om direktiv, mål, uppdrag och strategier för verksamheternas arbete "
                "med 1177 Vårdguiden.",
                [2],
            ),
            (
                2,
                "Följ upp och utvärdera verksamheternas arbete med 1177 samt måluppfyllelse.",
                [1, 3],
            ),
            (
                3,
                "Säkerställ att det under 2021 tas fram en miniminivå gällande vilket utbud av "
                "1177:s e-tjänster som enskilda hälsocentraler och mottagningar ska erbjuda.",
                [4],
            ),
        ],
    },
}

# Region Norrbotten: the board decision Dnr 678-2021 acting on the report.
NORRBOTTEN_DECISION = {
    "received_date": "2021-05-06",
    "decision_date": "2021-05-04",
    "decision_reference": "RS 2021-05-04 §123",
    "reference_number": "678-2021",
    "narrative": (
        "Regionstyrelsen fastställer ett basutbud av vårdnära digitala tjänster: fem e-tjänster "
        "på 1177 (förnya recept, kontakta mig, av- och omboka tid, beställa tid, rådgivning), "
        "Digitalen och digitala vårdbesök, utöver kontakt per telefon. Andelen invånare som "
        "loggat in på 1177 har ökat från 31 % till 83 % under 2016–2020."
    ),
    "items": [
        "Fastställa föreslaget basutbud av vårdnära digitala tjänster till medborgare.",
        "Basutbudet ska införas likvärdigt i alla regionens vårdverksamheter och ingå i "
        "beställningen för vårdval primärvård från 2022.",
        "Användningen av tjänsterna ska följas upp systematiskt, utvärderas och rapporteras "
        "till regionstyrelsen.",
    ],
}

# Region Västmanland: one narrative for the whole report.
VASTMANLAND_NARRATIVE = (
    "Regionstyrelsen ser 1177 som ett verktyg inom regionens digitalisering snarare än ett mål "
    "i sig, och styr genom strategin Digitalt först och digitaliseringsstrategin, som revideras. "
    "Arbetet med e-tjänsterna är decentraliserat till verksamheterna. Målet för medelväntetid på "
    "telefon har varit svårt att nå; under 2020 steg väntetiden till cirka 24 minuter, och en "
    "covidlinje och digital rådgivning infördes. Ett nytt primärvårdsprogram tar hänsyn till "
    "revisorernas synpunkter. 80 % av invånarna har konto på 1177.se."
)

# Region Västerbotten: answers per recommendation, with measures and target values.
VASTERBOTTEN_ANSWERS = {
    1: (
        "accepted",
        "En ny digitaliseringsstrategi tas fram så att regionens strategier följer "
        "de nationella; 1177 är ett av strategins utvecklingsområden.",
    ),
    2: (
        "accepted",
        "Utveckling och måluppfyllelse följs i objektet invånartjänster och "
        "rapporteras till styrgruppen. Målen för 1177 på telefon är 85 % besvarade samtal och "
        "högst 10 minuters medelväntetid; de ses över i norra sjukvårdsregionen.",
    ),
    3: (
        "partly",
        "Ett arbete med ett enhetligt utbud av e-tjänster har börjat. Regionstyrelsen "
        "ser under hösten över om beställningen i Hälsoval ska kräva ett minimiutbud.",
    ),
}

# Region Västerbotten: a follow-up audit issued recently, still awaiting the committee's
# response (illustrative, so the demo inbox has something to answer).
VASTERBOTTEN_FOLLOW_UP = {
    "title": "Uppföljning av granskningen av 1177",
    "reference_number": "REV 2026:3",
    "issued_days_ago": 10,
    "deadline_in_days": 20,
    "purpose": (
        "Att följa upp om hälso- och sjukvårdsnämnden har hanterat rekommendationerna "
        "från 2021 års granskning av 1177."
    ),
    "questions": [
        (
            "Har nämnden beslutat om mål och uppdrag för arbetet med 1177 Vårdguiden?",
            "Delvis uppfylld",
            "Mål för telefonrådgivningen är beslutade; mål för e-tjänsterna saknas.",
        ),
        (
            "Finns ett beslutat minsta utbud av e-tjänster för hälsocentralerna?",
            "Ej uppfylld",
            "Arbetet pågår men inget utbud är beslutat.",
        ),
    ],
    "recommendations": [
        (1, "Besluta om mål för användningen av 1177:s e-tjänster och följ upp dem årligen.", 1),
        (2, "Fastställ ett minsta utbud av e-tjänster som alla hälsocentraler ska erbjuda.", 2),
    ],
}
