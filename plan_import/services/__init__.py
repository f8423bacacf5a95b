"""Writes for imports: read a document into a draft, correct it, publish or discard it.

Every service takes the actor as `by` and checks it may import (a coordinator;
`None` is the system, e.g. the `import_plan` command creating a draft). Rows
people correct (clauses, bodies, the import itself) keep their history, each
change naming its author. Nothing becomes live before `import_publish`, which
creates the plan, its tree, responsibilities, new bodies, shares, reporting
periods and lights in one transaction.
"""

from ._common import title_from_text
from .drafts import import_create, import_discard, import_update
from .publish import PlanDates, default_slug, import_publish, plan_dates, publish_problems
from .review import (
    body_add,
    body_confirm_new,
    body_remove,
    body_update,
    clause_merge_next,
    clause_retitle,
    clause_split,
    next_clause,
    split_points,
)

__all__ = [
    "PlanDates",
    "body_add",
    "body_confirm_new",
    "body_remove",
    "body_update",
    "clause_merge_next",
    "clause_retitle",
    "clause_split",
    "default_slug",
    "import_create",
    "import_discard",
    "import_publish",
    "import_update",
    "next_clause",
    "plan_dates",
    "publish_problems",
    "split_points",
    "title_from_text",
]
