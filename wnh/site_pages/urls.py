from django.urls import path

from wnh.site_pages import views

urlpatterns = [
    path("about/", views.about, name="about"),
    path("terms/", views.terms, name="terms"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.contact_thanks, name="contact_thanks"),
]
