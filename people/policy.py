"""The registry's settings (docs/policy.md §2, §9, §11), per county and effective-dated (``gongyi.policy``)."""

from django.utils.translation import gettext_lazy as _

from gongyi.policy import register_policy

RURAL_MIN_AGE = register_policy(
    "people.rural_min_age",
    16,
    _("Rural posts: youngest age"),
    _("Labour Law art. 15 (nobody under 16 is employed)"),
    maximum=70,
    minimum=16,
)
#: "A county may relax it, but never past 70" (docs/policy.md §2): the maximum is the rule.
RURAL_AGE_CEILING = 70
RURAL_MAX_AGE = register_policy(
    "people.rural_max_age",
    65,
    _("Rural posts: oldest age"),
    _("Taishan plan 2(1) (rural older persons 45-65); counties may relax it, never past 70"),
    maximum=70,
    minimum=16,
)
RURAL_OLDER_MIN_AGE = register_policy(
    "people.rural_older_min_age",
    45,
    _("Rural older persons: from this age"),
    _("Taishan plan 2(1) (rural older persons 45-65)"),
    maximum=70,
    minimum=16,
)
URBAN_OLDER_WOMEN_MIN_AGE = register_policy(
    "people.urban_older_women_min_age",
    45,
    _("Urban older unemployed: women from this age"),
    _("Taishan plan 2(1) (women from 45); some counties use 40"),
    maximum=60,
    minimum=16,
)
URBAN_OLDER_MEN_MIN_AGE = register_policy(
    "people.urban_older_men_min_age",
    55,
    _("Urban older unemployed: men from this age"),
    _("Taishan plan 2(1) (men from 55); some counties use 50"),
    maximum=63,
    minimum=16,
)
YOUNG_MAX_AGE = register_policy(
    "people.young_max_age",
    24,
    _("Young registered unemployed: up to this age"),
    _("Shandong practice (registered unemployed aged 16-24)"),
    maximum=35,
    minimum=16,
)
URBAN_MIN_MONTHS_LEFT = register_policy(
    "people.urban_min_months_before_retirement",
    0,
    _("Urban posts: months that must be left before retirement (0: no such rule)"),
    _("Practice of some counties (at least 12 months left); off by default"),
    maximum=60,
)
MAX_PLACEMENTS = register_policy(
    "people.max_placements",
    2,
    _("Placements in a lifetime, at most"),
    _("Shandong quality year plan item 19; Zhangzhou case (at most 2 placements)"),
    maximum=2,
    minimum=1,
)
SUBSIDY_MONTHS_PER_PLACEMENT = register_policy(
    "people.subsidy_months_per_placement",
    36,
    _("Subsidy months of one placement, normally at most"),
    _("Taishan plan 2(4); Zhangzhou case (normally at most 3 years)"),
    maximum=120,
    minimum=1,
)
ID_MASK_HEAD = register_policy(
    "people.id_mask_head",
    6,
    _("Masked ID numbers: characters shown at the start"),
    _("Personal Information Protection Law arts. 25 and 28"),
    maximum=6,
)
ID_MASK_TAIL = register_policy(
    "people.id_mask_tail",
    4,
    _("Masked ID numbers: characters shown at the end"),
    _("Personal Information Protection Law arts. 25 and 28"),
    maximum=4,
)
IMPORT_MAX_ROWS = register_policy(
    "people.import_max_rows",
    50000,
    _("Most rows in one roster file"),
    _("Set by this system: the size of one file"),
    maximum=200000,
    minimum=1,
)

ELIGIBILITY_KEYS = [
    RURAL_MIN_AGE,
    RURAL_MAX_AGE,
    RURAL_OLDER_MIN_AGE,
    URBAN_OLDER_WOMEN_MIN_AGE,
    URBAN_OLDER_MEN_MIN_AGE,
    URBAN_MIN_MONTHS_LEFT,
    YOUNG_MAX_AGE,
    MAX_PLACEMENTS,
    SUBSIDY_MONTHS_PER_PLACEMENT,
]
