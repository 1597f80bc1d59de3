"""English: "6 February 2017", "Monday, 6 February 2017", "10:00"."""

DATE_FORMAT = "j F Y"
WEEKDAY_DATE_FORMAT = "l, j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
