from django.urls import path

from . import views

urlpatterns = [
    path("hello", views.hello),
    path("one", views.one),
    path("insert", views.insert),
]
