"""Forms for staff sign-in (password, one-time code, enrolment, password reset) and for
administrators managing their organisation's staff in the back office."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.forms.boundfield import BoundField
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from samvirke.accounts.errors import AccountsErrorCode
from samvirke.accounts.models import Role, User, UserKind
from samvirke.notifications.services import notification_send
from samvirke.organisations.models import Organisation, Unit


class DesignsystemetBoundField(BoundField):
    """Renders inputs with Designsystemet's class, and points `aria-describedby` at both
    the help text and the error message (ids made by `accounts/staff/_field.html`)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if not widget.is_hidden:
            attrs["class"] = " ".join(filter(None, [attrs.get("class"), "ds-input"]))
            described_by = []
            if self.help_text and self.auto_id:
                described_by.append(f"{self.auto_id}_helptext")
            if self.errors and self.auto_id:
                described_by.append(f"{self.auto_id}_error")
            if described_by:
                attrs["aria-describedby"] = " ".join(described_by)
        return attrs


class SignInFormMixin:
    """Forms on the public sign-in pages: Designsystemet markup, no browser validation
    bubbles (the page shows an error summary instead)."""

    bound_field_class = DesignsystemetBoundField
    use_required_attribute = False


class StaffLoginForm(SignInFormMixin, forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OneTimeCodeForm(SignInFormMixin, forms.Form):
    """The six-digit code from the authenticator app (a backup code works too)."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Open the authenticator app on your phone and type the six digits it shows."),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class StaffPasswordResetForm(SignInFormMixin, PasswordResetForm):
    """Django's reset form, limited to staff: citizens sign in with eID and have no
    password to reset."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.kind == UserKind.STAFF)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Through the notification channel, like every other e-mail: queued with the
        request's transaction, retried if the mail server is down."""
        notification_send(
            to=to_email,
            subject=render_to_string(subject_template_name, context),
            body=render_to_string(email_template_name, context),
            purpose="accounts.password_reset",
            reference=str(context["user"].pk),
        )


class StaffSetPasswordForm(SignInFormMixin, SetPasswordForm):
    pass


STAFF_ROLE_CHOICES = [(role.value, role.label) for role in Role]


class _OrganisationStaffForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The units the person works in."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=STAFF_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Administrators and regional coordinators must sign in with a second factor."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        units = self.fields["units"]
        units.queryset = Unit.objects.filter(organisation=organisation).order_by("name")
        # all in one organisation: the plain name, without a query per unit for its organisation
        units.label_from_instance = lambda unit: unit.name


class StaffUserCreateForm(_OrganisationStaffForm):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Letters, digits and . _ - only, e.g. firstname.lastname."),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("A link to choose a password is sent to this address."),
    )
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)

    field_order = ["username", "full_name", "email", "title", "units", "roles"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("That user name is taken."), code=AccountsErrorCode.USERNAME_TAKEN
            )
        return username


class StaffUserEditForm(_OrganisationStaffForm):
    def __init__(self, *args, actor, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.user = user

    def clean_roles(self) -> list[str]:
        roles = self.cleaned_data["roles"]
        if self.user.pk == self.actor.pk and Role.ADMINISTRATOR.value not in roles:
            raise forms.ValidationError(
                _("You cannot remove your own administrator role; ask another administrator."),
                code=AccountsErrorCode.OWN_ADMINISTRATOR_ROLE,
            )
        return roles
