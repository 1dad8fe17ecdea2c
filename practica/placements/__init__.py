"""Students and their routes, placement offers and capacity, placements and their allocation."""
