"""Narrowing a search by section and publication date: the search page's filters (?section=,
?from=, ?to=), checked like a form. A bad value answers 400 with the reason, as typed."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Dates outside these make no sense for a story, and far ones overflow the time zone arithmetic.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
DATE_FORMAT = "%Y-%m-%d"  # what <input type="date"> sends


def check_day(day):
    if not FIRST_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(_("Enter a date between 1900 and 2999."), code="out_of_range")


class SearchFilters(forms.Form):
    section = forms.ChoiceField(label=_("Section"), required=False)

    def __init__(self, data, sections):
        super().__init__(data)
        self.fields["section"].choices = [("", _("All sections")), *((s.slug, s.name) for s in sections)]
        self.fields["section"].error_messages["invalid_choice"] = _("There is no such section.")
        for name, label in (("from", _("From")), ("to", _("To"))):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                input_formats=[DATE_FORMAT],
                validators=[check_day],
                error_messages={"invalid": _("Enter a date as YYYY-MM-DD, e.g. 2024-05-31.")},
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first day comes after the last day."), code="order")
        return data

    @property
    def used(self):
        """Whether any filter narrows the search."""
        return self.is_valid() and any(self.cleaned_data.values())

    def narrow(self, stories):
        """`stories` in the chosen section, published within the chosen days (the site's time zone,
        both days included)."""
        data = self.cleaned_data
        if data["section"]:
            stories = stories.filter(section__slug=data["section"])
        if data["from"]:
            stories = stories.filter(published_at__gte=_start_of(data["from"]))
        if data["to"]:
            stories = stories.filter(published_at__lt=_start_of(data["to"] + timedelta(days=1)))
        return stories


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))
