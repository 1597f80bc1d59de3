"""Arabic: "6 فبراير 2017", "الاثنين، 6 فبراير 2017" (the Arabic comma), "10:00"."""

DATE_FORMAT = "j F Y"
WEEKDAY_DATE_FORMAT = "l، j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
