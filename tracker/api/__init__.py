"""The REST API (/api/v1/): token authentication, paging, errors and the OpenAPI schema.

The serializers and viewsets live with their apps (audits/api.py, recommendations/api.py,
regions/api.py); what they share is here. Everything goes through `scope_for(user)`.
"""
