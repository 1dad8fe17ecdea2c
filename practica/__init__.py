"""Practica: the platform a social work teaching partnership runs on."""
