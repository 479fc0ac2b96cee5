"""The registry's settings (RULES.md §2, §9), per county and effective-dated (``gongyi.policy``)."""

from django.utils.translation import gettext_lazy as _

from gongyi.policy import register_policy

RURAL_MIN_AGE = register_policy(
    "people.rural_min_age",
    16,
    _("Rural posts: youngest age"),
    "seed 001 §二(一); RULES.md §2",
    maximum=70,
    minimum=16,
)
#: "A county may relax it, but never past 70" (RULES.md §2): the maximum is the rule.
RURAL_MAX_AGE = register_policy(
    "people.rural_max_age",
    65,
    _("Rural posts: oldest age"),
    "seed 001 §二(一); RULES.md §2",
    maximum=70,
    minimum=16,
)
RURAL_OLDER_MIN_AGE = register_policy(
    "people.rural_older_min_age",
    45,
    _("Rural older persons: from this age"),
    "seed 001 §二(一)（农村大龄人员 45-65 周岁）",
    maximum=70,
    minimum=16,
)
URBAN_OLDER_WOMEN_MIN_AGE = register_policy(
    "people.urban_older_women_min_age",
    45,
    _("Urban older unemployed: women from this age"),
    "seed 001 §二(一); RULES.md §2 (some counties 40)",
    maximum=60,
    minimum=16,
)
URBAN_OLDER_MEN_MIN_AGE = register_policy(
    "people.urban_older_men_min_age",
    55,
    _("Urban older unemployed: men from this age"),
    "seed 001 §二(一); RULES.md §2 (some counties 50)",
    maximum=63,
    minimum=16,
)
YOUNG_MAX_AGE = register_policy(
    "people.young_max_age",
    24,
    _("Young registered unemployed: up to this age"),
    "RULES.md §2 (registered unemployed aged 16–24)",
    maximum=35,
    minimum=16,
)
URBAN_MIN_MONTHS_LEFT = register_policy(
    "people.urban_min_months_before_retirement",
    0,
    _("Urban posts: months that must be left before retirement (0: no such rule)"),
    "RULES.md §2 (some counties 12)",
    maximum=60,
)
MAX_PLACEMENTS = register_policy(
    "people.max_placements",
    2,
    _("Placements in a lifetime, at most"),
    "seed 003 §19; seed 004",
    maximum=2,
    minimum=1,
)
SUBSIDY_MONTHS_PER_PLACEMENT = register_policy(
    "people.subsidy_months_per_placement",
    36,
    _("Subsidy months of one placement, normally at most"),
    "seed 001 §二(四); seed 004",
    maximum=120,
    minimum=1,
)
ID_MASK_HEAD = register_policy(
    "people.id_mask_head",
    6,
    _("Masked ID numbers: characters shown at the start"),
    "RULES.md §9",
    maximum=6,
)
ID_MASK_TAIL = register_policy(
    "people.id_mask_tail",
    4,
    _("Masked ID numbers: characters shown at the end"),
    "RULES.md §9",
    maximum=4,
)
IMPORT_MAX_ROWS = register_policy(
    "people.import_max_rows",
    50000,
    _("Most rows in one roster file"),
    "README",
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
