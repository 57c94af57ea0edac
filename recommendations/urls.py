from django.urls import path

from .views import lists, recommendations, response_import, responses

urlpatterns = [
    path("inbox/", responses.inbox, name="inbox"),
    path("recommendations/", lists.recommendation_list, name="recommendation-list"),
    path(
        "recommendations/export/<slug:format>/",
        lists.recommendation_list_export,
        name="recommendation-list-export",
    ),
    path(
        "audits/<int:pk>/recommendations/add/",
        recommendations.recommendation_add,
        name="recommendation-add",
    ),
    path(
        "recommendations/<int:pk>/",
        recommendations.recommendation_detail,
        name="recommendation-detail",
    ),
    path(
        "recommendations/<int:pk>/block/",
        recommendations.recommendation_block,
        name="recommendation-block",
    ),
    path(
        "recommendations/<int:pk>/edit/",
        recommendations.recommendation_edit,
        name="recommendation-edit",
    ),
    path(
        "recommendations/<int:pk>/delete/",
        recommendations.recommendation_delete,
        name="recommendation-delete",
    ),
    path(
        "recommendations/<int:pk>/follow-up/",
        recommendations.follow_up_add,
        name="follow-up-add",
    ),
    path(
        "audits/<int:audit_pk>/responses/<int:body_pk>/",
        responses.response_edit,
        name="response-edit",
    ),
    path(
        "audits/<int:audit_pk>/responses/<int:body_pk>/import/",
        response_import.response_import,
        name="response-import",
    ),
    path("responses/<int:pk>/", responses.response_detail, name="response-detail"),
    path("responses/<int:pk>/document/", responses.response_document, name="response-document"),
    path("responses/<int:pk>/measures/add/", responses.measure_add, name="measure-add"),
    path("measures/", lists.measure_list, name="measure-list"),
    path("measures/export/<slug:format>/", lists.measure_list_export, name="measure-list-export"),
    path("follow-ups/", lists.followup_list, name="followup-list"),
    path(
        "follow-ups/export/<slug:format>/", lists.followup_list_export, name="followup-list-export"
    ),
    path("measures/<int:pk>/edit/", responses.measure_edit, name="measure-edit"),
    path("measures/<int:pk>/done/", responses.measure_complete_view, name="measure-complete"),
    path("measures/<int:pk>/revise/", responses.measure_revise_view, name="measure-revise"),
]
