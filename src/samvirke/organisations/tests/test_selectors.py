"""Selectors: who sees which arrangements, units, documents, and what the register holds."""

import pytest

from samvirke.organisations import register_export, selectors
from samvirke.organisations.models import AgreementDocument, CooperationArrangement, Unit

pytestmark = pytest.mark.django_db

SPYDEBERG_ONLY = "spydeberg-sak-arkiv"


def slugs(queryset):
    return {a.slug for a in queryset}


def test_non_public_arrangement_is_seen_by_its_members_and_the_coordinator_only(demo):
    assert SPYDEBERG_ONLY in slugs(selectors.arrangement_list(user=demo.user["spydeberg.ppt"]))
    assert SPYDEBERG_ONLY in slugs(selectors.arrangement_list(user=demo.user["region.koordinator"]))
    for outsider in ("askim.saksbehandler", "askim.admin", "skiptvet.saksbehandler"):
        assert SPYDEBERG_ONLY not in slugs(selectors.arrangement_list(user=demo.user[outsider]))
    assert SPYDEBERG_ONLY not in slugs(selectors.arrangement_list(user=None))
    with pytest.raises(CooperationArrangement.DoesNotExist):
        selectors.arrangement_get(
            user=demo.user["askim.saksbehandler"],
            arrangement_id=demo.arrangement[SPYDEBERG_ONLY].pk,
        )
    with pytest.raises(CooperationArrangement.DoesNotExist):
        selectors.arrangement_get_public(slug=SPYDEBERG_ONLY)


def test_agreement_documents_are_for_participants_only(demo):
    arrangement = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    document = arrangement.documents.get()
    assert not document.is_public
    for insider in ("spydeberg.ppt", "skiptvet.saksbehandler", "hobol.koordinator"):
        assert selectors.agreement_document_get(user=demo.user[insider], document_id=document.pk)
    for outsider in ("askim.saksbehandler", "eidsberg.ppt", None):
        user = demo.user[outsider] if outsider else None
        with pytest.raises(AgreementDocument.DoesNotExist):
            selectors.agreement_document_get(user=user, document_id=document.pk)


def test_non_public_units_are_seen_inside_their_organisation(demo):
    hidden = demo.org["spydeberg"].units.get(slug="personal-og-lonn")
    assert not hidden.is_public
    assert selectors.unit_get(user=demo.user["spydeberg.admin"], unit_id=hidden.pk)
    with pytest.raises(Unit.DoesNotExist):
        selectors.unit_get(user=demo.user["askim.saksbehandler"], unit_id=hidden.pk)
    tree = selectors.unit_tree(
        user=demo.user["askim.saksbehandler"], organisation_id=demo.org["spydeberg"].pk
    )
    assert hidden not in [unit for unit, _depth in tree]


def test_unit_tree_puts_children_below_their_parent(demo):
    tree = selectors.unit_tree(user=demo.user["askim.admin"], organisation_id=demo.org["askim"].pk)
    names = [(unit.slug, depth) for unit, depth in tree]
    radmannen = names.index(("radmannen", 0))
    assert ("ikt", 1) in names[radmannen:]
    assert names.index(("ikt", 1)) > radmannen


def test_register_matrix_counts_hosts_and_current_participants(demo):
    register = selectors.register_build(user=None)
    ppt = next(a for a in register.areas if a.code == "ppt")
    arrangement = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    for slug in ("spydeberg", "skiptvet", "hobol"):
        assert arrangement in register.cell(demo.org[slug].pk, ppt.pk)
    assert arrangement not in register.cell(demo.org["askim"].pk, ppt.pk)
    assert not any(a.slug == SPYDEBERG_ONLY for cell in register.cells.values() for a in cell)


def test_register_build_and_export_take_a_fixed_number_of_queries(
    demo, django_assert_max_num_queries
):
    user = demo.user["region.koordinator"]
    selectors.arrangement_list(user=user).count()  # warm the user's grants
    with django_assert_max_num_queries(6):
        register = selectors.register_build(user=user)
        list(register.rows())
    with django_assert_max_num_queries(4):
        rows = selectors.register_export_rows(user=user)
        [register_export.row_values(row) for row in rows]
