from django.apps import AppConfig


class BaselineConfig(AppConfig):
    name = "bench.http.baseline"
    label = "baseline"
