"""Grants through cooperation arrangements."""

import pytest

from samvirke.accounts import access
from samvirke.organisations.models import AreaOfWork

pytestmark = pytest.mark.django_db


def test_ppt_staff_of_the_host_act_for_participants_in_ppt_only(demo):
    # given Spydeberg's PPT adviser, whose unit hosts the PPT arrangement
    user = demo.user["spydeberg.ppt"]
    ppt = AreaOfWork.objects.get(code="ppt")
    school = AreaOfWork.objects.get(code="skole")

    # then they act for Skiptvet and Hobøl in PPT matters
    for slug in ("skiptvet", "hobol"):
        assert access.can_act_for(user, organisation_id=demo.org[slug].id, area_id=ppt.id)
        # but not in other areas
        assert not access.can_act_for(user, organisation_id=demo.org[slug].id, area_id=school.id)
    # and for their own municipality in every area
    assert access.can_act_for(user, organisation_id=demo.org["spydeberg"].id, area_id=school.id)
    # and never for Askim, which is not in that arrangement
    assert not access.can_act_for(user, organisation_id=demo.org["askim"].id, area_id=ppt.id)
    assert access.acting_organisation_ids(user, area_id=ppt.id) == {
        demo.org["spydeberg"].id,
        demo.org["skiptvet"].id,
        demo.org["hobol"].id,
    }


def test_staff_outside_the_host_unit_get_no_grant(demo):
    # Askim's case handler works in Askim's service desk, which hosts nothing
    user = demo.user["askim.saksbehandler"]
    ppt = AreaOfWork.objects.get(code="ppt")
    assert access.acting_organisation_ids(user, area_id=ppt.id) == {demo.org["askim"].id}


def test_ended_participation_ends_the_grant(demo):
    import datetime as dt

    from samvirke.organisations import services

    arrangement = demo.arrangement["ppt-spydeberg-skiptvet-hobol"]
    participation = arrangement.participations.get(organisation=demo.org["hobol"])
    services.arrangement_update_participant(
        actor=None, participation=participation, ends_on=dt.date(2020, 12, 31)
    )
    user = demo.user["spydeberg.ppt"]
    assert not access.can_act_for(
        user, organisation_id=demo.org["hobol"].id, area_id=arrangement.area_id
    )
