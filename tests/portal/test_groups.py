"""The Secretariat's two groups: editors edit, publishers also issue and distribute."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def member_of(group_name):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(group_name.split()[-1], is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def test_editors_edit_everything_but_cannot_issue_or_distribute():
    call_command("create_groups", verbosity=0)

    editor = member_of("Secretariat editors")

    assert editor.has_perm("ign_sessions.change_meeting")
    assert editor.has_perm("correspondence.change_letter")
    assert editor.has_perm("clusters.change_cluster")
    assert not editor.has_perm("correspondence.issue_letter")
    assert not editor.has_perm("correspondence.distribute_letter")


def test_publishers_can_also_issue_and_distribute():
    call_command("create_groups", verbosity=0)
    call_command("create_groups", verbosity=0)  # running it again is harmless

    publisher = member_of("Secretariat publishers")

    assert publisher.has_perm("ign_sessions.change_meeting")
    assert publisher.has_perm("correspondence.issue_letter")
    assert publisher.has_perm("correspondence.distribute_letter")
    assert not publisher.has_perm("auth.change_user")
