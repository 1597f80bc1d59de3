"""The message a schedule notice sends (built once per language and run)."""


class NoticeContent:
    """Built by the notices' own module (to be written with the notice pages)."""

    @classmethod
    def for_notice(cls, notice, language):
        raise NotImplementedError
