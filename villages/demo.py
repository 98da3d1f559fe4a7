"""`seed_demo` loads the catalogue; an app that builds on it (residency) registers a loader for its part of the demo,
called in the same transaction with the command (for its upsert and counts), the villages by slug, and today."""

DEMO_LOADERS = []


def register_demo_loader(loader) -> None:
    DEMO_LOADERS.append(loader)
