"""The reference data every installation needs, and the 71st session from the seed letters.

Every loader here is idempotent: it creates what is missing and never overwrites what the
Secretariat has since edited, so running it again changes nothing.
"""

import csv
import datetime as dt
from pathlib import Path

from django.db import transaction

from clusters.models import Cluster
from common.timezones import NEW_YORK

from .models import (
    DEFAULT_TITLES,
    CoChairAppointment,
    GADocument,
    Mission,
    MissionAddress,
    Person,
    Room,
    Session,
    State,
)
from .services import meeting_schedule

DATA_DIR = Path(__file__).resolve().parent / "data"

# Content in the six languages, keyed by the translated columns' suffixes. The clusters'
# titles are the five key issues of General Assembly decision 62/557 as its language versions
# and the Secretariat's pages name them; docs/languages.md ("Official terms") gives the source
# of each term, and says which texts are the portal's own translations (the descriptions,
# the agenda).
LANGUAGES = ("en", "ar", "zh_hans", "fr", "ru", "es")

CLUSTERS = [
    (1, "categories-of-membership", {
        "en": "Categories of membership", "fr": "Catégories de membres",
        "es": "Categorías de miembros", "ru": "Категории членства",
        "zh_hans": "成员类别", "ar": "فئات العضوية"}, {
        "en": "Whether an enlarged Council adds permanent members, non-permanent members, "
              "or both, and any intermediate category.",
        "fr": "Si un Conseil élargi compte de nouveaux membres permanents, de nouveaux membres "
              "non permanents, ou les deux, et toute catégorie intermédiaire.",
        "es": "Si un Consejo ampliado incorpora miembros permanentes, miembros no permanentes, "
              "o ambos, y cualquier categoría intermedia.",
        "ru": "Будут ли в расширенном Совете новые постоянные члены, новые непостоянные члены "
              "или и те и другие, а также какая-либо промежуточная категория.",
        "zh_hans": "扩大后的安理会是增加常任理事国、非常任理事国还是两者兼有，以及任何中间类别。",
        "ar": "ما إذا كان المجلس الموسع سيضم أعضاء دائمين أو أعضاء غير دائمين أو كليهما، "
              "وأي فئة وسيطة."}),
    (2, "question-of-the-veto", {
        "en": "The question of the veto", "fr": "La question du veto",
        "es": "La cuestión del veto", "ru": "Вопрос о вето",
        "zh_hans": "否决权问题", "ar": "مسألة حق النقض"}, {
        "en": "Whether the veto is kept, limited, extended to new permanent members or abolished.",
        "fr": "Si le veto est maintenu, limité, étendu aux nouveaux membres permanents ou aboli.",
        "es": "Si el veto se mantiene, se limita, se extiende a los nuevos miembros permanentes "
              "o se suprime.",
        "ru": "Сохраняется ли право вето, ограничивается, распространяется на новых постоянных "
              "членов или отменяется.",
        "zh_hans": "否决权是保留、限制、扩大到新常任理事国还是废除。",
        "ar": "ما إذا كان حق النقض سيُبقى عليه أو يُقيَّد أو يُمدَّد إلى الأعضاء الدائمين الجدد "
              "أو يُلغى."}),
    (3, "regional-representation", {
        "en": "Regional representation", "fr": "Représentation régionale",
        "es": "Representación regional", "ru": "Региональное представительство",
        "zh_hans": "区域代表性", "ar": "التمثيل الإقليمي"}, {
        "en": "How seats in an enlarged Council are shared among the regional groups.",
        "fr": "La répartition des sièges d’un Conseil élargi entre les groupes régionaux.",
        "es": "Cómo se reparten los puestos de un Consejo ampliado entre los grupos regionales.",
        "ru": "Как места в расширенном Совете распределяются между региональными группами.",
        "zh_hans": "扩大后安理会的席位如何在各区域集团之间分配。",
        "ar": "كيفية توزيع المقاعد في المجلس الموسع بين المجموعات الإقليمية."}),
    (4, "size-and-working-methods", {
        "en": "Size of an enlarged Council and working methods of the Council",
        "fr": "Taille d’un Conseil élargi et méthodes de travail du Conseil",
        "es": "Tamaño de un Consejo ampliado y métodos de trabajo del Consejo",
        "ru": "Численность расширенного Совета и методы работы Совета",
        "zh_hans": "扩大后安理会的规模和安理会工作方法",
        "ar": "حجم مجلس الأمن الموسع وأساليب عمل المجلس"}, {
        "en": "How many members an enlarged Council has, and how the Council does its work.",
        "fr": "Le nombre de membres d’un Conseil élargi et la façon dont le Conseil travaille.",
        "es": "Cuántos miembros tiene un Consejo ampliado y cómo realiza el Consejo su labor.",
        "ru": "Сколько членов будет в расширенном Совете и как Совет организует свою работу.",
        "zh_hans": "扩大后的安理会有多少成员，以及安理会如何开展工作。",
        "ar": "عدد أعضاء المجلس الموسع، والطريقة التي يؤدي بها المجلس عمله."}),
    (5, "relationship-with-the-general-assembly", {
        "en": "The relationship between the Council and the General Assembly",
        "fr": "Relations entre le Conseil et l’Assemblée générale",
        "es": "La relación entre el Consejo y la Asamblea General",
        "ru": "Взаимоотношения между Советом и Генеральной Ассамблеей",
        "zh_hans": "安理会与大会的关系",
        "ar": "العلاقة بين المجلس والجمعية العامة"}, {
        "en": "How the Council reports to and works with the General Assembly.",
        "fr": "La façon dont le Conseil rend compte à l’Assemblée générale et travaille avec elle.",
        "es": "Cómo el Consejo informa a la Asamblea General y colabora con ella.",
        "ru": "Как Совет отчитывается перед Генеральной Ассамблеей и взаимодействует с ней.",
        "zh_hans": "安理会如何向大会提出报告并与大会合作。",
        "ar": "كيفية تقديم المجلس تقاريره إلى الجمعية العامة وعمله معها."}),
]

