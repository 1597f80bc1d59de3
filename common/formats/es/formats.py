"""Spanish: "6 de febrero de 2017", "lunes, 6 de febrero de 2017", "10:00"."""

WEEKDAY_DATE_FORMAT = r"l, j \d\e F \d\e Y"
