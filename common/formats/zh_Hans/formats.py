"""Chinese: "2017年2月6日", "2017年2月6日星期一", "10:00"."""

WEEKDAY_DATE_FORMAT = "Y年n月j日l"
