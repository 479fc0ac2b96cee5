"""Places still free on a post are counted in one selector (``posts.selectors.free_places``);
the round's figure, the approval check and the headcount floor all read it. On a post with
people on it, approved, in publicity, started and refused, each gives the figure the code it
replaced gave."""

import pytest
from django.db.models import Count, Q

from gongyi.enums import Role
from people.onboarding.enums import HOLDING_STATES
from people.onboarding.enums import ApplicationState as S
from people.onboarding.models import Application
from people.onboarding.selectors import round_free_places
from posts import services
from posts.enums import PostStatus
from posts.models import Post
from posts.selectors import free_places, place_holders
from tests.factories import PersonFactory, PostFactory, RoundPostFactory, make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_post(area, users):
    """A post for 8: one person on it; approved, agreed, trained (holding three places); one in
    publicity, one started (already counted in ``occupied`` elsewhere), one refused."""
    clerk = users[Role.CLERK]
    post = PostFactory(village=area.village, area_kind="rural", headcount=8, status=PostStatus.OPEN)
    services.post_occupancy_change(actor=clerk, post_id=post.pk, delta=1)
    for state in (S.APPROVED, S.AGREED, S.TRAINED, S.PUBLICITY, S.STARTED, S.REJECTED):
        make_application(
            person=PersonFactory(village=area.village), post=post, state=state, actor=clerk
        )
    return Post.objects.get(pk=post.pk)


def _former_workflow_figure(post: Post) -> int:
    """As the approval check counted before: headcount − occupied − holding applications."""
    holding = Application.objects.filter(post=post, state__in=list(HOLDING_STATES)).count()
    return post.headcount - post.occupied - holding


def _former_round_figure(post: Post, round_post) -> int:
    """As the publicity ranking counted before, in one aggregate."""
    taken_states = [S.PUBLICITY, *HOLDING_STATES]
    counts = Application.objects.aggregate(
        round_taken=Count(
            "pk",
            filter=Q(round_id=round_post.round_id, post_id=post.pk)
            & Q(state__in=[*taken_states, S.STARTED]),
        ),
        post_taken=Count("pk", filter=Q(post_id=post.pk, state__in=taken_states)),
    )
    return max(
        0,
        min(
            round_post.places - counts["round_taken"],
            post.headcount - post.occupied - counts["post_taken"],
        ),
    )


def test_free_places_matches_the_approval_check_and_the_headcount_floor(mixed_post, area):
    empty = PostFactory(village=area.village, headcount=3, status=PostStatus.OPEN)
    holders = place_holders(mixed_post)
    free = free_places([mixed_post, empty])
    assert free == {mixed_post.pk: 4, empty.pk: 3}
    assert free[mixed_post.pk] == _former_workflow_figure(mixed_post)
    # The headcount floor: the people on the post and those approved and not yet started.
    assert mixed_post.headcount - free[mixed_post.pk] == mixed_post.occupied + len(holders.waiting)


def test_free_places_is_one_query_for_many_posts(mixed_post, area, django_assert_num_queries):
    posts = [mixed_post] + [PostFactory(village=area.village, headcount=2) for _ in range(5)]
    with django_assert_num_queries(1):
        free_places(posts)


@pytest.mark.parametrize(("places", "expected"), [(2, 1), (6, 3), (1, 0)])
def test_round_free_places_matches_the_former_round_figure(mixed_post, places, expected):
    in_publicity = Application.objects.get(post=mixed_post, state=S.PUBLICITY)
    round_post = RoundPostFactory(round=in_publicity.round, post=mixed_post, places=places)
    assert round_free_places(mixed_post, round_post) == expected
    assert expected == _former_round_figure(mixed_post, round_post)
