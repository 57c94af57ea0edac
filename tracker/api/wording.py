"""Django's own Swedish for messages that DRF's catalogue words differently.

Installed apps' catalogues outrank Django's, so with rest_framework installed every form
would say DRF's "Det här fältet är obligatoriskt." Our catalogue (LOCALE_PATHS) outranks
both: listing the messages here puts them in it, with Django's wording, so the forms read
as they did. This module is only read by makemessages.
"""

from django.utils.translation import gettext_noop

PINNED = (
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("The submitted file is empty."),
    gettext_noop(
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ),
)
