"""Exits (退出) and recovery (追回) of subsidy paid after an exit (docs/policy.md §8, "Exits and
recovery"): the exit of a placement, its printed notice, the debt it leaves, repayments and
write-offs, and the county's debts by township and age."""
