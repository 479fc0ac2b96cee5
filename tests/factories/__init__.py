"""factory_boy factories, one module per app (``tests/factories/<app label>.py``), every model
with one; ``tests/test_factories.py`` checks that. The names are re-exported here."""

from tests.factories.attendance import (
    AbsenceKindFactory,
    AssessmentEntryFactory,
    AssessmentFactory,
    AssessmentItemFactory,
    AttendanceAdjustmentFactory,
    AttendanceMonthFactory,
    AttendanceSheetFactory,
    LeaveRequestFactory,
    WorkArrangementFactory,
)
from tests.factories.audits import (
    DatasetRowFactory,
    DatasetVersionFactory,
    ExpiryWarningFactory,
    FindingFactory,
)
from tests.factories.gongyi import (
    TEST_PASSWORD,
    ApiTokenFactory,
    AuditChainHeadFactory,
    AuditEntryFactory,
    CalendarDayFactory,
    JobFactory,
    PolicySettingFactory,
    RegionFactory,
    TownshipFactory,
    UserFactory,
    VillageFactory,
    first_user,
)
from tests.factories.onboarding import (
    ApplicationFactory,
    DemocraticReviewFactory,
    DepartmentOpinionFactory,
    ObjectionFactory,
    PublicityFactory,
    RankingRecordFactory,
    RoundFactory,
    RoundPostFactory,
    StepRecordFactory,
    TrainingAttendanceFactory,
    TrainingSessionFactory,
)
from tests.factories.payout import (
    AccountFixFactory,
    BankTemplateFactory,
    FlexibleInsuranceFactory,
    GradeRuleFactory,
    PaymentFileFactory,
    PayoutBatchFactory,
    PayoutLineFactory,
)
from tests.factories.people import (
    PersonDocumentFactory,
    PersonFactory,
    PersonGroupFactory,
    PlacementFactory,
    RelativeDeclarationFactory,
    TargetGroupFactory,
    add_group,
    id_number_for,
)
from tests.factories.posts import (
    AllocationFactory,
    AnnualPlanFactory,
    MinimumWageFactory,
    PostFactory,
    PostTypeFactory,
    SubsidyStandardFactory,
)

__all__ = [
    "TEST_PASSWORD",
    "AbsenceKindFactory",
    "AccountFixFactory",
    "AllocationFactory",
    "AnnualPlanFactory",
    "ApiTokenFactory",
    "ApplicationFactory",
    "AssessmentEntryFactory",
    "AssessmentFactory",
    "AssessmentItemFactory",
    "AttendanceAdjustmentFactory",
    "AttendanceMonthFactory",
    "AttendanceSheetFactory",
    "AuditChainHeadFactory",
    "AuditEntryFactory",
    "BankTemplateFactory",
    "CalendarDayFactory",
    "DatasetRowFactory",
    "DatasetVersionFactory",
    "DemocraticReviewFactory",
    "DepartmentOpinionFactory",
    "ExpiryWarningFactory",
    "FindingFactory",
    "FlexibleInsuranceFactory",
    "GradeRuleFactory",
    "JobFactory",
    "LeaveRequestFactory",
    "MinimumWageFactory",
    "ObjectionFactory",
    "PaymentFileFactory",
    "PayoutBatchFactory",
    "PayoutLineFactory",
    "PersonDocumentFactory",
    "PersonFactory",
    "PersonGroupFactory",
    "PlacementFactory",
    "PolicySettingFactory",
    "PostFactory",
    "PostTypeFactory",
    "PublicityFactory",
    "RankingRecordFactory",
    "RegionFactory",
    "RelativeDeclarationFactory",
    "RoundFactory",
    "RoundPostFactory",
    "StepRecordFactory",
    "SubsidyStandardFactory",
    "TargetGroupFactory",
    "TownshipFactory",
    "TrainingAttendanceFactory",
    "TrainingSessionFactory",
    "UserFactory",
    "VillageFactory",
    "WorkArrangementFactory",
    "add_group",
    "first_user",
    "id_number_for",
    "make_application",
]


def make_application(*, person, post, state, actor=None, round_status="closed", **kw):
    """An application of ``person`` for ``post`` in ``state``, in a round of the post's township
    made for it: for tests that need an application as it stands, not the way it got there."""
    import datetime as dt

    from django.utils import timezone

    from gongyi.models import User
    from people.onboarding.models import Application, Round

    actor = actor or User.objects.order_by("pk").first()
    today = timezone.localdate()
    round_ = Round.objects.create(
        township=post.township,
        region_code=post.township.code,
        title="招聘",
        who_may_apply="农村大龄人员",
        opens_on=today - dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=3),
        apply_at="便民服务中心",
        status=round_status,
        published_on=None if round_status == "draft" else today - dt.timedelta(days=30),
        created_by=actor,
    )
    return Application.objects.create(
        round=round_,
        post=post,
        person=person,
        region_code=person.region_code,
        state=state,
        state_changed_at=kw.pop("state_changed_at", timezone.now()),
        applied_on=today - dt.timedelta(days=20),
        eligibility={},
        created_by=actor,
        **kw,
    )
