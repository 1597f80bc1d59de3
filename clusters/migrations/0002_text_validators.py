"""Single-line and multi-line validators on the text fields: no change in the database."""

import common.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clusters', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='cluster',
            name='description',
            field=models.TextField(blank=True, validators=[common.validators.validate_multi_line], verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='cluster',
            name='slug',
            field=models.SlugField(unique=True, validators=[common.validators.validate_single_line], verbose_name='slug'),
        ),
        migrations.AlterField(
            model_name='cluster',
            name='title',
            field=models.CharField(max_length=200, unique=True, validators=[common.validators.validate_single_line], verbose_name='title'),
        ),
    ]
