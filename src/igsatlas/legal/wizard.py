"""The decision wizard: a handful of questions lead to a recommended legal form and a runner-up, each with
reasons, consequences (bodies, duration, exit) and article references from the reference.

Pure functions: answers in, recommendation out. The web shows it as plain form submits with a shareable URL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from igsatlas.errors import InvalidArgumentError


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[tuple[str, str], ...]  # (value, label)
    help: str = ""


QUESTIONS: tuple[Question, ...] = (
    Question(
        "doel",
        "Wat willen jullie samen doen?",
        (
            ("overleg", "Afstemmen, informatie delen, samen plannen"),
            ("project", "Een afgebakend project (bv. erfgoed, cultuur, jeugd, toerisme)"),
            ("dienst", "Een gemeenschappelijke dienst of ondersteuning (bv. ICT, advies, aankoop)"),
            ("taak", "Een gemeentelijke taak helemaal samen uitvoeren (bv. afval, energie, water)"),
        ),
    ),
    Question(
        "middelen",
        "Hebben jullie eigen personeel, eigen contracten of eigendom nodig?",
        (("ja", "Ja"), ("nee", "Nee, de partners zetten hun eigen mensen en middelen in")),
        "Eigen personeel, contracten en eigendom vragen rechtspersoonlijkheid.",
    ),
    Question(
        "overdracht",
        "Dragen de gemeenten de taak zelf over (beheersoverdracht)?",
        (
            ("ja", "Ja, de samenwerking voert de taak uit in hun plaats"),
            ("nee", "Nee, de gemeenten blijven zelf bevoegd"),
        ),
    ),
    Question("privaat", "Doen er private partners mee?", (("ja", "Ja"), ("nee", "Nee, alleen publieke partners"))),
    Question(
        "duur",
        "Voor hoe lang?",
        (("kort", "Hoogstens zes jaar (of telkens verlengen per zes jaar)"), ("lang", "Langer dan zes jaar")),
    ),
    Question(
        "partners",
        "Met welke partners?",
        (
            ("gemeenten", "Alleen gemeenten"),
            ("ocmw", "Vooral OCMW's (welzijn, zorg)"),
            ("breed", "Gemeenten met provincie of andere publieke partners"),
        ),
    ),
    Question(
        "erkenning",
        "Zoeken jullie een erkenning of subsidie van een sector?",
        (
            ("geen", "Nee"),
            ("bovenlokale-cultuur", "Bovenlokale cultuurwerking"),
            ("erfgoedcel", "Erfgoedcel (cultureel erfgoed)"),
            ("ioed", "Intergemeentelijke onroerenderfgoeddienst (IOED)"),
        ),
    ),
)
QUESTION_IDS = tuple(q.id for q in QUESTIONS)


@dataclass(frozen=True)
class Choice:
    form: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Recommendation:
    best: Choice
    runner_up: Choice
    notes: tuple[str, ...]


def validate(answers: Mapping[str, str]) -> dict[str, str]:
    """The complete, valid answers; raises a coded error naming the question otherwise."""
    out = {}
    for q in QUESTIONS:
        value = answers.get(q.id)
        allowed = [v for v, _ in q.options]
        if value not in allowed:
            raise InvalidArgumentError(
                f"Het antwoord op '{q.text}' ontbreekt of is ongeldig ({value!r}).",
                code="invalid-answer",
                hint=f"Kies een van: {', '.join(allowed)}.",
            )
        out[q.id] = value
    return out


SECTOR_NOTE = (
    "Een sectorerkenning vraagt een samenwerking met rechtspersoonlijkheid binnen één referentieregio; "
    "bovenlokale cultuur en erfgoedcellen vragen vanaf 2027 minstens 85.000 inwoners, een IOED minstens "
    "drie gemeenten en 100.000 inwoners of 250 km²."
)


@dataclass(frozen=True)
class Branch:
    """One row of the decision table: when ``applies``, recommend ``best`` and offer ``runner_up``."""

    applies: Callable[[dict[str, str]], bool]
    best: str
    best_reasons: tuple[str, ...]
    runner_up: str
    runner_up_reasons: tuple[str, ...]
    extra: Callable[[dict[str, str]], tuple[str, ...]] = lambda a: ()  # reasons that depend on the answers


def _sector(a: dict[str, str]) -> bool:
    return a["erkenning"] != "geen"


# Read top to bottom: the first row that applies decides.
DECISIONS: tuple[Branch, ...] = (
    Branch(
        lambda a: a["privaat"] == "ja",
        "ov_private_deelname",
        ("Private partners kunnen alleen meedoen in een opdrachthoudende vereniging met private deelname.",),
        "opdrachthoudende_vereniging",
        ("Zonder de private partners volstaat een gewone opdrachthoudende vereniging.",),
    ),
    Branch(
        lambda a: a["partners"] == "ocmw",
        "welzijnsvereniging",
        (
            "De partners zijn vooral OCMW's: een welzijnsvereniging is de publiekrechtelijke vorm voor samenwerking "
            "in welzijn en zorg.",
        ),
        "dienstverlenende_vereniging",
        ("Werken ook gemeenten mee aan een dienst, dan kan een dienstverlenende vereniging.",),
    ),
    Branch(
        lambda a: a["overdracht"] == "ja" or a["doel"] == "taak",
        "opdrachthoudende_vereniging",
        (),
        "dienstverlenende_vereniging",
        (
            "Blijven de gemeenten zelf bevoegd en gaat het om ondersteuning, dan volstaat een dienstverlenende "
            "vereniging.",
        ),
        lambda a: (
            (
                ("De gemeenten dragen de taak over: dat kan alleen in een opdrachthoudende vereniging.",)
                if a["overdracht"] == "ja"
                else (
                    "Een gemeentelijke taak helemaal samen uitvoeren vraagt dat de gemeenten ze overdragen: dat kan "
                    "alleen in een opdrachthoudende vereniging.",
                )
            )
            + (
                ("Ze wordt opgericht voor hoogstens 18 jaar; een kortere samenwerking kan ook.",)
                if a["duur"] == "kort"
                else ()
            )
        ),
    ),
    Branch(
        lambda a: a["middelen"] == "nee" and not _sector(a) and a["doel"] == "overleg",
        "overleg",
        ("Voor afstemming zonder eigen middelen volstaat een overeenkomst of overleg.",),
        "interlokale_vereniging",
        ("Wil je het overleg een vaste vorm en een beherende gemeente geven, dan kan een interlokale vereniging.",),
    ),
    Branch(
        lambda a: a["middelen"] == "nee" and not _sector(a),
        "interlokale_vereniging",
        (
            "Zonder eigen personeel of eigendom is geen rechtspersoonlijkheid nodig: een interlokale vereniging "
            "(een overeenkomst) volstaat.",
        ),
        "projectvereniging",
        (
            "Groeit het uit tot een project met eigen middelen, dan is een projectvereniging de lichtste vorm met "
            "rechtspersoonlijkheid.",
        ),
    ),
    Branch(
        lambda a: (
            a["doel"] == "project"
            or (a["doel"] == "overleg" and a["duur"] == "kort")
            or (_sector(a) and a["doel"] != "dienst")
        ),
        "projectvereniging",
        ("De projectvereniging is de lichtste vorm met rechtspersoonlijkheid, met alleen een raad van bestuur.",),
        "dienstverlenende_vereniging",
        ("Groeit het project uit tot een blijvende dienst, dan past een dienstverlenende vereniging (tot 18 jaar).",),
        lambda a: (
            (
                ("Een afgebakend project met eigen middelen: daarvoor is rechtspersoonlijkheid nodig.",)
                if a["middelen"] == "ja"
                else ()
            )
            + (
                (
                    "Ook zonder eigen personeel of eigendom: een sectorerkenning vraagt een samenwerking met "
                    "rechtspersoonlijkheid.",
                )
                if a["middelen"] == "nee" and _sector(a)
                else ()
            )
            + (
                ("Sectorale erkenningen (cultuur, erfgoed) gaan vaak naar een projectvereniging.",)
                if _sector(a)
                else ()
            )
            + (
                ("Ze loopt zes jaar en kan telkens met zes jaar verlengd worden: zo kan ze langer bestaan.",)
                if a["duur"] == "lang"
                else ()
            )
        ),
    ),
    Branch(
        lambda a: True,
        "dienstverlenende_vereniging",
        ("Een blijvende gemeenschappelijke dienst: een dienstverlenende vereniging, voor hoogstens 18 jaar.",),
        "projectvereniging",
        (
            "Volstaat een samenwerking van zes jaar (telkens verlengbaar), dan is een projectvereniging lichter "
            "(alleen een raad van bestuur).",
        ),
        lambda a: (
            ("Met eigen personeel, contracten of eigendom is rechtspersoonlijkheid nodig.",)
            if a["middelen"] == "ja"
            else (
                ("Een sectorerkenning vraagt rechtspersoonlijkheid, ook zonder eigen personeel of eigendom.",)
                if _sector(a)
                else ()
            )
        ),
    ),
)


@dataclass(frozen=True)
class Conflict:
    """Two answers that do not fit together; the user is asked which one holds."""

    message: str
    choices: tuple[tuple[str, str, str], ...]  # (question id, value, what choosing it means)


def conflicts(a: Mapping[str, str]) -> list[Conflict]:
    out = []
    if a.get("doel") == "taak" and a.get("overdracht") == "nee":
        out.append(
            Conflict(
                "U wilt een taak helemaal samen uitvoeren, maar de gemeenten blijven zelf bevoegd.",
                (
                    ("overdracht", "ja", "De gemeenten dragen de taak over"),
                    ("doel", "dienst", "Het gaat om een gemeenschappelijke dienst"),
                ),
            )
        )
    if a.get("overdracht") == "ja" and a.get("middelen") == "nee":
        out.append(
            Conflict(
                "De gemeenten dragen de taak over, maar de samenwerking krijgt geen eigen mensen of middelen: wie "
                "voert de taak dan uit?",
                (
                    ("middelen", "ja", "De samenwerking krijgt eigen middelen"),
                    ("overdracht", "nee", "De gemeenten blijven zelf bevoegd"),
                ),
            )
        )
    if a.get("doel") == "overleg" and a.get("middelen") == "ja":
        out.append(
            Conflict(
                "U wilt alleen afstemmen, maar wel eigen personeel, contracten of eigendom.",
                (
                    ("middelen", "nee", "Geen eigen middelen: het blijft overleg"),
                    ("doel", "project", "Het wordt een afgebakend project"),
                ),
            )
        )
    if a.get("privaat") == "ja" and a.get("partners") == "ocmw":
        out.append(
            Conflict(
                "Private partners en vooral OCMW's: een welzijnsvereniging laat geen private partners toe, een "
                "opdrachthoudende vereniging met private deelname is er voor gemeenten.",
                (
                    ("privaat", "nee", "Alleen publieke partners"),
                    ("partners", "gemeenten", "Vooral gemeenten"),
                ),
            )
        )
    return out


def recommend(answers: Mapping[str, str]) -> Recommendation:
    a = validate(answers)
    branch = next(b for b in DECISIONS if b.applies(a))
    notes = (SECTOR_NOTE,) if _sector(a) else ()
    return Recommendation(
        Choice(branch.best, branch.best_reasons + branch.extra(a)),
        Choice(branch.runner_up, branch.runner_up_reasons),
        notes,
    )


# What a recommendation shows of the chosen form: criteria of the comparison (legal/texts.py).
CONSEQUENCES = ("rechtspersoonlijkheid", "organen", "duur", "uittreding", "personeel")
