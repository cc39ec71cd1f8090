from django.urls import path

from bookings.waitlist import views

app_name = "waitlist"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<slug:slug>/<str:day>/join/", views.join, name="join"),
    path("<int:entry_id>/leave/", views.leave, name="leave"),
    path("offer/<int:entry_id>/", views.offer, name="offer"),
]
