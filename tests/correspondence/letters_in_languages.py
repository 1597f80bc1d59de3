"""The Co-Chairs' letter of 9 January 2017 in Arabic and in Chinese, as a UN translator
would write it, for the tests and the benchmark of PDFs in every script.

The bodies are in data/letter-2017-01-09-co-chairs.<language>.md; the English original is
the seed's (correspondence/data/letter-2017-01-09-co-chairs.md).
"""

import datetime as dt
from pathlib import Path

from correspondence.seed import CO_CHAIRS

DATA = Path(__file__).parent / "data"

VERSIONS = {
    "ar": {
        "heading": "البعثة الدائمة لتونس لدى الأمم المتحدة",
        "subject": "رسالة مؤرخة 9 كانون الثاني/يناير 2017 من الرئيسين المشاركين بشأن استئناف "
                   "المفاوضات الحكومية الدولية",
        "addressee": "البعثات الدائمة للدول الأعضاء لدى الأمم المتحدة\n**نيويورك**",
        "salutation": "صاحب السعادة،",
        "complimentary_close": "وتفضلوا، صاحب السعادة، بقبول فائق الاحترام.",
        "signatories": [
            "سعادة الدكتور أيون جينغا\nالممثل الدائم لرومانيا\n"
            "الرئيس المشارك للمفاوضات الحكومية الدولية، الدورة الحادية والسبعون",
            "سعادة السيد محمد خالد خياري\nالممثل الدائم لتونس\n"
            "الرئيس المشارك للمفاوضات الحكومية الدولية، الدورة الحادية والسبعون",
        ],
    },
    "zh-hans": {
        "heading": "突尼斯常驻联合国代表团",
        "subject": "共同主席2017年1月9日关于恢复政府间谈判的信",
        "addressee": "各会员国常驻联合国代表团\n**纽约**",
        "salutation": "阁下：",
        "complimentary_close": "顺致最崇高的敬意。",
        "signatories": [
            "扬·金加博士阁下\n罗马尼亚常驻代表\n政府间谈判第七十一届会议共同主席",
            "穆罕默德·哈立德·希亚里先生阁下\n突尼斯常驻代表\n政府间谈判第七十一届会议共同主席",
        ],
    },
    "en": {
        "heading": "PERMANENT MISSION OF TUNISIA TO THE UNITED NATIONS",
        "subject": CO_CHAIRS["subject"],
        "addressee": CO_CHAIRS["addressee"],
        "salutation": "Excellency,",
        "complimentary_close": CO_CHAIRS["complimentary_close"],
        "signatories": [block for _name, block in CO_CHAIRS["signatories"]],
    },
}


def body(language):
    if language == "en":
        return CO_CHAIRS["body"]
    return (DATA / f"letter-2017-01-09-co-chairs.{language}.md").read_text(encoding="utf-8")


def make_co_chairs_letter(language, **overrides):
    """A draft of the Co-Chairs' letter in `language` (its own letterhead, two signatures)."""
    from correspondence.models import Letter, Letterhead, Signatory
    from tests.factories import make_person, make_session

    version = VERSIONS[language]
    letterhead = Letterhead.objects.create(name=f"Permanent Mission of Tunisia ({language})",
                                           heading=version["heading"])
    fields = {
        "session": make_session(), "letterhead": letterhead, "language": language,
        "slug": f"co-chairs-2017-01-09-{language}", "date": dt.date(2017, 1, 9),
        "place": "New York", "subject": version["subject"], "addressee": version["addressee"],
        "salutation": version["salutation"], "body": body(language),
        "complimentary_close": version["complimentary_close"],
    }
    fields.update(overrides)
    letter = Letter.objects.create(**fields)
    for position, block in enumerate(version["signatories"], start=1):
        Signatory.objects.create(letter=letter, position=position, person=make_person(),
                                 block=block)
    return letter
