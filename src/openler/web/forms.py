"""Plain-language, translated error messages for form fields, keyed by error code."""

from __future__ import annotations

from openler.web.i18n import N_, gettext

FIELD_LABELS = {
    "name": N_("Full name"),
    "email": N_("Email address"),
    "password": N_("Password"),
    "account_kind": N_("Type of account"),
    "organization_name": N_("Organization name"),
    "organization_kind": N_("Type of organization"),
    "language": N_("Language"),
    "current_password": N_("Current password"),
    "new_password": N_("New password"),
    "confirm_password": N_("Confirm new password"),
    "role": N_("Role"),
    "label": N_("Passkey name"),
}

PROBLEMS = {
    "required": N_("this is empty. Fill it in."),
    "required_choice": N_("nothing is chosen. Choose one option."),
    "invalid_email": N_("enter an email address like name@example.com."),
    "too_short": N_("use at least 10 characters."),
    "too_long": N_("this is too long. Use fewer characters."),
    "taken": N_("an account already uses this email. Sign in instead."),
    "mismatch": N_("this does not match the new password."),
    "wrong_password": N_("this is not your current password."),
    "unknown_choice": N_("choose one of the options shown."),
    "no_account": N_("nobody has an account with this email yet."),
    "already_member": N_("this person is already a member."),
    "invalid_characters": N_("this has characters we cannot accept. Remove them."),
    "wrong_credentials": N_("the email address or password is not right."),
}

CHOICE_FIELDS = {"account_kind", "organization_kind", "language", "role"}


def messages(errors: dict[str, str]) -> dict[str, str]:
    """Turn field -> code into field -> a sentence that names the field."""
    out: dict[str, str] = {}
    for field, code in errors.items():
        if code == "required" and field in CHOICE_FIELDS:
            code = "required_choice"
        label = gettext(FIELD_LABELS.get(field, field))
        problem = gettext(PROBLEMS.get(code, PROBLEMS["unknown_choice"]))
        out[field] = gettext("%(field)s: %(problem)s") % {"field": label, "problem": problem}
    return out


KIND_LABELS = {
    "issuer": N_("Issuer (college, training provider, licensing board)"),
    "employer": N_("Employer"),
    "school": N_("School"),
}
ROLE_LABELS = {
    "owner": N_("Owner"),
    "issuer_staff": N_("Issuing staff"),
    "verifier_staff": N_("Checking staff"),
}


def kind_label(kind: str) -> str:
    """The translated name of an organization kind."""
    return gettext(KIND_LABELS.get(kind, kind))


def role_label(role: str) -> str:
    """The translated name of a member's role."""
    return gettext(ROLE_LABELS.get(role, role))
