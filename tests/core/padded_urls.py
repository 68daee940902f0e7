"""A URLconf for tests/core/test_reversing.py: a converter that writes numbers its own way."""

from django.http import HttpResponse
from django.urls import path, register_converter


class Padded:
    regex = "[0-9]+"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:06d}"


register_converter(Padded, "padded")


def view(request, **kwargs):
    return HttpResponse("")


urlpatterns = [
    path("issue/<padded:number>/", view, name="padded"),
    path("story/<int:story>/note/<int:note>/", view, name="two"),
]
