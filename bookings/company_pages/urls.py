from django.urls import path

from bookings.company_pages import views as company_views
from companies import views

# The company's own pages (companies/views.py) and those that join it with bookings
# (bookings/company_pages/views.py), under the companies' names and addresses.
app_name = "companies"

# "register" and "invitations" are reserved: no company gets them as its slug
# (companies/services.py).
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept"),
    path("<slug:slug>/", company_views.dashboard, name="dashboard"),
    path("<slug:slug>/members/", views.members, name="members"),
    path(
        "<slug:slug>/members/<int:membership_id>/remove/",
        company_views.remove_member,
        name="remove_member",
    ),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("<slug:slug>/reserve/", company_views.reserve, name="reserve"),
    path("<slug:slug>/reservations/", company_views.reservations, name="reservations"),
    path(
        "<slug:slug>/reservations/<int:reservation_id>/cancel/",
        company_views.cancel_reservation,
        name="cancel_reservation",
    ),
    path("<slug:slug>/team/", company_views.team, name="team"),
    path("<slug:slug>/statement/", company_views.statement, name="statement"),
    path("<slug:slug>/statement.csv", company_views.statement_csv, name="statement_csv"),
    path("<slug:slug>/webhooks/", views.webhooks, name="webhooks"),
    path("<slug:slug>/webhooks/<int:endpoint_id>/", views.webhook, name="webhook"),
    path("<slug:slug>/webhooks/<int:endpoint_id>/test/", views.test_webhook, name="test_webhook"),
    path(
        "<slug:slug>/webhooks/<int:endpoint_id>/turn-on/",
        views.turn_on_webhook,
        name="turn_on_webhook",
    ),
    path(
        "<slug:slug>/webhooks/<int:endpoint_id>/delete/",
        views.delete_webhook,
        name="delete_webhook",
    ),
    path(
        "<slug:slug>/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/replay/",
        views.replay_webhook,
        name="replay_webhook",
    ),
]
