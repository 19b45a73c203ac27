from hypothesis import settings

settings.register_profile("array_core", deadline=None, max_examples=60)
settings.load_profile("array_core")
