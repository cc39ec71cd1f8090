from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
]
