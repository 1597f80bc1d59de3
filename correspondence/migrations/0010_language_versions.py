"""Letters in language versions: every row is one language version of a letter.

- `version_of` links a version to its original-language version (null on the original).
- The slug is unique per language, no longer globally: a letter's versions share it (and its
  symbol), `/fr/letters/<slug>/` being the French version.
- Corr.N is numbered per symbol: one number per (corrected letter, number, language), so a
  Corr.1 may exist in French only, or in several languages.
- The triggers of 0009 are made again: `version_of_id` is locked like every other column,
  and a letter may become superseded only while an issued correction of its chain *in its
  own language* comes after it (a French-only Corr.1 supersedes the French version alone).
"""

import importlib

import common.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

snapshots = importlib.import_module("correspondence.migrations.0009_issued_letters_are_snapshots")

# Every column of correspondence_letter but status and updated_at, as of this migration.
LOCKED_COLUMNS = snapshots.LOCKED_COLUMNS + ["version_of_id"]
# issued -> superseded only when an issued correction of the chain, in the letter's language,
# comes after it. The chain's first letter: what a correction corrects, else the original of
# a language version, else the letter itself.
STATUS_MOVE = (
    "NOT (NEW.status = OLD.status OR (OLD.status = 'issued' AND NEW.status = 'superseded' "
    "AND EXISTS (SELECT 1 FROM correspondence_letter AS later "
    "WHERE later.corrects_id = COALESCE(OLD.corrects_id, OLD.version_of_id, OLD.id) "
    "AND later.language = OLD.language AND later.status = 'issued' "
    "AND later.correction_number > COALESCE(OLD.correction_number, 0))))"
)


def triggers_now():
    return {
        "sqlite": lambda: snapshots.sqlite_forward(LOCKED_COLUMNS, STATUS_MOVE),
        "postgresql": lambda: snapshots.postgresql_forward(LOCKED_COLUMNS, STATUS_MOVE),
    }


def triggers_of_0009():
    return {"sqlite": snapshots.sqlite_forward, "postgresql": snapshots.postgresql_forward}


def triggers_dropped():
    return {"sqlite": snapshots.sqlite_backward, "postgresql": snapshots.postgresql_backward}


class Migration(migrations.Migration):

    dependencies = [
        ('clusters', '0002_text_validators'),
        ('correspondence', '0009_issued_letters_are_snapshots'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The triggers name the columns that change here: dropped first, made again last.
        migrations.RunPython(snapshots.run(triggers_dropped()), snapshots.run(triggers_of_0009())),
        migrations.RemoveConstraint(
            model_name='letter',
            name='letter_correction_number_unique',
        ),
        migrations.AddField(
            model_name='letter',
            name='version_of',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='translations', to='correspondence.letter', verbose_name='language version of'),
        ),
        migrations.AlterField(
            model_name='letter',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('ar', 'Arabic'), ('zh-hans', 'Chinese'), ('fr', 'French'), ('ru', 'Russian'), ('es', 'Spanish')], default='en', max_length=10, verbose_name='language'),
        ),
        migrations.AlterField(
            model_name='letter',
            name='slug',
            field=models.SlugField(help_text="The letter's address on the portal: /letters/<slug>/ (its language versions share it, under /fr/letters/<slug>/ and so on).", max_length=120, validators=[common.validators.validate_single_line], verbose_name='slug'),
        ),
        migrations.AddConstraint(
            model_name='letter',
            constraint=models.UniqueConstraint(fields=('corrects', 'correction_number', 'language'), name='letter_correction_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='letter',
            constraint=models.CheckConstraint(condition=models.Q(('language__in', ['en', 'ar', 'zh-hans', 'fr', 'ru', 'es'])), name='letter_language_known', violation_error_message="The letter's language is not an official language."),
        ),
        migrations.AddConstraint(
            model_name='letter',
            constraint=models.UniqueConstraint(fields=('slug', 'language'), name='letter_slug_unique_per_language', violation_error_message='This address is already taken in this language.'),
        ),
        migrations.AddConstraint(
            model_name='letter',
            constraint=models.UniqueConstraint(condition=models.Q(('version_of__isnull', False)), fields=('version_of', 'language'), name='letter_one_version_per_language', violation_error_message='This letter already has a version in this language.'),
        ),
        migrations.RunPython(snapshots.run(triggers_now()), snapshots.run(triggers_dropped())),
    ]
