"""A post's headcount never drops below the places it has promised: the people on it and those
approved and not yet started (agreed, trained). The refusal names them and changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongyi.enums import Role
from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from people.models import Placement
from people.onboarding.enums import ApplicationState as S
from posts import services
from posts.enums import PostStatus
from posts.models import Post
from tests.factories import PersonFactory, PostFactory, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def promised_post(area, users):
    """An open post for 5: one person on it, and three approved, agreed and trained, not started."""
    clerk = users[Role.CLERK]
    post = PostFactory(village=area.village, area_kind="rural", headcount=5, status=PostStatus.OPEN)
    today = timezone.localdate()
    on_post = PersonFactory(village=area.village, name="赵在岗")
    Placement.objects.create(
        person=on_post, post=post, region_code=post.region_code, start_date=today
    )
    services.post_occupancy_change(actor=clerk, post_id=post.pk, delta=1)
    for n, (state, name) in enumerate(
        [(S.APPROVED, "钱批准"), (S.AGREED, "孙签约"), (S.TRAINED, "李培训")]
    ):
        make_application(
            person=PersonFactory(village=area.village, name=name),
            post=post,
            state=state,
            actor=clerk,
            state_changed_at=timezone.now() + dt.timedelta(seconds=n),
        )
    return Post.objects.get(pk=post.pk)


REFUSAL = (
    "该岗位已有 4 个名额被占用或已承诺（在岗：赵在岗；已批准尚未上岗：钱批准、孙签约、李培训），"
    "岗位人数不能低于 4。"
)


def test_post_update_refuses_headcount_below_people_approved_and_not_started(promised_post, users):
    entries = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        services.post_update(actor=users[Role.CLERK], post=promised_post, headcount=3)
    promised_post.refresh_from_db()
    assert refused.value.field_errors == {"headcount": REFUSAL}
    assert (promised_post.headcount, AuditEntry.objects.count()) == (5, entries)


def test_post_update_lowers_headcount_to_the_places_promised(promised_post, users):
    services.post_update(actor=users[Role.CLERK], post=promised_post, headcount=4)
    promised_post.refresh_from_db()
    assert promised_post.headcount == 4


def test_api_patch_refuses_headcount_below_people_approved_and_not_started(
    promised_post, users, login
):
    response = login(users[Role.CLERK]).patch(
        reverse("api:post-detail", args=[promised_post.pk]),
        {"headcount": 1},
        content_type="application/json",
    )
    promised_post.refresh_from_db()
    assert response.status_code == 400
    assert REFUSAL in str(response.json())
    assert promised_post.headcount == 5


def test_edit_page_refuses_headcount_below_people_approved_and_not_started(
    promised_post, users, login
):
    from posts.services import snapshot_data

    data = {k: v for k, v in snapshot_data(promised_post).items() if v is not None}
    data.update(post_type=promised_post.post_type_id, township=promised_post.township_id)
    data.update(village=promised_post.village_id, headcount=2)
    response = login(users[Role.CLERK]).post(reverse("post-edit", args=[promised_post.pk]), data)
    promised_post.refresh_from_db()
    assert response.status_code == 400
    assert REFUSAL in response.content.decode()
    assert promised_post.headcount == 5
