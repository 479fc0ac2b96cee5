"""Demo data of the onboarding workflow (``seed_demo``'s "onboarding" step).

Each township of 泰山区's 2022 plan gets a published recruitment round of some of its open posts,
and the demo people apply for them; the applications are then taken forward as the users would,
through the step services and ``workflow.application_transition``, so that their step records
and audit trail are the real ones. They stop at every state of the workflow, so that each demo
user has work waiting:

- the township's clerk: applications to review first (初审), a post whose qualified applicants
  wait to be publicised, approved people to sign agreements with, signed ones to train, trained
  ones to start, an open objection to investigate, a relative declaration to decide;
- each village committee: its residents awaiting the democratic review, its publicity list
  running (with an objection received);
- each department reviewer: applications awaiting its opinion (some have others' opinions in);
- the county: re-reviews with all opinions in (one with a disagreement), approvals whose
  publicity period is over, relative declarations the township approved to file.

Some are not passed at the initial review, the democratic review, the re-review and publicity
(an objection upheld), and some withdrawn. A publicity period that must be over is moved into the
past after the fact, as the workflow's tests do: nobody waits five working days for a demo.

Re-running changes nothing: a township that has its demo round already is left alone.

``plan`` decides who applies for what and where each stops; ``seed`` takes them there.
"""

from people.onboarding.demo.seed import seed_onboarding  # importing it registers the step

__all__ = ["seed_onboarding"]
