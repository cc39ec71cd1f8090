from django.urls import path

from wnh.pwa import views

app_name = "pwa"

# At the root: a service worker may look after only the pages at or below its own address.
urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
]
