from django.urls import path

from bookings.centre_pages import views
from wnh.pwa.offline import kept_offline

# The centre pages count and make bookings (bookings/centre_pages/views.py); their names and
# addresses are the centres' ones: /centres/, centres:detail, ...
app_name = "centres"

urlpatterns = [
    path("", views.centre_list, name="list"),
    path("<slug:slug>/", views.centre_detail, name="detail"),
    path("<slug:slug>/book/", views.book, name="book"),
    path("<slug:slug>/book-days/", views.book_days, name="book_days"),
    path("<slug:slug>/entrance/", views.entrance, name="entrance"),
    path("<slug:slug>/entrance/code/", views.entrance_code, name="entrance_code"),
    path("<slug:slug>/entrance/qr.svg", views.entrance_qr, name="entrance_qr"),
    path("<slug:slug>/entrance/printed/", views.entrance_printed, name="entrance_printed"),
    path(
        "<slug:slug>/entrance/printed/qr.svg",
        views.entrance_printed_qr,
        name="entrance_printed_qr",
    ),
    # Kept with My bookings by the service worker, for a patchy connection (wnh/pwa/).
    path("<slug:slug>/check-in/", kept_offline(views.check_in_by_code), name="check_in_by_code"),
    path("<slug:slug>/check-in/<str:token>/", views.check_in, name="check_in"),
]
