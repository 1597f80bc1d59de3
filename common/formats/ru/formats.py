"""Russian: "6 февраля 2017 года" (the month in the genitive), "10:00"."""

DATE_FORMAT = "j E Y года"
WEEKDAY_DATE_FORMAT = "l, j E Y года"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y года, H:i"
