"""Single-line and multi-line validators on the text fields (no change in the database), and
PostgreSQL's `unaccent` extension for accent-insensitive search (nothing on SQLite, where the
portal registers its own `unaccent` function on each connection)."""

import common.validators
from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ign_sessions', '0004_meetingchange_history_required'),
    ]

    operations = [
        UnaccentExtension(),
        migrations.AlterField(
            model_name='gadocument',
            name='symbol',
            field=models.CharField(help_text='E.g. 70/559 or A/71/L.1; a corrected text carries its suffix (Corr.1, Rev.1, Add.1).', max_length=60, unique=True, validators=[common.validators.validate_single_line], verbose_name='symbol'),
        ),
        migrations.AlterField(
            model_name='gadocument',
            name='title',
            field=models.CharField(max_length=300, validators=[common.validators.validate_single_line], verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='historicalmeeting',
            name='agenda',
            field=models.TextField(blank=True, validators=[common.validators.validate_multi_line], verbose_name='agenda'),
        ),
        migrations.AlterField(
            model_name='historicalmeeting',
            name='status_reason',
            field=models.CharField(blank=True, max_length=300, validators=[common.validators.validate_single_line], verbose_name='reason for the status'),
        ),
        migrations.AlterField(
            model_name='historicalmeeting',
            name='title',
            field=models.CharField(default='Informal meeting of the plenary on the intergovernmental negotiations on the question of equitable representation on and increase in the membership of the Security Council and other matters related to the Security Council', max_length=300, validators=[common.validators.validate_single_line], verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='agenda',
            field=models.TextField(blank=True, validators=[common.validators.validate_multi_line], verbose_name='agenda'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='status_reason',
            field=models.CharField(blank=True, max_length=300, validators=[common.validators.validate_single_line], verbose_name='reason for the status'),
        ),
        migrations.AlterField(
            model_name='meeting',
            name='title',
            field=models.CharField(default='Informal meeting of the plenary on the intergovernmental negotiations on the question of equitable representation on and increase in the membership of the Security Council and other matters related to the Security Council', max_length=300, validators=[common.validators.validate_single_line], verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='meetingchange',
            name='overflow_room',
            field=models.CharField(blank=True, max_length=120, validators=[common.validators.validate_single_line], verbose_name='overflow room'),
        ),
        migrations.AlterField(
            model_name='meetingchange',
            name='reason',
            field=models.CharField(blank=True, max_length=300, validators=[common.validators.validate_single_line], verbose_name='reason'),
        ),
        migrations.AlterField(
            model_name='meetingchange',
            name='room',
            field=models.CharField(max_length=120, validators=[common.validators.validate_single_line], verbose_name='room'),
        ),
        migrations.AlterField(
            model_name='meetingchange',
            name='title',
            field=models.CharField(max_length=300, validators=[common.validators.validate_single_line], verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='mission',
            name='address',
            field=models.TextField(blank=True, validators=[common.validators.validate_multi_line], verbose_name='postal address'),
        ),
        migrations.AlterField(
            model_name='mission',
            name='name',
            field=models.CharField(max_length=200, unique=True, validators=[common.validators.validate_single_line], verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='missionaddress',
            name='email',
            field=models.EmailField(max_length=254, validators=[common.validators.validate_single_line], verbose_name='e-mail address'),
        ),
        migrations.AlterField(
            model_name='person',
            name='family_name',
            field=models.CharField(max_length=100, validators=[common.validators.validate_single_line], verbose_name='family name'),
        ),
        migrations.AlterField(
            model_name='person',
            name='given_name',
            field=models.CharField(max_length=100, validators=[common.validators.validate_single_line], verbose_name='given name(s)'),
        ),
        migrations.AlterField(
            model_name='person',
            name='honorific',
            field=models.CharField(blank=True, help_text='As usually printed, e.g. “H.E. Mr.”.', max_length=40, validators=[common.validators.validate_single_line], verbose_name='honorific'),
        ),
        migrations.AlterField(
            model_name='person',
            name='title',
            field=models.CharField(blank=True, help_text='E.g. “Permanent Representative of Romania to the United Nations”.', max_length=200, validators=[common.validators.validate_single_line], verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='room',
            name='building',
            field=models.CharField(blank=True, max_length=120, validators=[common.validators.validate_single_line], verbose_name='building'),
        ),
        migrations.AlterField(
            model_name='room',
            name='name',
            field=models.CharField(max_length=120, unique=True, validators=[common.validators.validate_single_line], verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='state',
            name='code',
            field=models.CharField(max_length=3, unique=True, validators=[common.validators.validate_single_line], verbose_name='ISO 3166-1 alpha-3 code'),
        ),
        migrations.AlterField(
            model_name='state',
            name='name',
            field=models.CharField(max_length=120, unique=True, validators=[common.validators.validate_single_line], verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='state',
            name='short_name',
            field=models.CharField(max_length=120, validators=[common.validators.validate_single_line], verbose_name='short name'),
        ),
    ]
