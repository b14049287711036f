from django.urls import path

from . import views

app_name = "leads"

urlpatterns = [
    path("appointments/request/", views.submit, name="submit"),
    path("appointments/thanks/", views.thanks, name="thanks"),
    path("appointments/update/<str:token>/", views.action, name="action"),
]
