"""/open-data/: the page, and its files."""

from django.urls import path

from bookings.open_data import views

app_name = "open_data"

urlpatterns = [
    path("", views.page, name="page"),
    path("centres.csv", views.centres_csv, name="centres_csv"),
    path("centres.json", views.centres_json, name="centres_json"),
    path("occupancy-<str:month>.csv", views.occupancy_csv, name="occupancy_csv"),
]
