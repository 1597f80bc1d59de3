"""The fields 0003 filled in are required from now on; a change's kind is one of the known."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ign_sessions", "0003_meetingchange_history")]

    operations = [
        migrations.AlterField(
            model_name="meetingchange", name="kind",
            field=models.CharField(max_length=12, verbose_name="kind of change", choices=[
                ("scheduled", "Scheduled"), ("moved", "Moved"), ("postponed", "Postponed"),
                ("cancelled", "Cancelled"), ("rescheduled", "Rescheduled"),
                ("held", "Marked as held")]),
        ),
        migrations.AlterField(
            model_name="meetingchange", name="number",
            field=models.PositiveSmallIntegerField(verbose_name="number in the session"),
        ),
        migrations.AlterField(
            model_name="meetingchange", name="title",
            field=models.CharField(max_length=300, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="meetingchange", name="starts_at",
            field=models.DateTimeField(verbose_name="starts"),
        ),
        migrations.AlterField(
            model_name="meetingchange", name="ends_at",
            field=models.DateTimeField(verbose_name="ends"),
        ),
        migrations.AlterField(
            model_name="meetingchange", name="room",
            field=models.CharField(max_length=120, verbose_name="room"),
        ),
        migrations.AlterField(
            model_name="meetingchange", name="overflow_room",
            field=models.CharField(blank=True, max_length=120, verbose_name="overflow room"),
        ),
        migrations.AlterField(
            model_name="meetingchange", name="status",
            field=models.CharField(max_length=10, verbose_name="status", choices=[
                ("scheduled", "Scheduled"), ("postponed", "Postponed"),
                ("cancelled", "Cancelled"), ("held", "Held")]),
        ),
        migrations.AddConstraint(
            model_name="meetingchange",
            constraint=models.CheckConstraint(
                condition=models.Q(kind__in=["scheduled", "moved", "postponed", "cancelled",
                                             "rescheduled", "held"]),
                name="meetingchange_kind_known"),
        ),
        migrations.AddConstraint(
            model_name="meetingchange",
            constraint=models.CheckConstraint(
                condition=models.Q(kind="scheduled", revision=0)
                | (~models.Q(kind="scheduled") & models.Q(revision__gte=1)),
                name="meetingchange_scheduled_is_revision_0"),
        ),
    ]
