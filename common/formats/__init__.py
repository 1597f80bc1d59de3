"""Dates and times as each official language writes them on the portal's pages.

Django's own locale formats, with what the United Nations writes differently: a 24-hour
clock everywhere ("10:00", never "10:00 AM"), the day before the month in English ("6 February
2017", as UN documents write it), and ``WEEKDAY_DATE_FORMAT``, the day of a meeting with its
weekday ("Monday, 6 February 2017"), which every language here defines. Used through
``django.utils.formats.date_format(value, "DATE_FORMAT")`` and the ``date`` template filter
(``FORMAT_MODULE_PATH`` in the settings); month and weekday names come from Django's catalogs.
"""
