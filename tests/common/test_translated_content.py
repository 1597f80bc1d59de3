"""Content in six languages: each page shows the content in its language, else the English
marked as English; the admin edits the six side by side; histories and the seed keep all six."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from clusters.models import Cluster
from correspondence.models import Letterhead
from sessions.models import Meeting, Room, Session
from tests.factories import make_meeting, meeting_form_data, text_of


@pytest.fixture(autouse=True)
def english_urls():
    """reverse() gives the URL of the language active in this thread: English here, whatever
    page an earlier test asked for."""
    with translation.override("en"):
        yield

LANGUAGES = ("en", "ar", "zh_hans", "fr", "ru", "es")


def render_translated(obj, field, language):
    with translation.override(language):
        return Template('{% load ign %}{{ obj|translated:"' + field + '" }}').render(
            Context({"obj": obj}))


# --- The filter -------------------------------------------------------------------------

def test_translated_gives_the_current_languages_value():
    room = Room(name_en="Trusteeship Council Chamber", name_fr="Salle du Conseil de tutelle",
                name_zh_hans="托管理事会会议厅")

    assert render_translated(room, "name", "fr") == "Salle du Conseil de tutelle"
    assert render_translated(room, "name", "zh-hans") == "托管理事会会议厅"
    assert render_translated(room, "name", "en") == "Trusteeship Council Chamber"


def test_translated_falls_back_to_english_marked_as_english():
    room = Room(name_en="Conference Room 4", name_fr="", name_ru=None)

    assert render_translated(room, "name", "fr") == '<span lang="en">Conference Room 4</span>'
    assert render_translated(room, "name", "ru") == '<span lang="en">Conference Room 4</span>'
    # On a right-to-left page the English also reads left to right.
    assert render_translated(room, "name", "ar") == (
        '<span lang="en" dir="ltr">Conference Room 4</span>')


def test_translated_escapes_both_the_translation_and_the_fallback():
    room = Room(name_en="<b>Room</b> & co", name_fr="<i>Salle</i>")

    assert render_translated(room, "name", "fr") == "&lt;i&gt;Salle&lt;/i&gt;"
    assert render_translated(room, "name", "es") == (
        '<span lang="en">&lt;b&gt;Room&lt;/b&gt; &amp; co</span>')


def test_translated_of_nothing_is_empty():
    assert render_translated(None, "name", "fr") == ""
    assert render_translated(Room(name_en=""), "name", "fr") == ""


# --- Pages ------------------------------------------------------------------------------

@pytest.mark.parametrize(("prefix", "title"), [
    ("", "Seventy-first session of the General Assembly"),
    ("/fr", "Soixante et onzième session"),
    ("/es", "Septuagésimo primer período de sesiones"),
    ("/ru", "Семьдесят первая сессия"),
    ("/zh-hans", "第七十一届会议"),
    ("/ar", "الدورة الحادية والسبعون"),
])
def test_session_page_shows_the_sessions_title_in_its_language(client, seeded, prefix, title):
    text = text_of(client.get(f"{prefix}/sessions/71/"))

    assert title in text


@pytest.mark.parametrize(("prefix", "expected"), [
    ("/fr", "Catégories de membres"), ("/ru", "Категории членства"),
    ("/zh-hans", "成员类别"), ("/ar", "فئات العضوية"), ("/es", "Categorías de miembros"),
])
def test_cluster_page_shows_the_clusters_title_in_its_language(client, seeded, prefix, expected):
    cluster = Cluster.objects.get(number=1)

    response = client.get(f"{prefix}/clusters/{cluster.slug}/")

    assert response.status_code == 200
    assert expected in text_of(response)


def test_meeting_page_shows_the_title_and_room_in_its_language(client, seeded):
    meeting = seeded.meetings.get(number=1)

    text = text_of(client.get(f"/fr/meetings/{meeting.pk}/"))

    assert "Séance plénière informelle consacrée aux négociations intergouvernementales" in text
    assert "Salle du Conseil de tutelle" in text


def test_missing_translation_shows_the_english_marked_as_english(client, seeded):
    Session.objects.filter(number=71).update(title_fr="", title_ar=None)

    french, arabic = client.get("/fr/").text, client.get("/ar/").text

    assert '<span lang="en">seventy-first session</span>' in french
    assert '<span lang="en" dir="ltr">seventy-first session</span>' in arabic
    assert "الدورة الحادية والسبعون" not in arabic


# --- Admin ------------------------------------------------------------------------------

def inputs(html, name):
    """The attributes of the form control called `name` (input or textarea)."""
    match = re.search(rf'<(?:input|textarea)\b[^>]*\bname="{name}"[^>]*>', html)
    assert match, name
    return dict(re.findall(r'(\w+)="([^"]*)"', match.group(0)))


def test_meeting_change_form_has_the_six_languages_with_their_lang_and_dir(admin_client, seeded):
    meeting = seeded.meetings.get(number=1)

    html = admin_client.get(reverse("admin:ign_sessions_meeting_change", args=[meeting.pk])).text

    for field in ("title", "agenda", "status_reason"):
        for column, lang, direction in [
            (f"{field}_en", "en", "ltr"), (f"{field}_ar", "ar", "rtl"),
            (f"{field}_zh_hans", "zh-hans", "ltr"), (f"{field}_fr", "fr", "ltr"),
            (f"{field}_ru", "ru", "ltr"), (f"{field}_es", "es", "ltr"),
        ]:
            attrs = inputs(html, column)
            assert (attrs["lang"], attrs["dir"]) == (lang, direction), column
        # The original column is not edited: it is neither English nor any other language.
        assert f'name="{field}"' not in html
    # The six titles sit in one row, side by side.
    row = re.search(r'<div class="form-row[^"]*field-title_en[^"]*', html).group(0)
    assert all(f"field-title_{language}" in row for language in LANGUAGES)


@pytest.mark.parametrize("url_name", [
    "admin:ign_sessions_session_change", "admin:ign_sessions_room_change",
    "admin:clusters_cluster_change", "admin:correspondence_letterhead_change",
])
def test_every_translated_admin_form_shows_six_languages(admin_client, seeded, url_name):
    model = {"session": Session, "room": Room, "cluster": Cluster,
             "letterhead": Letterhead}[url_name.split("_")[-2]]
    if model is Letterhead:
        from portal.seed import load_ign71

        load_ign71()
    obj = model.objects.first()

    html = admin_client.get(reverse(url_name, args=[obj.pk])).text

    field = {Session: "title", Room: "name", Cluster: "title", Letterhead: "heading"}[model]
    assert [inputs(html, f"{field}_{language}")["lang"] for language in LANGUAGES] == [
        "en", "ar", "zh-hans", "fr", "ru", "es"]
    assert inputs(html, f"{field}_ar")["dir"] == "rtl"


def test_each_languages_title_is_a_single_line(admin_client, seeded):
    meeting = seeded.meetings.get(number=1)
    before = Meeting.objects.values().get(pk=meeting.pk)

    response = admin_client.post(
        reverse("admin:ign_sessions_meeting_change", args=[meeting.pk]),
        meeting_form_data(meeting, title_fr="Séance\nplénière"))

    assert response.status_code == 200
    assert "errorlist" in response.text
    assert Meeting.objects.values().get(pk=meeting.pk) == before


def test_english_title_is_required_the_others_are_not(admin_client, seeded):
    meeting = seeded.meetings.get(number=1)
    url = reverse("admin:ign_sessions_meeting_change", args=[meeting.pk])

    refused = admin_client.post(url, meeting_form_data(meeting, title_en=""))
    accepted = admin_client.post(url, meeting_form_data(meeting, title_ru=""))

    assert refused.status_code == 200 and "errorlist" in refused.text
    assert accepted.status_code == 302
    meeting.refresh_from_db()
    assert not meeting.title_ru and meeting.title_en


def test_new_meeting_form_starts_with_the_journals_title_in_each_language(admin_client, seeded):
    html = admin_client.get(reverse("admin:ign_sessions_meeting_add")).text

    assert inputs(html, "title_fr")["value"].startswith("Séance plénière informelle")
    assert inputs(html, "title_zh_hans")["value"].endswith("非正式全体会议")


def test_admin_search_finds_a_meeting_by_its_title_in_any_language(admin_client, seeded):
    url = reverse("admin:ign_sessions_meeting_changelist")

    by_russian = admin_client.get(url, {"q": "Неофициальное пленарное"})
    by_nothing = admin_client.get(url, {"q": "Nowhere in any language"})

    assert "IGN meeting 1," in by_russian.text and "IGN meeting 2," in by_russian.text
    assert "IGN meeting 1," not in by_nothing.text


def test_room_list_is_ordered_in_the_admins_language(admin_client, seeded):
    english = admin_client.get("/admin/ign_sessions/room/").text
    french = admin_client.get("/fr/admin/ign_sessions/room/").text

    assert english.index("Conference Room 1") < english.index("Trusteeship Council Chamber")
    assert french.index("Salle de conférence 1") < french.index("Salle du Conseil de tutelle")


# --- History ----------------------------------------------------------------------------

def test_history_records_every_language(admin_client, seeded):
    meeting = seeded.meetings.get(number=1)
    versions = meeting.history.count()

    response = admin_client.post(
        reverse("admin:ign_sessions_meeting_change", args=[meeting.pk]),
        meeting_form_data(meeting, agenda_fr="Observations générales, révisées."))

    assert response.status_code == 302
    assert meeting.history.count() == versions + 1
    latest = meeting.history.first()
    assert latest.agenda_fr == "Observations générales, révisées."
    assert latest.title_ar == meeting.title_ar
    page = admin_client.get(reverse("admin:ign_sessions_meeting_history", args=[meeting.pk]))
    assert page.status_code == 200


def test_session_and_letterhead_histories_are_recorded(seeded):
    from portal.seed import load_ign71

    load_ign71()
    session = Session.objects.get(number=71)
    letterhead = Letterhead.objects.get(name_en="The President of the General Assembly")
    session_versions, letterhead_versions = session.history.count(), letterhead.history.count()

    session.title_ru = "семьдесят первая сессия Генеральной Ассамблеи"
    session.save()
    letterhead.heading_es = "EL PRESIDENTE\nDE LA ASAMBLEA GENERAL"
    letterhead.save()

    assert session.history.count() == session_versions + 1
    assert session.history.first().title_ru == "семьдесят первая сессия Генеральной Ассамблеи"
    assert letterhead.history.count() == letterhead_versions + 1
    assert letterhead.history.first().heading_es == "EL PRESIDENTE\nDE LA ASAMBLEA GENERAL"
    # Two records with the same name: the history keeps nothing unique.
    letterhead.save()
    assert letterhead.history.count() == letterhead_versions + 2


# --- The seed ---------------------------------------------------------------------------

def all_six(obj, *fields):
    return {f"{field}_{language}": bool(getattr(obj, f"{field}_{language}"))
            for field in fields for language in LANGUAGES}


def test_seed_has_the_71st_session_in_all_six_languages(seeded):
    from portal.seed import load_ign71

    load_ign71()
    session = Session.objects.get(number=71)
    items = [(session, ("title",)), (session.mandate, ("title",))]
    items += [(cluster, ("title", "description")) for cluster in Cluster.objects.all()]
    items += [(meeting, ("title", "agenda")) for meeting in session.meetings.all()]
    items += [(meeting.room, ("name", "building")) for meeting in session.meetings.all()]
    items += [(change, ("title", "room")) for change in
              session.meetings.get(number=1).changes.all()]
    items += [(letterhead, ("name", "heading")) for letterhead in Letterhead.objects.all()]

    missing = [(str(obj), column) for obj, fields in items
               for column, present in all_six(obj, *fields).items() if not present]

    assert Cluster.objects.count() == 5 and session.meetings.count() == 2
    assert Letterhead.objects.count() == 2
    assert missing == []
    assert session.title_fr == "soixante et onzième session"
    assert Letterhead.objects.get(name_en="The President of the General Assembly").heading_fr \
        == "LE PRÉSIDENT\nDE L’ASSEMBLÉE\nGÉNÉRALE"


def test_seed_again_keeps_the_secretariats_edits(seeded):
    from portal.seed import load_ign71

    Cluster.objects.filter(number=2).update(title_es="Cuestión del veto", description_ru="")

    load_ign71()

    cluster = Cluster.objects.get(number=2)
    assert cluster.title_es == "Cuestión del veto"  # kept
    assert cluster.description_ru.startswith("Сохраняется ли право вето")  # filled in


def test_str_of_a_session_is_its_title_in_the_current_language(seeded):
    session = Session.objects.get(number=71)

    with translation.override("en"):
        english = str(session)
    with translation.override("fr"):
        french = str(session)
    with translation.override("ar"):
        arabic = str(session)

    assert (english, french, arabic) == (
        "seventy-first session", "soixante et onzième session", "الدورة الحادية والسبعون")


def test_meeting_made_without_a_title_has_the_journals_in_each_language(db):
    meeting = make_meeting()

    assert meeting.title_en.startswith("Informal meeting of the plenary")
    assert meeting.title_es.startswith("Sesión plenaria oficiosa")
    assert all(all_six(meeting, "title").values())


def test_historical_records_keep_no_translated_column_unique():
    """A history repeats values: its translated name columns are indexed, never unique, in
    the model and in what migrations are made from."""
    historical = Letterhead.history.model

    for language in LANGUAGES:
        field = historical._meta.get_field(f"name_{language}")
        kwargs = field.deconstruct()[3]
        assert (field.unique, kwargs.get("unique", False), kwargs.get("db_index")) == (
            False, False, True), language
