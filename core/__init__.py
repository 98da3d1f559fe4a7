"""What every app leans on and that knows no domain: no models, no imports of the apps."""
