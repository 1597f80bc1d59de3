"""French: "6 février 2017", "lundi 6 février 2017", "10:00"."""

WEEKDAY_DATE_FORMAT = "l j F Y"
