"""The operator page of background jobs (desk, administrators): pending, failed and dead jobs
with their errors, and a retry button."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts.models import Membership, Role
from motcua.desk.access import officer_required
from motcua.jobs import queries, rules
from motcua.jobs.services import JobError, retry

STATES = (rules.PENDING, rules.RUNNING, rules.FAILED, rules.DEAD)


def is_operator(user) -> bool:
    """Who runs the platform: superusers and the province's administrators."""
    return (
        user.is_superuser or Membership.objects.filter(user=user, role=Role.PROVINCE_ADMIN).exists()
    )


@officer_required
@require_http_methods(["GET", "POST"])
def jobs_page(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise PermissionDenied
    if request.method == "POST":
        raw = request.POST.get("job", "")
        try:
            if not raw.isascii() or not raw.isdigit() or len(raw) > 15:
                raise ValueError(raw)  # not an id (and never a number too large for the DB)
            job = retry(int(raw), actor=request.user)
        except (JobError, ValueError) as exc:
            messages.error(request, str(exc) if isinstance(exc, JobError) else _("Sai mã tác vụ."))
        else:
            messages.success(request, _("Tác vụ %(id)s sẽ được chạy lại.") % {"id": job.pk})
        return redirect(request.get_full_path())
    state = request.GET.get("state", "")
    state = state if state in STATES else ""
    context = {
        "jobs": list(queries.jobs(state or None)),
        "counts": queries.counts(),
        "state": state,
        "states": [(s, dict(queries.Job.STATE_CHOICES)[s]) for s in STATES],
        "retryable": (*rules.RETRYABLE_BY_OPERATOR, rules.PENDING),
    }
    return render(request, "jobs/jobs.html", context)
