from django.urls import path

from .views import audit, dashboards, exports, findings, history, imports, lists

urlpatterns = [
    path("audits/", lists.audit_list, name="audit-list"),
    path("audits/export/<slug:format>/", lists.audit_list_export, name="audit-list-export"),
    path("audits/new/", audit.audit_create, name="audit-create"),
    path("audits/new/coordinated/", audit.audit_create_from_set, name="audit-create-from-set"),
    path("audits/import/", imports.report_import_upload, name="report-import"),
    path("audits/import/<int:pk>/", imports.report_import_review, name="report-import-review"),
    path(
        "audits/import/<int:pk>/discard/",
        imports.report_import_discard_view,
        name="report-import-discard",
    ),
    path("audits/<int:pk>/", audit.audit_detail, name="audit-detail"),
    path("audits/<int:pk>/pdf/<slug:kind>/", exports.audit_pdf, name="audit-pdf"),
    path("reports/follow-up/", exports.followup_report, name="followup-report"),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("regions/<slug:code>/dashboard/", dashboards.region_dashboard, name="region-dashboard"),
    path(
        "question-sets/<int:pk>/comparison/",
        dashboards.question_set_comparison,
        name="question-set-comparison",
    ),
    path("exports/<uuid:pk>/", exports.export_status, name="export-status"),
    path("exports/<uuid:pk>/download/", exports.export_download, name="export-download"),
    path("audits/<int:pk>/history/", history.audit_history, name="audit-history"),
    path("audits/<int:pk>/files/<slug:name>/", audit.audit_file, name="audit-file"),
    path("audits/<int:pk>/edit/", audit.audit_edit, name="audit-edit"),
    path("audits/<int:pk>/status/", audit.audit_move_view, name="audit-move"),
    path("audits/<int:pk>/issue/", audit.audit_issue_view, name="audit-issue"),
    path("audits/<int:pk>/section/<slug:name>/", audit.audit_section, name="audit-section"),
    path("audits/<int:pk>/overall-assessment/", audit.overall_edit, name="overall-edit"),
    path("audits/<int:pk>/questions/add/", findings.question_add_view, name="question-add"),
    path("questions/<int:pk>/", findings.question_block, name="question-block"),
    path("questions/<int:pk>/edit/", findings.question_edit, name="question-edit"),
    path("questions/<int:pk>/move/", findings.question_move_view, name="question-move"),
    path("questions/<int:pk>/delete/", findings.question_delete_view, name="question-delete"),
    path("questions/<int:pk>/rating/", findings.assessment_edit, name="assessment-edit"),
    path("questions/<int:pk>/rating/delete/", findings.assessment_delete, name="assessment-delete"),
    path(
        "questions/<int:pk>/observations/add/",
        findings.observation_add_view,
        name="observation-add",
    ),
    path("observations/<int:pk>/edit/", findings.observation_edit, name="observation-edit"),
    path(
        "observations/<int:pk>/delete/",
        findings.observation_delete_view,
        name="observation-delete",
    ),
]
