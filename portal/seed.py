"""The seed of every app, in the order the floors depend on each other."""

from django.db import transaction

from correspondence.models import Letterhead
from correspondence.seed import load_letters_71
from sessions.seed import fill_translations, load_session_71

# The letterheads of the seed letters in the six languages: the office's name, and the
# heading as printed at the top of that language's letters (docs/languages.md gives the
# sources). Keyed by the English name the letters' seed gives them.
LETTERHEADS = {
    "The President of the General Assembly": (
        {"en": "The President of the General Assembly",
         "fr": "Le Président de l’Assemblée générale",
         "es": "El Presidente de la Asamblea General",
         "ru": "Председатель Генеральной Ассамблеи",
         "zh_hans": "大会主席",
         "ar": "رئيس الجمعية العامة"},
        {"en": "THE PRESIDENT\nOF THE\nGENERAL ASSEMBLY",
         "fr": "LE PRÉSIDENT\nDE L’ASSEMBLÉE\nGÉNÉRALE",
         "es": "EL PRESIDENTE\nDE LA\nASAMBLEA GENERAL",
         "ru": "ПРЕДСЕДАТЕЛЬ\nГЕНЕРАЛЬНОЙ\nАССАМБЛЕИ",
         "zh_hans": "大会主席",
         "ar": "رئيس\nالجمعية العامة"}),
    "Permanent Mission of Tunisia to the United Nations": (
        {"en": "Permanent Mission of Tunisia to the United Nations",
         "fr": "Mission permanente de la Tunisie auprès de l’Organisation des Nations Unies",
         "es": "Misión Permanente de Túnez ante las Naciones Unidas",
         "ru": "Постоянное представительство Туниса при Организации Объединенных Наций",
         "zh_hans": "突尼斯常驻联合国代表团",
         "ar": "البعثة الدائمة لتونس لدى الأمم المتحدة"},
        {"en": "PERMANENT MISSION OF TUNISIA TO THE UNITED NATIONS",
         "fr": "MISSION PERMANENTE DE LA TUNISIE\nAUPRÈS DE L’ORGANISATION DES NATIONS UNIES",
         "es": "MISIÓN PERMANENTE DE TÚNEZ\nANTE LAS NACIONES UNIDAS",
         "ru": "ПОСТОЯННОЕ ПРЕДСТАВИТЕЛЬСТВО ТУНИСА\nПРИ ОРГАНИЗАЦИИ ОБЪЕДИНЕННЫХ НАЦИЙ",
         "zh_hans": "突尼斯常驻联合国代表团",
         "ar": "البعثة الدائمة لتونس لدى الأمم المتحدة"}),
}


def translate_letterheads():
    """Give the seed letters' letterheads the languages they lack (never overwriting one)."""
    for english_name, (name, heading) in LETTERHEADS.items():
        letterhead = Letterhead.objects.filter(name_en=english_name).first()
        if letterhead is not None:
            fill_translations(letterhead, name=name, heading=heading)


@transaction.atomic
def load_ign71():
    """The 71st session (reference data, people, meetings) and its two letters, once, with
    their content in the six languages.

    Idempotent: what exists is kept as the Secretariat left it. Returns the session.
    """
    session = load_session_71()
    load_letters_71(session)
    translate_letterheads()
    return session
