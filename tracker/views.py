from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("region").order_by("region__name")
    return render(request, "home.html", {"memberships": memberships})
