"""Strings of the frameworks we run that their own catalogs leave untranslated in some of the
six official languages, marked here so that they come into ours (locale/) and the admin and
the history pages speak every language fully. Nothing imports this module: `make messages`
reads it.

Sources (their catalogs as installed, checked with `msgfmt --statistics`): Django 6.1
(ar: the task statuses; es: the forms and admin strings below), django-simple-history
(no ru or es catalog), django-tasks-db (no catalog at all).
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Django 6.1: the task result statuses (untranslated in ar).
TASK_STATUSES = [gettext_noop("Ready"), gettext_noop("Running"), gettext_noop("Failed"),
                 gettext_noop("Successful")]

# Django 6.1: forms and admin (untranslated in es).
DJANGO = [
    gettext_noop("- Select an option -"),
    gettext_noop("“%(value)s” is not a valid binary value."),
    gettext_noop("No %s matches the given query."),
    gettext_noop("The app \"%s\" could not be found."),
    gettext_noop("Run"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Logout"),
]
DJANGO_PLURAL = ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.",
                              "count")

# django-simple-history: the history pages (no ru or es catalog).
SIMPLE_HISTORY = [
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("The %(name)s \"%(obj)s\" was changed successfully."),
    gettext_noop("You may edit it again below"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Choose a date from the list below to revert to a previous version of this "
                 "object."),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
]

# django-tasks-db: the task results in the admin (no catalog).
TASKS_DB = [
    gettext_noop("status"), gettext_noop("enqueued at"), gettext_noop("started at"),
    gettext_noop("finished at"), gettext_noop("args kwargs"), gettext_noop("priority"),
    gettext_noop("task path"), gettext_noop("worker id"), gettext_noop("queue name"),
    gettext_noop("backend name"), gettext_noop("run after"), gettext_noop("return value"),
    gettext_noop("exception class path"), gettext_noop("traceback"),
    gettext_noop("Task Result"), gettext_noop("Task Results"),
]
