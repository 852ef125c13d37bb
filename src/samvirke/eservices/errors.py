"""The e-services' error codes: problems in a form definition (the editor and the form
import list them with a JSON pointer), a form engine's field errors (shown beside the
question a citizen answered), and what the form services refuse. The values are a
contract: never change one. See samvirke.core.errors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from samvirke.core.errors import ErrorCode, error_codes


@error_codes.register
class EservicesErrorCode(ErrorCode):
    # the form services
    INVALID_AUTHENTICATION = (
        "invalid_authentication",
        _("The authentication requirement is not one of the list."),
    )
    SLUG_TAKEN = "slug_taken", _("A form with this slug exists already.")
    ALREADY_PUBLISHED = "already_published", _("This version is published already.")
    UNKNOWN_EXPORT_FORMAT = "unknown_export_format", _("This is not a Samvirke form export.")
    UNKNOWN_AREA_OF_WORK = "unknown_area_of_work", _("No area of work with this code.")
    # a form definition
    INVALID_JSON = "invalid_json", _("The text is not valid JSON.")
    DUPLICATE_KEY = "duplicate_key", _("A field key is used twice.")
    DUPLICATE_STEP_KEY = "duplicate_step_key", _("A step key is used twice.")
    DUPLICATE_OPTION = "duplicate_option", _("An option is listed twice.")
    CONDITION_UNKNOWN_FIELD = (
        "condition_unknown_field",
        _("A condition refers to a field that is not an earlier one."),
    )
    MIN_GREATER_THAN_MAX = "min_greater_than_max", _("A lower limit is above the upper one.")
    INVALID_PATTERN = "invalid_pattern", _("The pattern is not a valid regular expression.")
    RULE_NOT_FOR_TYPE = "rule_not_for_type", _("A rule does not apply to the field's type.")
    PREFILL_NOT_FOR_TYPE = (
        "prefill_not_for_type",
        _("The prefill source cannot fill a field of this type."),
    )
    TYPE_NOT_IN_GROUP = "type_not_in_group", _("A repeating group cannot hold this type of field.")
    MAX_FILES_WITHOUT_MULTIPLE = (
        "max_files_without_multiple",
        _("“max_files” needs “multiple”: true."),
    )
    # a definition against the JSON Schema: `schema_` and the keyword that failed
    SCHEMA_ADDITIONAL_PROPERTIES = (
        "schema_additionalProperties",
        _("The definition has a property the format does not know."),
    )
    SCHEMA_ALL_OF = "schema_allOf", _("The definition does not match the format (allOf).")
    SCHEMA_ANY_OF = "schema_anyOf", _("The definition matches none of the allowed shapes.")
    SCHEMA_CONST = "schema_const", _("A value differs from the one the format requires.")
    SCHEMA_ENUM = "schema_enum", _("A value is not one of those allowed.")
    SCHEMA_EXCLUSIVE_MINIMUM = "schema_exclusiveMinimum", _("A number is too small.")
    SCHEMA_MAX_PROPERTIES = "schema_maxProperties", _("An object has too many properties.")
    SCHEMA_MAXIMUM = "schema_maximum", _("A number is too large.")
    SCHEMA_MIN_ITEMS = "schema_minItems", _("A list has too few items.")
    SCHEMA_MIN_LENGTH = "schema_minLength", _("A text is too short.")
    SCHEMA_MIN_PROPERTIES = "schema_minProperties", _("An object has too few properties.")
    SCHEMA_MINIMUM = "schema_minimum", _("A number is too small.")
    SCHEMA_NOT = "schema_not", _("A value has a shape the format forbids.")
    SCHEMA_ONE_OF = "schema_oneOf", _("The definition matches more than one allowed shape.")
    SCHEMA_PATTERN = "schema_pattern", _("A text is not in the expected format.")
    SCHEMA_REQUIRED = "schema_required", _("A required property is missing.")
    SCHEMA_TYPE = "schema_type", _("A value is of the wrong type.")
    SCHEMA_UNEVALUATED_PROPERTIES = (
        "schema_unevaluatedProperties",
        _("The definition has a property the format does not know."),
    )
    SCHEMA_UNIQUE_ITEMS = "schema_uniqueItems", _("A list has the same item twice.")
    # a citizen's answers (the form engine)
    REQUIRED = "required", _("This field is required.")
    REQUIRED_PART = "required_part", _("A required part of the answer is missing.")
    MIN_LENGTH = "min_length", _("The answer is too short.")
    MAX_LENGTH = "max_length", _("The answer is too long.")
    PATTERN = "pattern", _("The answer is not in the expected format.")
    INVALID_EMAIL = "invalid_email", _("The e-mail address is not valid.")
    INVALID_PHONE = "invalid_phone", _("The phone number is not valid.")
    INVALID_NUMBER = "invalid_number", _("The answer is not a number.")
    MIN_VALUE = "min_value", _("The number is too small.")
    MAX_VALUE = "max_value", _("The number is too large.")
    INVALID_DATE = "invalid_date", _("The answer is not a date.")
    MIN_DATE = "min_date", _("The date is too early.")
    MAX_DATE = "max_date", _("The date is too late.")
    INVALID_CHOICE = "invalid_choice", _("The answer is not one of the options.")
    MIN_CHOICES = "min_choices", _("Too few options are chosen.")
    MAX_CHOICES = "max_choices", _("Too many options are chosen.")
    INVALID_NATIONAL_ID = "invalid_national_id", _("The national identity number is not valid.")
    INVALID_ORGANISATION_NUMBER = (
        "invalid_organisation_number",
        _("The organisation number is not valid."),
    )
    TOO_MANY_FILES = "too_many_files", _("Too many files are attached.")
    FILE_TOO_LARGE = "file_too_large", _("The file is too large.")
    FILE_TYPE_NOT_ALLOWED = "file_type_not_allowed", _("The file is not of an allowed type.")
    INVALID_POSTCODE = "invalid_postcode", _("A postcode has four digits.")
    INVALID_MUNICIPALITY_NUMBER = (
        "invalid_municipality_number",
        _("A municipality number has four digits."),
    )
    INVALID_PROPERTY_NUMBER = (
        "invalid_property_number",
        _("A property number must be a whole number from 1 to 99999."),
    )
    INVALID_COORDINATE = "invalid_coordinate", _("A coordinate is not a decimal number.")
    OUTSIDE_NORWAY = "outside_norway", _("The point is not in Norway.")
    MIN_ROWS = "min_rows", _("Too few rows are filled in.")
    MAX_ROWS = "max_rows", _("Too many rows are filled in.")
