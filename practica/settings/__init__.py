"""Settings split by use: base (shared), dev, test and production."""
