"""A letter's page links the meetings and clusters it announces, in the page's language."""

import pytest

from tests.factories import make_issued_letter, text_of

pytestmark = pytest.mark.django_db


def test_letter_page_links_its_meetings_and_clusters(client, letters_71):
    cover, _earlier, _draft = letters_71
    first, second = cover.meetings.order_by("number")

    response = client.get(cover.get_absolute_url())

    html, text = response.content.decode(), text_of(response)
    assert response.status_code == 200
    assert f'<a href="/meetings/{first.pk}/">IGN meeting {first.number}</a>' in html
    assert f'<a href="/meetings/{second.pk}/">IGN meeting {second.number}</a>' in html
    assert (f"Meetings announced IGN meeting {first.number} · Monday, 6 February 2017, "
            f"10:00 New York time (EST) IGN meeting {second.number} · Tuesday, 7 February 2017"
            in text)
    assert '<a href="/clusters/question-of-the-veto/">Cluster 2: The question of the veto</a>' \
        in html
    assert text.count("Clusters Cluster 1: Categories of membership Cluster 2:") == 1


def test_letter_page_links_in_the_page_language(client, letters_71):
    cover, _earlier, _draft = letters_71
    first = cover.meetings.order_by("number").first()

    response = client.get(f"/fr/letters/{cover.slug}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/fr/meetings/{first.pk}/"' in html
    text = text_of(response)
    assert (f"Séances annoncées Séance {first.number} des négociations intergouvernementales · "
            "lundi 6 février 2017" in text)
    assert 'href="/fr/clusters/question-of-the-veto/"' in html
    assert "La question du veto" in html


def test_letter_without_meetings_or_clusters_lists_none(client, letters_71):
    _cover, earlier, _draft = letters_71

    html = client.get(earlier.get_absolute_url()).content.decode()

    assert "<dt>Meetings announced</dt>" not in html
    assert "<dt>Clusters</dt>" not in html


def test_letter_page_queries_do_not_grow_with_its_meetings(
    client, seeded, django_assert_max_num_queries
):
    meetings = list(seeded.meetings.all())
    few = make_issued_letter(session=seeded, slug="few", meetings=meetings[:1])
    many = make_issued_letter(session=seeded, slug="many", meetings=meetings)
    with django_assert_max_num_queries(30) as few_queries:
        client.get(few.get_absolute_url())

    with django_assert_max_num_queries(len(few_queries)):
        response = client.get(many.get_absolute_url())

    assert response.status_code == 200
    assert len(meetings) > 1
