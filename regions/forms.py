"""The signed-in user's own settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class AccountForm(forms.ModelForm):
    """Language and the weekly digest; written to the user, where the model's help texts
    are written for the administration."""

    class Meta:
        model = User
        fields = ["language", "weekly_digest"]
        widgets = {"language": forms.RadioSelect}
        labels = {
            "language": _("Language"),
            "weekly_digest": _("Send me the weekly digest"),
        }
        help_texts = {
            "language": _("For the pages and for the e-mails the tracker sends you."),
            "weekly_digest": _(
                "A weekly e-mail listing everything overdue in your region. Only auditors "
                "and the audit office receive it. Reminders of your own deadlines are "
                "always sent and cannot be turned off."
            ),
        }
