"""The cases app's error codes: what a service of cases (or one of its parts) refuses
with. The values are a contract (the API returns them, clients branch on them): never
change one. See samvirke.core.errors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samvirke.core.errors import ErrorCode, error_codes


@error_codes.register
class CasesErrorCode(ErrorCode):
    # the workflow
    UNKNOWN_STATUS = "unknown_status", _("The status is not one of the case type's workflow.")
    TRANSITION_NOT_ALLOWED = (
        "transition_not_allowed",
        _("The workflow does not allow moving the case to that status from where it is."),
    )
    NO_ROUTE = "no_route", _("No unit is set up to handle the service for the municipality.")
    # handling a case
    CASE_CLOSED = "case_closed", _("The case is closed.")
    NOTE_EMPTY = "note_empty", _("The note is empty.")
    MESSAGE_EMPTY = "message_empty", _("The message is empty.")
    GROUNDS_EMPTY = "grounds_empty", _("The decision's grounds are empty.")
    TOO_LONG = "too_long", _("The text is too long.")
    ASSIGNEE_CANNOT_SEE_CASE = (
        "assignee_cannot_see_case",
        _("The case handler to give the case to cannot see it."),
    )
    CANNOT_PAUSE = (
        "cannot_pause",
        _("In its status the case cannot wait for the applicant."),
    )
    DOCUMENT_FOREIGN = "document_foreign", _("A document belongs to another municipality.")
    OUTCOME_UNKNOWN = "outcome_unknown", _("The decision's outcome is not one of the list.")
    ALREADY_DECIDED = "already_decided", _("The case has a decision already.")
    CANNOT_DECIDE = "cannot_decide", _("In its status the case cannot be decided.")
    CANNOT_CLOSE = "cannot_close", _("In its status the case cannot be closed.")
    DECIDE_INSTEAD = (
        "decide_instead",
        _("A case is decided with a decision and its letter, not by changing its status."),
    )
    # screening (skjerming)
    BASIS_MISSING = "basis_missing", _("No legal basis for the screening is given.")
    BASIS_UNKNOWN = "basis_unknown", _("The legal basis is not one of the list.")
    TOO_MANY_WORDS = "too_many_words", _("Too many words to hide.")
    WORD_LENGTH = "word_length", _("A word to hide is too short or too long.")
    WORD_NOT_IN_TITLE = "word_not_in_title", _("A word to hide is not in the title.")
    # the applicant's own cases
    EMPTY_REPLY = "empty_reply", _("The reply has neither a message nor a file.")
    BAD_ATTACHMENT = "bad_attachment", _("An attachment does not belong here.")
    # e-services offered by a municipality
    NO_CASE_TYPE = "no_case_type", _("No case type is defined yet.")
    NOT_ON = "not_on", _("The form is not switched on.")
    FOREIGN_UNIT = "foreign_unit", _("The unit belongs to another municipality.")
    INVALID_RULE = "invalid_rule", _("The routing rule has errors; see its fields.")
    INVALID_JSON = "invalid_json", _("The text is not valid JSON.")
    INVALID_CONDITION = "invalid_condition", _("The condition is not in the form format.")
    # submitting
    CLOSED = "closed", _("The e-service is not open for submissions.")
    INCOMPLETE = "incomplete", _("Some required questions are not answered yet.")
    TOO_MANY_FILES = "too_many_files", _("Too many files are attached.")
    # uploaded files
    FILE_EMPTY = "file_empty", _("The file is empty.")
    FILE_TOO_LARGE = "file_too_large", _("The file is too large.")
    CONTENT_TYPE_MISMATCH = (
        "content_type_mismatch",
        _("The file's content is of a type that is not allowed."),
    )
    CONTENT_TYPE_UNKNOWN = (
        "content_type_unknown",
        _("The file's content is not of any allowed type."),
    )
    SCAN_UNAVAILABLE = (
        "scan_unavailable",
        _("The virus scanner did not answer; try again later."),
    )
    VIRUS_FOUND = "virus_found", _("The virus scanner found a virus in the file.")
    NAME_TYPE_MISMATCH = (
        "name_type_mismatch",
        _("The file's name or declared type does not match its content."),
    )
    IMAGE_INVALID = (
        "image_invalid",
        _("The picture cannot be decoded in full, or holds more than the picture."),
    )
    IMAGE_TOO_LARGE = "image_too_large", _("The picture has more pixels than allowed.")
    PDF_INVALID = "pdf_invalid", _("The PDF cannot be parsed, or is protected by a password.")
    PDF_SCRIPT = (
        "pdf_script",
        _("The PDF contains JavaScript or an action that starts a program."),
    )
    PDF_EMBEDDED_FILE = "pdf_embedded_file", _("The PDF has other files embedded in it.")
    # the public journal and access requests
    NO_OFFERING = "no_offering", _("The municipality does not take access requests online.")
    REQUIRED = "required", _("A required value is missing.")
    INVALID_REFERENCE = "invalid_reference", _("The case number is not in the journal's format.")
    # public journal privacy
    ONLINE_NAMES_UNKNOWN = (
        "online_names_unknown",
        _("Choose whether names of private persons are shown or withheld online."),
    )
    # need to know: breaking the glass
    EMERGENCY_REASON_REQUIRED = (
        "emergency_reason_required",
        _("Emergency access to a confidential case needs a written reason."),
    )
    EMERGENCY_NOT_CONFIDENTIAL = (
        "emergency_not_confidential",
        _("The case is not confidential; open it the ordinary way."),
    )
