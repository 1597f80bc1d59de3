"""A letter's dates as each official language writes them in UN documents.

"12 January 2017", "12 janvier 2017" ("1er février 2017"), "12 de enero de 2017",
"12 января 2017 года", "2017年1月12日" and "12 كانون الثاني/يناير 2017": Western digits in
every language, as the UN's Arabic and Chinese documents print them. The month names are
written out here rather than taken from the locale's catalogs, so that a letter's date never
depends on a translation being filled in (sources: docs/languages.md, "Fonts and scripts").
"""

MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
    # The genitive, as after a day: "12 января".
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"),
    # The Syriac (Levantine) name, a slash, then the name from the Latin (Egyptian usage).
    "ar": ("كانون الثاني/يناير", "شباط/فبراير", "آذار/مارس", "نيسان/أبريل", "أيار/مايو",
           "حزيران/يونيه", "تموز/يوليه", "آب/أغسطس", "أيلول/سبتمبر",
           "تشرين الأول/أكتوبر", "تشرين الثاني/نوفمبر", "كانون الأول/ديسمبر"),
}
LANGUAGES = (*MONTHS, "zh-hans")


def letter_date(date, language):
    """`date` as the letters of `language` write it; English for a language not listed."""
    language = (language or "en").lower()
    if language.startswith("zh"):
        return f"{date.year}年{date.month}月{date.day}日"
    months = MONTHS.get(language, MONTHS["en"])
    month = months[date.month - 1]
    if language == "fr":
        day = "1er" if date.day == 1 else str(date.day)
        return f"{day} {month} {date.year}"
    if language == "es":
        return f"{date.day} de {month} de {date.year}"
    if language == "ru":
        return f"{date.day} {month} {date.year} года"
    return f"{date.day} {month} {date.year}"