CONFERENCE_BUILDING = {
    "en": "Conference Building", "fr": "Bâtiment des conférences",
    "es": "Edificio de Conferencias", "ru": "Конференционный корпус",
    "zh_hans": "会议楼", "ar": "مبنى المؤتمرات"}
GA_BUILDING = {
    "en": "General Assembly Building", "fr": "Bâtiment de l’Assemblée générale",
    "es": "Edificio de la Asamblea General", "ru": "Здание Генеральной Ассамблеи",
    "zh_hans": "大会大楼", "ar": "مبنى الجمعية العامة"}


def _conference_room(number):
    return {"en": f"Conference Room {number}", "fr": f"Salle de conférence {number}",
            "es": f"Sala de conferencias {number}", "ru": f"Зал заседаний {number}",
            "zh_hans": f"第{number}会议室", "ar": f"غرفة الاجتماعات {number}"}


ROOMS = [
    ({"en": "Trusteeship Council Chamber", "fr": "Salle du Conseil de tutelle",
      "es": "Salón del Consejo de Administración Fiduciaria", "ru": "Зал Совета по Опеке",
      "zh_hans": "托管理事会会议厅", "ar": "قاعة مجلس الوصاية"}, CONFERENCE_BUILDING),
    ({"en": "General Assembly Hall", "fr": "Salle de l’Assemblée générale",
      "es": "Salón de la Asamblea General", "ru": "Зал Генеральной Ассамблеи",
      "zh_hans": "大会堂", "ar": "قاعة الجمعية العامة"}, GA_BUILDING),
    ({"en": "Economic and Social Council Chamber",
      "fr": "Salle du Conseil économique et social",
      "es": "Salón del Consejo Económico y Social",
      "ru": "Зал Экономического и Социального Совета",
      "zh_hans": "经济及社会理事会会议厅", "ar": "قاعة المجلس الاقتصادي والاجتماعي"},
     CONFERENCE_BUILDING),
    ({"en": "Security Council Chamber", "fr": "Salle du Conseil de sécurité",
      "es": "Salón del Consejo de Seguridad", "ru": "Зал Совета Безопасности",
      "zh_hans": "安全理事会会议厅", "ar": "قاعة مجلس الأمن"}, CONFERENCE_BUILDING),
    *[(_conference_room(number), CONFERENCE_BUILDING) for number in (1, 2, 3, 4)],
]

SESSION_71_TITLE = {
    "en": "seventy-first session", "fr": "soixante et onzième session",
    "es": "septuagésimo primer período de sesiones", "ru": "семьдесят первая сессия",
    "zh_hans": "第七十一届会议", "ar": "الدورة الحادية والسبعون"}

