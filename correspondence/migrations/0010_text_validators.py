"""Single-line and multi-line validators on the text fields: no change in the database."""

import common.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('correspondence', '0005_distribution_follow_up'),
    ]

    operations = [
        migrations.AlterField(
            model_name='delivery',
            name='claimed_by',
            field=models.CharField(blank=True, max_length=120, validators=[common.validators.validate_single_line], verbose_name='claimed by'),
        ),
        migrations.AlterField(
            model_name='delivery',
            name='error',
            field=models.TextField(blank=True, validators=[common.validators.validate_multi_line], verbose_name='error'),
        ),
        migrations.AlterField(
            model_name='delivery',
            name='message_id',
            field=models.CharField(max_length=250, validators=[common.validators.validate_single_line], verbose_name='Message-ID'),
        ),
        migrations.AlterField(
            model_name='delivery',
            name='recipients',
            field=models.TextField(blank=True, help_text='The addresses of the last attempt, separated by “; ”.', validators=[common.validators.validate_multi_line], verbose_name='sent to'),
        ),
        migrations.AlterField(
            model_name='enclosure',
            name='title',
            field=models.CharField(blank=True, max_length=300, validators=[common.validators.validate_single_line], verbose_name='title'),
        ),
        migrations.AlterField(
            model_name='followup',
            name='task_id',
            field=models.CharField(blank=True, max_length=64, validators=[common.validators.validate_single_line], verbose_name='task'),
        ),
        migrations.AlterField(
            model_name='letter',
            name='addressee',
            field=models.TextField(help_text='Exactly as printed, e.g. “To All Permanent Representatives to the United Nations” and “New York” on the next line.', validators=[common.validators.validate_multi_line], verbose_name='addressee block'),
        ),
        migrations.AlterField(
            model_name='letter',
            name='body',
            field=models.TextField(blank=True, help_text='Markdown: blank lines between paragraphs; *emphasis*, **bold**, lists.', validators=[common.validators.validate_multi_line], verbose_name='body'),
        ),
        migrations.AlterField(
            model_name='letter',
            name='complimentary_close',
            field=models.CharField(default='Please accept, Excellency, the assurances of my highest consideration.', max_length=300, validators=[common.validators.validate_single_line], verbose_name='complimentary close'),
        ),
        migrations.AlterField(
            model_name='letter',
            name='place',
            field=models.CharField(blank=True, max_length=100, validators=[common.validators.validate_single_line], verbose_name='place'),
        ),
        migrations.AlterField(
            model_name='letter',
            name='reference',
            field=models.CharField(blank=True, max_length=80, validators=[common.validators.validate_single_line], verbose_name='reference or symbol'),
        ),
        migrations.AlterField(
            model_name='letter',
            name='salutation',
            field=models.CharField(default='Excellency,', max_length=100, validators=[common.validators.validate_single_line], verbose_name='salutation'),
        ),
        migrations.AlterField(
            model_name='letter',
            name='slug',
            field=models.SlugField(help_text="The letter's address on the portal: /letters/<slug>/.", max_length=120, unique=True, validators=[common.validators.validate_single_line], verbose_name='slug'),
        ),
        migrations.AlterField(
            model_name='letter',
            name='subject',
            field=models.CharField(help_text='A short line for listings, e.g. “Letter dated 12 January 2017 on the resumption of the intergovernmental negotiations”.', max_length=300, validators=[common.validators.validate_single_line], verbose_name='subject'),
        ),
        migrations.AlterField(
            model_name='letter',
            name='verification_code',
            field=models.CharField(blank=True, editable=False, max_length=20, null=True, unique=True, validators=[common.validators.validate_single_line], verbose_name='verification code'),
        ),
        migrations.AlterField(
            model_name='letterhead',
            name='heading',
            field=models.TextField(help_text='The heading exactly as printed, one line per line.', validators=[common.validators.validate_multi_line], verbose_name='letterhead'),
        ),
        migrations.AlterField(
            model_name='letterhead',
            name='name',
            field=models.CharField(help_text='E.g. “The President of the General Assembly”.', max_length=200, unique=True, validators=[common.validators.validate_single_line], verbose_name='office'),
        ),
        migrations.AlterField(
            model_name='letterhead',
            name='place',
            field=models.CharField(default='New York', max_length=100, validators=[common.validators.validate_single_line], verbose_name='place'),
        ),
        migrations.AlterField(
            model_name='signatory',
            name='block',
            field=models.TextField(help_text='Name, title and role as printed on this letter, one line per line.', validators=[common.validators.validate_multi_line], verbose_name='signature block'),
        ),
        migrations.AlterField(
            model_name='storedfile',
            name='sha256',
            field=models.CharField(max_length=64, primary_key=True, serialize=False, validators=[common.validators.validate_single_line], verbose_name='SHA-256'),
        ),
    ]
