from django.urls import path

from .views.beacon import beacon
from .views.postback import postback
from .views.redirect import go

app_name = "marketing"

urlpatterns = [
    path("go/<str:slug>/", go, name="go"),
    path("m/e/", beacon, name="beacon"),
    path("m/postback/<slug:partner_slug>/", postback, name="postback"),
]
