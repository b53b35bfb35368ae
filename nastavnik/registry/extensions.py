"""Extension point of the person's card for the apps above the registry.

The card belongs to the registry, but a mentor's training, admission, awards or cases are kept by
apps higher up the map, which the registry may not import. Such an app connects a receiver to
`person_card_panels` in its `AppConfig.ready()` and returns a `CardPanel`: the card loads the
panel's URL by HTMX. The receiver returns nothing when the user may not open that URL, so a panel
(and its link) appears only where it can be opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

from .models import Person

# kwargs: user, person (Person) → a CardPanel, a list of them, or None.
person_card_panels = Signal()


@dataclass(frozen=True)
class CardPanel:
    key: str
    title: str
    url: str
    order: int = 100


def collect_card_panels(user: Any, person: Person) -> list[CardPanel]:
    panels: list[CardPanel] = []
    responses: list[tuple[Any, Any]] = person_card_panels.send(sender=Person, user=user, person=person)
    for _receiver, result in responses:
        if isinstance(result, CardPanel):
            panels.append(result)
        elif result:
            panels.extend(result)
    return sorted(panels, key=lambda p: (p.order, p.title))
