"""What the household form's 特困 fieldset needs (templates/investigator/_tekun_fields.html)."""

from jiuzhu_console.domain.tekun_form import SELF_CARE_ITEMS, SUPPORT_MODES

TEKUN_FORM = {"tekun_items": list(SELF_CARE_ITEMS.items()), "tekun_modes": list(SUPPORT_MODES.items())}
