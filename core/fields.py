"""Field limits are the model's: forms, serializers and services read them from there, never write them again."""


def max_length(model, field_name: str) -> int:
    return model._meta.get_field(field_name).max_length