# The title of decision 70/559: the agenda item's (A/71/251, item 122).
MANDATE_TITLE = {
    "en": "Question of equitable representation on and increase in the membership of the "
          "Security Council and other matters related to the Security Council",
    "fr": "Question de la représentation équitable au Conseil de sécurité et de l’augmentation "
          "du nombre de ses membres et questions connexes ayant trait au Conseil de sécurité",
    "es": "Cuestión de la representación equitativa en el Consejo de Seguridad y del aumento "
          "del número de sus miembros y otros asuntos relacionados con el Consejo de Seguridad",
    "ru": "Вопрос о справедливом представительстве в Совете Безопасности и расширении его "
          "членского состава и связанные с этим вопросы",
    "zh_hans": "安全理事会席位公平分配和成员增加问题及与安全理事会有关的其他事项",
    "ar": "مسألة التمثيل العادل في مجلس الأمن وزيادة عدد أعضائه والمسائل الأخرى المتصلة "
          "بمجلس الأمن",
}

FIRST_MEETINGS_AGENDA = {
    "en": "General comments on how delegations see the IGN process moving forward, including "
          "on the five key clusters: (i) categories of membership, (ii) the question of the "
          "veto, (iii) regional representation, (iv) size of an enlarged Council and working "
          "methods, and (v) relationship between the Council and the General Assembly.",
    "fr": "Observations générales sur la manière dont les délégations envisagent la suite des "
          "négociations intergouvernementales, notamment sur les cinq questions clefs : "
          "i) catégories de membres, ii) question du veto, iii) représentation régionale, "
          "iv) taille d’un Conseil élargi et méthodes de travail, et v) relations entre le "
          "Conseil et l’Assemblée générale.",
    "es": "Observaciones generales sobre cómo ven las delegaciones el avance de las "
          "negociaciones intergubernamentales, incluidas las cinco cuestiones clave: "
          "i) categorías de miembros, ii) la cuestión del veto, iii) representación regional, "
          "iv) tamaño de un Consejo ampliado y métodos de trabajo, y v) relación entre el "
          "Consejo y la Asamblea General.",
    "ru": "Общие замечания о том, как делегации видят дальнейший ход межправительственных "
          "переговоров, в том числе по пяти ключевым вопросам: i) категории членства, "
          "ii) вопрос о вето, iii) региональное представительство, iv) численность "
          "расширенного Совета и методы работы и v) взаимоотношения между Советом и "
          "Генеральной Ассамблеей.",
    "zh_hans": "各代表团对政府间谈判进程今后走向的总体看法，"
               "包括对五个关键问题的看法：（一）成员类别；（二）否决权问题；（三）区域代表性；（四）扩大后安理会的规模和工作方法；"
               "（五）安理会与大会的关系。",
    "ar": "تعليقات عامة على الكيفية التي ترى بها الوفود المضي قدما في عملية المفاوضات الحكومية "
          "الدولية، بما في ذلك بشأن المجموعات الرئيسية الخمس: '1' فئات العضوية، '2' مسألة حق "
          "النقض، '3' التمثيل الإقليمي، '4' حجم مجلس الأمن الموسع وأساليب العمل، '5' العلاقة "
          "بين المجلس والجمعية العامة.",
}


def in_languages(name, values):
    """{"title_en": ..., "title_fr": ...} from {"en": ..., "fr": ...}."""
    return {f"{name}_{language}": values[language] for language in LANGUAGES}


def fill_translations(obj, **fields):
    """Give `obj` the translations it lacks, keeping every value already there (the
    Secretariat's edits win). `fields`: {field name: {language: text}}. Saves the row if it
    changed anything; returns whether it did."""
    missing = {}
    for name, values in fields.items():
        for column, value in in_languages(name, values).items():
            if not getattr(obj, column):
                missing[column] = value
    for column, value in missing.items():
        setattr(obj, column, value)
    if missing:
        obj.save(update_fields=list(missing))
    return bool(missing)


def placeholder_address(state):
    """A distribution address under the reserved .example domain, replaced by the real list."""
    return f"{state.code.lower()}@missions.example"


