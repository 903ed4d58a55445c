"""Badges: badge classes and their rules, awards, Open Badges 2.0 hosting, images and baking."""
