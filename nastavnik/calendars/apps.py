from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "nastavnik.calendars"
    verbose_name = "Календари (iCal)"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from nastavnik.mentoring.extensions import item_links, my_page_panels

        from . import receivers
        from .models import CalendarFeed

        auditlog.register(CalendarFeed, exclude_fields=["token"])
        my_page_panels.connect(receivers.feed_panel, dispatch_uid="calendars_feed_panel")
        item_links.connect(receivers.ics_links, dispatch_uid="calendars_ics_links")
