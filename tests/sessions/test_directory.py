"""The mission directory as CSV: export, all-or-nothing import, in the admin and as commands."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from sessions.directory import DirectoryImportError, directory_export, directory_import
from sessions.models import Mission, MissionAddress

HEADER = "state_code,mission_name,address,emails\n"


@pytest.fixture
def missions(db):
    from sessions.seed import load_reference

    load_reference()


def emails_of(code):
    return sorted(MissionAddress.objects.filter(mission__state__code=code)
                  .values_list("email", flat=True))


def snapshot():
    return (list(Mission.objects.order_by("pk").values_list("pk", "name", "address")),
            list(MissionAddress.objects.order_by("pk").values_list("mission_id", "email")))


def test_export_lists_every_mission_with_its_addresses(missions):
    MissionAddress.objects.create(mission=Mission.objects.get(state__code="ROU"),
                                  email="registry@romania.example")

    rows = list(csv.DictReader(io.StringIO(directory_export())))

    assert len(rows) == 195
    romania = next(r for r in rows if r["state_code"] == "ROU")
    assert romania["mission_name"] == "Permanent Mission of Romania to the United Nations"
    assert romania["emails"] == "registry@romania.example; rou@missions.example"


def test_export_then_import_changes_nothing(missions):
    before = snapshot()

    summary = directory_import(data=directory_export().encode())

    assert summary.missions == 195 and (summary.added, summary.removed) == (0, 0)
    assert snapshot() == before


def test_export_escapes_every_column_and_survives_an_import(missions):
    romania = Mission.objects.get(state__code="ROU")
    # A carriage return in a cell (a postal address may hold one; a name may not).
    romania.address = "=HYPERLINK(\"http://evil.example\")\rNew York"
    romania.save()
    romania.addresses.all().delete()
    MissionAddress.objects.create(mission=romania, email="-registry@romania.example")
    MissionAddress.objects.create(mission=romania, email="=cmd@romania.example")
    before = snapshot()

    text = directory_export()
    summary = directory_import(data=text.encode())

    [row] = [r for r in csv.reader(io.StringIO(text, newline="")) if r[0] == "ROU"]
    assert row[1:] == [romania.name, "'=HYPERLINK(\"http://evil.example\")\rNew York",
                       "'-registry@romania.example; =cmd@romania.example", "en"]
    assert (summary.added, summary.removed) == (0, 0)
    assert snapshot() == before


def test_import_sets_each_rows_mission_exactly(missions):
    data = HEADER + (
        'ROU,Permanent Mission of Romania to the United Nations,"573-577 Third Avenue\n'
        'New York, NY 10016",registry@romania.example; Chancery@Romania.example\n'
        "TUN,Permanent Mission of Tunisia to the United Nations,,\n"
    )

    summary = directory_import(data=data.encode())

    assert (summary.missions, summary.added, summary.removed) == (2, 2, 2)
    assert summary.without_address == ["TUN"]
    assert emails_of("ROU") == ["Chancery@Romania.example", "registry@romania.example"]
    assert emails_of("TUN") == []
    assert Mission.objects.get(state__code="ROU").address.endswith("New York, NY 10016")
    assert emails_of("FRA") == ["fra@missions.example"]  # not in the file: unchanged


def test_bad_file_reports_every_bad_row_by_line_and_imports_nothing(missions):
    before = snapshot()
    data = HEADER + (
        "ROU,Permanent Mission of Romania to the United Nations,,registry@romania.example\n"
        "XXX,Permanent Mission of Nowhere,,a@nowhere.example\n"
        "FRA,Permanent Mission of France to the United Nations,,not-an-address; ok@fr.example\n"
        "ROU,Permanent Mission of Romania to the United Nations,,other@romania.example\n"
        "DEU,Permanent Mission of Spain to the United Nations,,de@de.example\n"
    )

    with pytest.raises(DirectoryImportError) as bad:
        directory_import(data=data.encode())

    assert [str(e) for e in bad.value.errors] == [
        "line 3: unknown State code “XXX”",
        "line 4: malformed address “not-an-address”",
        "line 5: duplicate of line 2 (same State); duplicate of line 2 (same mission name)",
        "line 6: the name “Permanent Mission of Spain to the United Nations” belongs to "
        "the mission of ESP",
    ]
    assert snapshot() == before


@pytest.mark.parametrize(("data", "message"), [
    (b"code,name\nROU,x\n", "line 1: The header must be: "
     "state_code,mission_name,address,emails,preferred_language."),
    (b"\xff\xfe\x00bad", "line 0: The file is not UTF-8 text."),
    (HEADER.encode(), "line 0: The file has no rows."),
    ((HEADER + "ROU,Mission,,a@b.example,extra\n").encode(), "line 2: expected 4 columns."),
    ((HEADER + "ROU," + "M" * 201 + ",,a@b.example\n").encode(),
     "line 2: the mission name is longer than 200 characters"),
    ((HEADER + 'ROU,"' + "x" * 140_000 + '",,a@b.example\n').encode(),
     "line 2: The file is not readable CSV: field larger than field limit (131072)."),
])
def test_malformed_files_are_refused_with_one_clear_error(missions, data, message):
    with pytest.raises(DirectoryImportError) as bad:
        directory_import(data=data)

    assert [str(e) for e in bad.value.errors] == [message]


def test_line_breaks_in_a_name_and_control_characters_in_an_address_are_refused(missions):
    before = snapshot()
    data = HEADER + (
        'ROU,"Permanent Mission\r\nof Romania","573 Third Avenue\nNew York",r@ro.example\n'
        'FRA,Permanent Mission of France,"245 East\x0b47th Street",f@fr.example\n'
        'TUN,Permanent Mission of Tunisia,"31 Beekman Place\r\nNew York\tNY",t@tn.example\n'
    )

    with pytest.raises(DirectoryImportError) as bad:
        directory_import(data=data.encode())

    assert [str(e) for e in bad.value.errors] == [
        "line 2: the mission name: This must be one line of text, without line breaks or "
        "control characters (found: line feed (U+000A), carriage return (U+000D)).",
        "line 5: the postal address: This text contains control characters that cannot be "
        "printed (found: U+000B).",
    ]
    assert snapshot() == before


def test_commands_export_and_import(missions, tmp_path, capsys):
    path = tmp_path / "missions.csv"
    call_command("export_missions", "-o", str(path))
    text = path.read_text(encoding="utf-8").replace(
        "rou@missions.example", "new@romania.example")
    path.write_text(text, encoding="utf-8")

    call_command("import_missions", str(path))

    assert "Imported 195 missions (0 new): 1 addresses added, 1 removed." in capsys.readouterr().out
    assert emails_of("ROU") == ["new@romania.example"]


def test_import_command_lists_bad_rows_and_fails(missions, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "XXX,Nowhere,,x@y.example\nROU,Romania,,bad@\n", encoding="utf-8")

    with pytest.raises(CommandError, match="2 bad rows: nothing was imported."):
        call_command("import_missions", str(path))

    assert capsys.readouterr().err.splitlines() == [
        "line 2: unknown State code “XXX”", "line 3: malformed address “bad@”"]


def test_admin_import_shows_bad_rows_then_imports_a_good_file(admin_client, missions):
    url = reverse("admin:ign_sessions_mission_import")
    bad = SimpleUploadedFile("m.csv", (HEADER + "XXX,Nowhere,,x@y.example\n").encode())
    good = SimpleUploadedFile("m.csv", (
        HEADER + "ROU,Permanent Mission of Romania to the United Nations,,r@ro.example\n"
    ).encode())

    refused = admin_client.post(url, {"file": bad})
    imported = admin_client.post(url, {"file": good}, follow=True)

    assert refused.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", refused.content.decode()).split())
    assert "1 bad row: nothing was imported." in text
    assert "line 2: unknown State code “XXX”" in text
    assert "Imported 1 missions (0 new): 1 addresses added, 1 removed" in imported.content.decode()
    assert emails_of("ROU") == ["r@ro.example"]


def test_admin_export_all_and_selected(admin_client, missions):
    changelist = reverse("admin:ign_sessions_mission_changelist")
    everything = admin_client.get(reverse("admin:ign_sessions_mission_export"))
    romania = Mission.objects.get(state__code="ROU")

    selected = admin_client.post(changelist, {
        "action": "export_selected", "_selected_action": [romania.pk]})

    assert len(list(csv.DictReader(io.StringIO(everything.content.decode())))) == 195
    assert selected["Content-Type"] == "text/csv; charset=utf-8"
    [row] = csv.DictReader(io.StringIO(selected.content.decode()))
    assert row["state_code"] == "ROU"
    page = admin_client.get(changelist)
    assert reverse("admin:ign_sessions_mission_import") in page.content.decode()


LANGUAGE_HEADER = "state_code,mission_name,address,emails,preferred_language\n"


def test_the_preferred_language_is_exported_and_imported(missions):
    Mission.objects.filter(state__code="FRA").update(preferred_language="fr")
    text = directory_export()
    rows = {r["state_code"]: r for r in csv.DictReader(io.StringIO(text))}

    data = LANGUAGE_HEADER + (
        "ROU,Permanent Mission of Romania,,r@ro.example,es\n"
        "TUN,Permanent Mission of Tunisia,,t@tn.example,\n")
    directory_import(data=data.encode())

    assert (rows["FRA"]["preferred_language"], rows["ROU"]["preferred_language"]) == ("fr", "en")
    assert dict(Mission.objects.filter(state__code__in=["ROU", "TUN", "FRA"]).values_list(
        "state__code", "preferred_language")) == {"ROU": "es", "TUN": "en", "FRA": "fr"}


def test_a_file_without_the_language_column_keeps_each_missions_language(missions):
    Mission.objects.filter(state__code="FRA").update(preferred_language="fr")

    directory_import(data=(HEADER + "FRA,Permanent Mission of France,,f@fr.example\n").encode())

    assert Mission.objects.get(state__code="FRA").preferred_language == "fr"


def test_an_unknown_preferred_language_is_refused_and_nothing_imported(missions):
    before = snapshot()
    data = LANGUAGE_HEADER + (
        "ROU,Permanent Mission of Romania,,r@ro.example,de\n"
        "FRA,Permanent Mission of France,,f@fr.example,fr\n")

    with pytest.raises(DirectoryImportError) as bad:
        directory_import(data=data.encode())

    assert [str(e) for e in bad.value.errors] == [
        "line 2: unknown preferred language “de” (one of: en, ar, zh-hans, fr, ru, es)"]
    assert snapshot() == before
    assert Mission.objects.get(state__code="FRA").preferred_language == "en"