@transaction.atomic
def load_states():
    """The 193 Member States and two Observer States, their missions and placeholder addresses."""
    with (DATA_DIR / "member_states.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    existing = set(State.objects.values_list("code", flat=True))
    new_states = [
        State(
            code=row["code"], name=row["name"], short_name=row["short_name"], kind=row["kind"],
            regional_group=row["regional_group"],
            admission_date=dt.date.fromisoformat(row["admission_date"])
            if row["admission_date"] else None,
        )
        for row in rows if row["code"] not in existing
    ]
    State.objects.bulk_create(new_states)
    by_code = {s.code: s for s in State.objects.all()}
    with_mission = set(Mission.objects.values_list("state__code", flat=True))
    Mission.objects.bulk_create([
        Mission(state=by_code[row["code"]], name=row["mission_name"])
        for row in rows if row["code"] not in with_mission
    ])
    with_address = set(MissionAddress.objects.values_list("mission_id", flat=True))
    MissionAddress.objects.bulk_create([
        MissionAddress(mission=mission, email=placeholder_address(mission.state))
        for mission in Mission.objects.select_related("state")
        if mission.pk not in with_address
    ])
    return len(new_states)


@transaction.atomic
def load_reference():
    for number, slug, title, description in CLUSTERS:
        cluster, created = Cluster.objects.get_or_create(number=number, defaults={
            "slug": slug, **in_languages("title", title),
            **in_languages("description", description)})
        if not created:
            fill_translations(cluster, title=title, description=description)
    for name, building in ROOMS:
        room, created = Room.objects.get_or_create(name_en=name["en"], defaults={
            **in_languages("name", name), **in_languages("building", building)})
        if not created:
            fill_translations(room, name=name, building=building)
    load_states()


def _person(honorific, given, family, title="", state=None):
    person, _ = Person.objects.get_or_create(
        given_name=given, family_name=family,
        defaults={"honorific": honorific, "title": title, "state": state},
    )
    return person


@transaction.atomic
def load_session_71():
    """The 71st session: its President, Co-Chairs, mandate and first two meetings.

    The meetings are put on the schedule by ``meeting_schedule``, as the Secretariat would,
    so each has its "scheduled" entry in the change log; a meeting already there (perhaps
    moved since) is left alone.
    """
    load_reference()
    romania = State.objects.get(code="ROU")
    tunisia = State.objects.get(code="TUN")
    fiji = State.objects.get(code="FJI")
    mandate, created = GADocument.objects.get_or_create(
        symbol="70/559", defaults={
            "kind": GADocument.Kind.DECISION, "date": dt.date(2016, 7, 27),
            **in_languages("title", MANDATE_TITLE),
        },
    )
    if not created:
        fill_translations(mandate, title=MANDATE_TITLE)
    thomson = _person("H.E. Mr.", "Peter", "Thomson",
                      "President of the seventy-first session of the General Assembly", fiji)
    session, created = Session.objects.get_or_create(number=71, defaults={
        "opens_on": dt.date(2016, 9, 13), "closes_on": dt.date(2017, 9, 11),
        "president": thomson, "mandate": mandate, **in_languages("title", SESSION_71_TITLE),
    })
    if not created:
        fill_translations(session, title=SESSION_71_TITLE)
    jinga = _person("H.E. Mr.", "Ion", "Jinga",
                    "Permanent Representative of Romania to the United Nations", romania)
    khiari = _person("H.E. Mr.", "Mohamed Khaled", "Khiari",
                     "Permanent Representative of Tunisia to the United Nations", tunisia)
    for order, (person, state) in enumerate([(jinga, romania), (khiari, tunisia)], start=1):
        CoChairAppointment.objects.get_or_create(session=session, person=person, defaults={
            "state": state, "appointed_on": dt.date(2016, 10, 26), "order": order,
        })
    chamber = Room.objects.get(name_en="Trusteeship Council Chamber")
    clusters = list(Cluster.objects.all())
    existing = {meeting.number: meeting for meeting in session.meetings.all()}
    for number, day in [(1, 6), (2, 7)]:
        if number not in existing:
            meeting_schedule(
                session=session, number=number,
                starts_at=dt.datetime(2017, 2, day, 10, 0, tzinfo=NEW_YORK),
                ends_at=dt.datetime(2017, 2, day, 13, 0, tzinfo=NEW_YORK),
                room=chamber, clusters=clusters, **in_languages("title", DEFAULT_TITLES),
                **in_languages("agenda", FIRST_MEETINGS_AGENDA),
            )
        else:
            fill_translations(existing[number], title=DEFAULT_TITLES,
                              agenda=FIRST_MEETINGS_AGENDA)
    return session
