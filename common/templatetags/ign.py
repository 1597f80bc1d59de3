"""Template filters that always show New York time with its zone."""

from django import template

from common import timezones

register = template.Library()
register.filter("ny_date", timezones.ny_date)
register.filter("ny_time", timezones.ny_time)
register.filter("ny_iso", timezones.ny_iso)
