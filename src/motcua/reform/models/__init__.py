"""Models of the reform app: plans and their tasks (``plans``), inspections
(``inspections``). The PAR index scheme will live beside them in its own module."""

from motcua.reform.models.inspections import (  # noqa: F401
    Inspection,
    InspectionMember,
    InspectionTarget,
    Remedy,
)
from motcua.reform.models.parindex import *  # noqa: F403  (the PAR index)
from motcua.reform.models.plans import (  # noqa: F401
    Evidence,
    Objective,
    ProgressNote,
    ReformOffice,
    ReformPlan,
    Target,
    Task,
)
