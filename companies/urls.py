from django.urls import path

from . import views

app_name = "companies"

# "register" and "invitations" are reserved: no company gets them as its slug (services.py).
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/members/", views.members, name="members"),
    path(
        "<slug:slug>/members/<int:membership_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("<slug:slug>/reserve/", views.reserve, name="reserve"),
    path("<slug:slug>/reservations/", views.reservations, name="reservations"),
    path(
        "<slug:slug>/reservations/<int:reservation_id>/cancel/",
        views.cancel_reservation,
        name="cancel_reservation",
    ),
    path("<slug:slug>/team/", views.team, name="team"),
    path("<slug:slug>/statement/", views.statement, name="statement"),
    path("<slug:slug>/statement.csv", views.statement_csv, name="statement_csv"),
]
